using System.Net;
using System.Text.Json;
using Community360.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Community360.Tests.Cases;

public abstract class CaseLifecycleTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : Community360App
{
    private readonly CaseClient _cases = new(app);

    [Fact]
    public async Task A_citizen_demand_goes_from_intake_to_close_and_every_step_is_in_the_timeline()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var worker = await app.ClientForAsync("worker1");
        var community = await _cases.UnitIdAsync("110199001001");
        var received = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(await _cases.CategoryIdAsync("楼道堆物"), await _cases.PointInCommunityAsync("110199001001")));
        Assert.Equal("Received", received.State);
        Assert.Equal(community, received.CommunityId);
        Assert.NotNull(received.GridId);
        Assert.Matches(@"^\d{8}-\d{6}$", received.Number);

        var dispatched = await CaseClient.ActAsync(dispatcher, received, "dispatch", new { unitId = community, note = "请社区尽快清理" });
        Assert.NotNull(dispatched.ResponseDueAt);
        Assert.NotNull(dispatched.CompletionDueAt);
        var beijingNow = app.Clock.GetUtcNow().UtcDateTime.AddHours(8);
        var accepted = await CaseClient.ActAsync(worker, await GetAsync(worker, dispatched.Id), "accept", new { contactedAt = beijingNow.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) });
        var completed = await CaseClient.ActAsync(worker, accepted, "complete", new { note = "已组织物业清理楼道杂物，消防通道已畅通。" });
        Assert.NotNull(completed.CallbackDueAt);
        var called = await CaseClient.ActAsync(dispatcher, await GetAsync(dispatcher, completed.Id), "callback", new { contact = "Reached", resolved = true, satisfaction = "Satisfied" });
        var closed = await CaseClient.ActAsync(dispatcher, called, "close");

        Assert.Equal("Closed", closed.State);
        Assert.Equal(["Reopen"], closed.AllowedActions);
        var timeline = await CaseClient.TimelineAsync(dispatcher, closed.Id);
        Assert.Equal(["Receive", "Dispatch", "Accept", "Complete", "Callback", "Close"], timeline.Select(e => e.Action));
        Assert.Equal(["Received", "Dispatched", "Accepted", "Completed", "Completed", "Closed"], timeline.Select(e => e.ToState));
        Assert.All(timeline, e => Assert.False(string.IsNullOrEmpty(e.ActorUnitName), $"{e.Action} has no unit"));
        Assert.Contains("槐荫里社区", timeline.Single(e => e.Action == "Accept").ActorUnitName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_grid_event_needs_on_site_verification_before_dispatch_and_a_failed_check_sends_it_back()
    {
        var gridWorker = await app.ClientForAsync("grid1");
        var dispatcher = await app.ClientForAsync("dispatcher");
        var worker = await app.ClientForAsync("worker1");
        var community = await _cases.UnitIdAsync("110199001001");
        await using var db = app.CreateDbContext();
        var grid1 = await db.Users.Where(u => u.UserName == "grid1").Select(u => u.ScopeNodeId).SingleAsync();
        var inGrid = await db.Compounds.Where(c => c.GridId == grid1).Select(c => new { c.Longitude, c.Latitude }).FirstAsync();
        var reported = await CaseClient.ReceiveAsync(gridWorker, CaseClient.Intake(await _cases.CategoryIdAsync("楼道堆物"), (inGrid.Longitude!.Value, inGrid.Latitude!.Value),
            type: "GridEvent", channel: "GridPatrol", title: "巡查发现楼道堆物"));

        var early = await (await CaseClient.TryAsync(dispatcher, await GetAsync(dispatcher, reported.Id), "dispatch", new { unitId = community }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("核实", early.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("VerifyReport", early.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));

        var verified = await CaseClient.ActAsync(gridWorker, reported, "verify-report", new { note = "现场核实属实" });
        var dispatched = await CaseClient.ActAsync(dispatcher, await GetAsync(dispatcher, verified.Id), "dispatch", new { unitId = community });
        var accepted = await CaseClient.ActAsync(worker, await GetAsync(worker, dispatched.Id), "accept");
        var completed = await CaseClient.ActAsync(worker, accepted, "complete", new { note = "已清理。" });
        var rework = await CaseClient.ActAsync(gridWorker, await GetAsync(gridWorker, completed.Id), "verify-fail", new { note = "现场仍有杂物未清理干净" });
        Assert.Equal("Accepted", rework.State);
        var again = await CaseClient.ActAsync(worker, await GetAsync(worker, rework.Id), "complete", new { note = "已彻底清理。" });
        var passed = await CaseClient.ActAsync(gridWorker, await GetAsync(gridWorker, again.Id), "verify-pass");
        var closed = await CaseClient.ActAsync(dispatcher, await GetAsync(dispatcher, passed.Id), "close");

        Assert.Equal("Closed", closed.State);
        var actions = (await CaseClient.TimelineAsync(dispatcher, closed.Id)).Select(e => e.Action).ToList();
        Assert.Equal(["Receive", "VerifyReport", "Dispatch", "Accept", "Complete", "VerifyFail", "Complete", "VerifyPass", "Close"], actions);
    }

    [Fact]
    public async Task An_action_the_state_does_not_allow_is_a_409_naming_the_state_and_what_is_allowed()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var received = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(await _cases.CategoryIdAsync("楼道堆物"), await _cases.PointInCommunityAsync("110199001001", 1)));

        var problem = await (await CaseClient.TryAsync(dispatcher, received, "close")).ShouldBeProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("Received", problem.GetProperty("state").GetString());
        Assert.Contains("已受理", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("派单", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("Dispatch", problem.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        var unchanged = await GetAsync(dispatcher, received.Id);
        Assert.Equal(received.Version, unchanged.Version);
    }

    [Fact]
    public async Task Only_the_entitled_roles_and_units_may_act()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var worker1 = await app.ClientForAsync("worker1");
        var worker2 = await app.ClientForAsync("worker2");
        var community = await _cases.UnitIdAsync("110199001001");
        var received = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(await _cases.CategoryIdAsync("楼道堆物"), await _cases.PointInCommunityAsync("110199001001", 2)));

        await (await CaseClient.TryAsync(worker1, received, "dispatch", new { unitId = community })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var dispatched = await CaseClient.ActAsync(dispatcher, received, "dispatch", new { unitId = community });
        await (await CaseClient.TryAsync(dispatcher, dispatched, "accept")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await CaseClient.TryAsync(worker2, dispatched, "accept")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await worker2.GetAsync($"/api/cases/{dispatched.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("Accepted", (await CaseClient.ActAsync(worker1, dispatched, "accept")).State);
    }

    [Fact]
    public async Task A_department_that_returns_a_case_gets_the_result_not_a_404_and_the_case_is_back_at_intake()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var department = await app.ClientForAsync("dept1");
        var received = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(await _cases.CategoryIdAsync("楼道堆物"), await _cases.PointInCommunityAsync("110199001004", 1)));
        var dispatched = await CaseClient.ActAsync(dispatcher, received, "dispatch", new { unitId = await _cases.UnitIdAsync("110199001D01") });

        var returned = await CaseClient.ActAsync(department, await GetAsync(department, dispatched.Id), "return", new { note = "不属于本科室职责，应由社区协调物业处理" });

        Assert.Equal("Received", returned.State);
        await (await department.GetAsync($"/api/cases/{dispatched.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("Dispatch", (await GetAsync(dispatcher, dispatched.Id)).AllowedActions);
    }

    [Fact]
    public async Task Two_people_acting_at_once_exactly_one_wins()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var community = await _cases.UnitIdAsync("110199001001");
        var received = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(await _cases.CategoryIdAsync("楼道堆物"), await _cases.PointInCommunityAsync("110199001001", 3)));
        var dispatched = await CaseClient.ActAsync(dispatcher, received, "dispatch", new { unitId = community });
        var workers = new[] { await app.ClientForAsync("worker1"), await app.ClientForAsync("worker1"), await app.ClientForAsync("worker1"), await app.ClientForAsync("worker1") };

        var answers = await Task.WhenAll(workers.Select(w => CaseClient.TryAsync(w, dispatched, "accept")));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(workers.Length - 1, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        var events = await CaseClient.TimelineAsync(dispatcher, dispatched.Id);
        Assert.Single(events, e => e.Action == "Accept");
    }

    [Fact]
    public async Task A_ticket_delivered_ten_times_at_once_makes_one_case()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var intake = CaseClient.Intake(await _cases.CategoryIdAsync("楼道堆物"), await _cases.PointInCommunityAsync("110199001002"), reference: "12345-" + Guid.NewGuid().ToString("N")[..10]);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => dispatcher.PostJsonAsync("/api/cases", intake)));

        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, a.StatusCode.ToString()));
        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        var ids = await Task.WhenAll(answers.Select(async a => (await a.Content.ReadFromJsonAsyncSafe()).GetProperty("id").GetGuid()));
        Assert.Single(ids.Distinct());
        await using var db = app.CreateDbContext();
        Assert.Equal(1, await db.Cases.CountAsync(c => c.Id == ids[0]));
        Assert.Equal(1, await db.CaseEvents.CountAsync(e => e.CaseId == ids[0]));
    }

    [Fact]
    public async Task A_confidential_complainant_is_hidden_from_the_handling_unit_everywhere()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var department = await app.ClientForAsync("dept1");
        var departmentId = await _cases.UnitIdAsync("110199001D01");
        var received = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(await _cases.CategoryIdAsync("楼道堆物"), await _cases.PointInCommunityAsync("110199001003"),
            confidential: true, phone: "17055554444", title: "赵先生反映楼道堆放杂物"));
        Assert.Equal("赵先生", received.Complainant.GetProperty("name").GetString());
        Assert.Equal("170****4444", received.Complainant.GetProperty("phone").GetString());
        var dispatched = await CaseClient.ActAsync(dispatcher, received, "dispatch", new { unitId = departmentId, note = "请赵先生反映的问题尽快处理" });

        var asHandler = await (await department.GetAsync($"/api/cases/{dispatched.Id}")).Content.ReadAsStringAsync();
        var handlerTimeline = await (await department.GetAsync($"/api/cases/{dispatched.Id}/timeline")).Content.ReadAsStringAsync();
        var handlerList = await (await department.GetAsync("/api/cases?limit=200")).Content.ReadAsStringAsync();

        Assert.Contains("（保密）", asHandler, StringComparison.Ordinal);
        foreach (var body in new[] { asHandler, handlerTimeline, handlerList })
        {
            Assert.DoesNotContain("赵先生", body, StringComparison.Ordinal);
            Assert.DoesNotContain("4444", body, StringComparison.Ordinal);
        }
        await (await department.PostJsonAsync($"/api/cases/{dispatched.Id}/complainant/reveal", new { reason = "需要联系诉求人" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var revealed = await (await dispatcher.PostJsonAsync($"/api/cases/{dispatched.Id}/complainant/reveal", new { reason = "回访需要完整号码" })).ShouldBeOkAsync<JsonElement>();
        Assert.Equal("17055554444", revealed.GetProperty("phone").GetString());
        await using var db = app.CreateDbContext();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "personal_data.revealed" && e.EntityId == dispatched.Id.ToString() && e.ActorName == "dispatcher"));
        Assert.False(await db.AuditEntries.AnyAsync(e => e.Details.Contains("17055554444")));
    }

    [Fact]
    public async Task A_case_outside_every_grid_waits_for_manual_routing_and_the_override_is_recorded()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var departmentId = await _cases.UnitIdAsync("110199001D03");
        var community = await _cases.UnitIdAsync("110199001004");
        // 垃圾清运 goes to a department by default: sending it elsewhere is an override the dispatch accuracy counts.
        var received = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(await _cases.CategoryIdAsync("垃圾清运"), (117.9, 40.9)));
        Assert.True(received.NeedsManualRouting);
        Assert.Null(received.CommunityId);
        var suggestion = await (await dispatcher.GetAsync($"/api/cases/{received.Id}/routing")).ShouldBeOkAsync<JsonElement>();
        Assert.True(suggestion.GetProperty("needsManualRouting").GetBoolean());

        var missing = await (await CaseClient.TryAsync(dispatcher, received, "dispatch", new { unitId = departmentId })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(missing.FieldErrors("communityId"));
        var dispatched = await CaseClient.ActAsync(dispatcher, received, "dispatch", new { unitId = departmentId, communityId = community });

        Assert.Equal(community, dispatched.CommunityId);
        Assert.False(dispatched.NeedsManualRouting);
        var dispatch = (await CaseClient.TimelineAsync(dispatcher, dispatched.Id)).Single(e => e.Action == "Dispatch");
        Assert.Contains("\"overridden\":true", dispatch.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_intake_input_is_named_field_by_field_and_creates_nothing()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        await using var db = app.CreateDbContext();
        var before = await db.Cases.CountAsync();

        var problem = await (await dispatcher.PostJsonAsync("/api/cases", new { type = "CitizenDemand", channel = "Hotline12345", title = "", longitude = 116.4, complainantPhone = "abc" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        foreach (var field in new[] { "title", "description", "categoryId", "latitude", "complainantPhone" })
        {
            Assert.NotEmpty(problem.FieldErrors(field));
        }
        var parent = await db.CaseCategories.Where(c => c.ParentId == null).Select(c => c.Id).FirstAsync();
        var topLevel = await (await dispatcher.PostJsonAsync("/api/cases", CaseClient.Intake(parent, null))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(topLevel.FieldErrors("categoryId"), m => m.Contains("小类", StringComparison.Ordinal));
        await (await dispatcher.PostJsonAsync("/api/cases", new { type = "Spaceship" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(before, await db.Cases.CountAsync());
    }

    private static async Task<CaseView> GetAsync(HttpClient client, Guid id) =>
        await (await client.GetAsync($"/api/cases/{id}")).ShouldBeOkAsync<CaseView>();
}

public sealed class CaseLifecycleTestsOnSqlite(SqliteApp app) : CaseLifecycleTests<SqliteApp>(app);

public sealed class CaseLifecycleTestsOnPostgres(PostgresApp app) : CaseLifecycleTests<PostgresApp>(app);

internal static class ResponseJson
{
    public static async Task<JsonElement> ReadFromJsonAsyncSafe(this HttpContent content) =>
        JsonDocument.Parse(await content.ReadAsStringAsync()).RootElement;
}
