using System.Net;
using System.Text.Json;
using Community360.Cases;
using Community360.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Community360.Tests.Cases;

public abstract class CaseInboxAndListTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : Community360App
{
    private readonly CaseClient _cases = new(app);

    [Fact]
    public async Task Each_role_has_its_inboxes_a_case_moves_through_them_and_every_count_is_its_list_total()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var worker = await app.ClientForAsync("worker1");
        var grid = await app.ClientForAsync("grid1");
        var department = await app.ClientForAsync("dept1");
        var leader = await app.ClientForAsync("leader");
        var community = await _cases.UnitIdAsync("110199001001");

        Assert.Equal(["ToVerifyReport", "ToDispatch", "ToVerify", "ToCallback", "ToClose"], await InboxNamesAsync(dispatcher));
        Assert.Equal(["ToVerifyReport", "ToAccept", "InProgress", "ToVerify"], await InboxNamesAsync(worker));
        Assert.Equal(["ToAccept", "InProgress"], await InboxNamesAsync(department));
        Assert.Empty(await InboxNamesAsync(leader));
        var names = await CountsAsync(dispatcher);
        Assert.Equal(["待受理", "待派单", "待核查", "待回访", "待结案"], names.Select(n => n.GetProperty("name").GetString()));

        // A citizen demand: 待派单 → worker's 待签收 → 处置中 → dispatcher's 待回访 → 待结案.
        var demand = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(await _cases.CategoryIdAsync("楼道堆物"), await _cases.PointInCommunityAsync("110199001001")));
        await AssertOnlyInAsync(dispatcher, demand.Id, "ToDispatch");
        var dispatched = await CaseClient.ActAsync(dispatcher, demand, "dispatch", new { unitId = community });
        await AssertOnlyInAsync(dispatcher, demand.Id, null);
        await AssertOnlyInAsync(worker, demand.Id, "ToAccept");
        await AssertOnlyInAsync(department, demand.Id, null);
        var accepted = await CaseClient.ActAsync(worker, await GetAsync(worker, dispatched.Id), "accept");
        await AssertOnlyInAsync(worker, demand.Id, "InProgress");
        var completed = await CaseClient.ActAsync(worker, accepted, "complete", new { note = "已清理。" });
        await AssertOnlyInAsync(worker, demand.Id, null);
        await AssertOnlyInAsync(dispatcher, demand.Id, "ToCallback");
        await CaseClient.ActAsync(dispatcher, await GetAsync(dispatcher, completed.Id), "callback", new { contact = "Reached", resolved = true, satisfaction = "Satisfied" });
        await AssertOnlyInAsync(dispatcher, demand.Id, "ToClose");

        // A grid event: reported by the grid worker, 待受理 for him and the dispatcher (not 待派单) until verified.
        await using var db = app.CreateDbContext();
        var grid1 = await db.Users.Where(u => u.UserName == "grid1").Select(u => u.ScopeNodeId).SingleAsync();
        var inGrid = await db.Compounds.Where(c => c.GridId == grid1).Select(c => new { c.Longitude, c.Latitude }).FirstAsync();
        var report = await CaseClient.ReceiveAsync(grid, CaseClient.Intake(await _cases.CategoryIdAsync("楼道堆物"), (inGrid.Longitude!.Value, inGrid.Latitude!.Value), type: "GridEvent", channel: "GridPatrol", title: "巡查发现楼道堆物"));
        await AssertOnlyInAsync(dispatcher, report.Id, "ToVerifyReport");
        var worker2 = await app.ClientForAsync("worker2");
        await AssertOnlyInAsync(worker2, report.Id, null);
        var verified = await CaseClient.ActAsync(dispatcher, await GetAsync(dispatcher, report.Id), "verify-report", new { note = "核实属实" });
        await AssertOnlyInAsync(dispatcher, verified.Id, "ToDispatch");

        // Ten days on, the dispatched-but-unaccepted case of the worker is overdue in 待签收.
        var late = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(await _cases.CategoryIdAsync("楼道堆物"), await _cases.PointInCommunityAsync("110199001001", 2), title: "逾期测试楼道堆物"));
        await CaseClient.ActAsync(dispatcher, late, "dispatch", new { unitId = community });
        app.Clock.Advance(TimeSpan.FromDays(10));
        foreach (var (client, user) in new[] { (dispatcher, "dispatcher"), (worker, "worker1"), (department, "dept1") })
        {
            var fresh = await app.ClientForAsync(user);
            foreach (var count in await CountsAsync(fresh))
            {
                var inbox = count.GetProperty("inbox").GetString();
                Assert.Equal(count.GetProperty("total").GetInt32(), await TotalAsync(fresh, $"inbox={inbox}"));
                Assert.Equal(count.GetProperty("overdue").GetInt32(), await TotalAsync(fresh, $"inbox={inbox}&overdue=true"));
                Assert.Equal(count.GetProperty("dueSoon").GetInt32(), await TotalAsync(fresh, $"inbox={inbox}&dueSoon=true"));
            }
        }
        var workerNow = await app.ClientForAsync("worker1");
        var toAccept = (await CountsAsync(workerNow)).Single(c => c.GetProperty("inbox").GetString() == "ToAccept");
        Assert.True(toAccept.GetProperty("overdue").GetInt32() >= 1);
        var overdueList = await ListAsync(workerNow, "inbox=ToAccept&overdue=true&limit=200");
        var lateRow = overdueList.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == late.Id);
        Assert.StartsWith("已超期", lateRow.GetProperty("remainingText").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_sort_pages_by_its_own_cursor_and_a_cursor_of_another_sort_is_refused()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var community = await _cases.UnitIdAsync("110199001002");
        // Urgent gas cases count natural hours (two to complete): dispatched an hour apart, their deadlines differ.
        var category = await _cases.CategoryIdAsync("燃气安全");
        var tag = "排序" + Guid.NewGuid().ToString("N")[..6];
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var intake = JsonSerializer.SerializeToElement(CaseClient.Intake(category, await _cases.PointInCommunityAsync("110199001002", i % 3),
                    title: FormattableString.Invariant($"{tag}{i}号楼燃气味"), description: FormattableString.Invariant($"{tag}：第{i}号楼楼道里有燃气味。")), ApiAssertions.Json)
                .EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
            intake["urgency"] = "Urgent";
            var received = await (await dispatcher.PostJsonAsync("/api/cases", intake)).ShouldBeOkAsync<CaseView>(HttpStatusCode.Created);
            ids.Add(received.Id);
            app.Clock.Advance(TimeSpan.FromMinutes(3));
        }
        dispatcher = await app.ClientForAsync("dispatcher");
        // Dispatched in reverse order: the newest case gets the earliest deadline; the oldest stays undispatched (no deadline).
        for (var i = 4; i >= 1; i--)
        {
            dispatcher = await app.ClientForAsync("dispatcher");
            await CaseClient.ActAsync(dispatcher, await GetAsync(dispatcher, ids[i]), "dispatch", new { unitId = community });
            app.Clock.Advance(TimeSpan.FromHours(1));
        }
        dispatcher = await app.ClientForAsync("dispatcher");

        Assert.Equal(Enumerable.Reverse(ids), await AllPagesAsync(dispatcher, $"text={tag}", null));
        Assert.Equal(ids, await AllPagesAsync(dispatcher, $"text={tag}", "OldestReceived"));
        Assert.Equal([ids[4], ids[3], ids[2], ids[1], ids[0]], await AllPagesAsync(dispatcher, $"text={tag}", "DueSoonest"));
        Assert.Equal([ids[1], ids[2], ids[3], ids[4], ids[0]], await AllPagesAsync(dispatcher, $"text={tag}", "RecentlyUpdated"));

        var first = await ListAsync(dispatcher, $"text={tag}&limit=2&sort=DueSoonest");
        var cursor = first.GetProperty("next").GetString();
        var problem = await (await dispatcher.GetAsync($"/api/cases?text={tag}&limit=2&sort=OldestReceived&after={cursor}")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(problem.FieldErrors("after"), m => m.Contains("排序", StringComparison.Ordinal));
        // ids[4] was dispatched four hours ago with two hours to complete, ids[1] one hour ago.
        Assert.StartsWith("已超期 2 小时", first.GetProperty("items")[0].GetProperty("remainingText").GetString(), StringComparison.Ordinal);
        var newest = (await ListAsync(dispatcher, $"text={tag}&limit=1")).GetProperty("items")[0];
        Assert.Equal(ids[4], newest.GetProperty("id").GetGuid());
        var lastDispatched = (await ListAsync(dispatcher, $"text={tag}&limit=1&sort=RecentlyUpdated")).GetProperty("items")[0];
        Assert.Equal("剩余 1 小时", lastDispatched.GetProperty("remainingText").GetString());
        Assert.Equal(JsonValueKind.Null, (await ListAsync(dispatcher, $"text={tag}&limit=1&sort=OldestReceived")).GetProperty("items")[0].GetProperty("remainingText").ValueKind);
    }

    [Fact]
    public async Task From_and_to_apply_to_the_date_basis_chosen()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var worker = await app.ClientForAsync("worker2");
        var community = await _cases.UnitIdAsync("110199001002");
        var tag = "口径" + Guid.NewGuid().ToString("N")[..6];
        var received = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(await _cases.CategoryIdAsync("楼道堆物"), await _cases.PointInCommunityAsync("110199001002"),
            title: tag + "楼道堆物", description: tag + "：楼道堆满杂物。"));
        var receivedDay = Day(app.Clock.GetUtcNow());
        var dispatched = await CaseClient.ActAsync(dispatcher, received, "dispatch", new { unitId = community });
        var accepted = await CaseClient.ActAsync(worker, await GetAsync(worker, dispatched.Id), "accept");
        app.Clock.Advance(TimeSpan.FromDays(2));
        worker = await app.ClientForAsync("worker2");
        dispatcher = await app.ClientForAsync("dispatcher");
        await CaseClient.ActAsync(worker, accepted, "complete", new { note = "已清理。" });
        var completedDay = Day(app.Clock.GetUtcNow());

        Assert.Equal(1, await TotalAsync(dispatcher, $"text={tag}&from={receivedDay}&to={Next(receivedDay)}"));
        Assert.Equal(0, await TotalAsync(dispatcher, $"text={tag}&dateBasis=Completed&from={receivedDay}&to={Next(receivedDay)}"));
        Assert.Equal(1, await TotalAsync(dispatcher, $"text={tag}&dateBasis=Completed&from={completedDay}&to={Next(completedDay)}"));
        Assert.Equal(1, await TotalAsync(dispatcher, $"text={tag}&dateBasis=Dispatched&from={receivedDay}"));
        Assert.Equal(0, await TotalAsync(dispatcher, $"text={tag}&dateBasis=Closed&from={receivedDay}"));
        await (await dispatcher.GetAsync("/api/cases?dateBasis=Tomorrow")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    private static string Day(DateTimeOffset utc) => utc.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string Next(string day) => DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture).AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<List<Guid>> AllPagesAsync(HttpClient client, string filter, string? sort)
    {
        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await ListAsync(client, $"{filter}&limit=2{(sort is null ? "" : "&sort=" + sort)}{(cursor is null ? "" : "&after=" + cursor)}");
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("next").GetString();
        }
        while (cursor is not null);
        return seen;
    }

    private static async Task<List<string?>> InboxNamesAsync(HttpClient client) =>
        (await CountsAsync(client)).Select(c => c.GetProperty("inbox").GetString()).ToList();

    private static async Task<List<JsonElement>> CountsAsync(HttpClient client) =>
        await (await client.GetAsync("/api/cases/inbox-counts")).ShouldBeOkAsync<List<JsonElement>>();

    private static async Task<JsonElement> ListAsync(HttpClient client, string query) =>
        await (await client.GetAsync("/api/cases?" + query)).ShouldBeOkAsync<JsonElement>();

    private static async Task<int> TotalAsync(HttpClient client, string query) =>
        (await ListAsync(client, query)).GetProperty("total").GetInt32();

    /// <summary>The case is in exactly the one inbox named (or in none of the caller's).</summary>
    private static async Task AssertOnlyInAsync(HttpClient client, Guid id, string? expected)
    {
        foreach (var inbox in await InboxNamesAsync(client))
        {
            var items = (await ListAsync(client, $"inbox={inbox}&limit=200")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid());
            Assert.True(items.Contains(id) == (inbox == expected), $"case {(inbox == expected ? "missing from" : "unexpectedly in")} {inbox}");
        }
    }

    private static async Task<CaseView> GetAsync(HttpClient client, Guid id) =>
        await (await client.GetAsync($"/api/cases/{id}")).ShouldBeOkAsync<CaseView>();
}

public sealed class CaseInboxAndListTestsOnSqlite(SqliteApp app) : CaseInboxAndListTests<SqliteApp>(app);

public sealed class CaseInboxAndListTestsOnPostgres(PostgresApp app) : CaseInboxAndListTests<PostgresApp>(app);

public sealed class CaseQueryStringTests
{
    [Fact]
    public void Every_filter_survives_the_round_trip_through_a_link()
    {
        var query = new CaseQuery(CaseState.Accepted, CaseType.GridEvent, CaseChannel.Hotline12345, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(),
            Overdue: true, Repeat: false, From: new DateTime(2026, 11, 1), To: new DateTime(2026, 11, 2, 13, 30, 15), Text: "楼道 堆物&50%=?",
            After: "abc-_", Limit: 50, IncludeTotal: false, Inbox: CaseInbox.ToAccept, DateBasis: CaseDateBasis.Completed, Sort: CaseSort.DueSoonest,
            DueSoon: false, Open: true, Responded: true, CallbackContact: CallbackContact.Reached, Resolved: false, Satisfaction: Satisfaction.BasicallySatisfied,
            RepeatClusterId: Guid.NewGuid());

        var text = CaseQueryString.Format(query);
        var back = CaseQueryString.Parse(text);

        Assert.Equal(query, back);
        Assert.Equal(DateTimeKind.Unspecified, back.From!.Value.Kind);
        Assert.Equal(query, CaseQueryString.Parse("/cases?" + text));
        Assert.Contains("from=2026-11-01&", text, StringComparison.Ordinal);
        Assert.Contains("inbox=ToAccept", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_left_out_and_a_typed_link_reads_as_expected()
    {
        Assert.Equal(string.Empty, CaseQueryString.Format(new CaseQuery()));
        Assert.Equal(new CaseQuery(), CaseQueryString.Parse(""));
        var parsed = CaseQueryString.Parse("?inbox=ToAccept&dateBasis=Completed&from=2026-11-01&tab=mine");
        Assert.Equal(new CaseQuery(Inbox: CaseInbox.ToAccept, DateBasis: CaseDateBasis.Completed, From: new DateTime(2026, 11, 1)), parsed);
        Assert.Equal("inbox=ToAccept&dateBasis=Completed&from=2026-11-01", CaseQueryString.Format(parsed));
        var utc = new CaseQuery(From: new DateTime(2026, 11, 1, 16, 0, 0, DateTimeKind.Utc));
        Assert.Equal(DateTimeKind.Utc, CaseQueryString.Parse(CaseQueryString.Format(utc)).From!.Value.Kind);
    }

    [Fact]
    public void A_value_that_cannot_be_read_names_its_parameter_in_chinese()
    {
        var error = Assert.Throws<Community360.Common.ValidationException>(() => CaseQueryString.Parse("inbox=7&from=昨天&overdue=maybe"));
        Assert.Equal(["from", "inbox", "overdue"], error.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.All(error.Errors.Values.SelectMany(m => m), m => Assert.True(ApiAssertions.IsChinese(m)));
    }
}
