using System.Net;
using System.Text.Json;
using Community360.Cases;
using Community360.Identity;
using Community360.Reports;
using Community360.Tests.Cases;
using Community360.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Community360.Tests.Reports;

public abstract class DashboardTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : Community360App
{
    private readonly CaseClient _cases = new(app);

    [Fact]
    public async Task Every_number_opens_a_list_of_exactly_that_many_cases_and_the_rates_follow_the_callbacks()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var worker = await app.ClientForAsync("worker1");
        var community = await _cases.UnitIdAsync("110199001001");
        var category = await _cases.CategoryIdAsync("楼道堆物");
        var outcomes = new (bool Resolved, string Satisfaction)?[] { (true, "Satisfied"), (true, "BasicallySatisfied"), (false, "Unsatisfied"), null };
        for (var i = 0; i < outcomes.Length; i++)
        {
            var received = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(category, await _cases.PointInCommunityAsync("110199001001", i),
                title: FormattableString.Invariant($"统计测试{i}号楼杂物"), description: FormattableString.Invariant($"统计测试：第{i}号楼楼道堆满杂物{Guid.NewGuid():N}。")));
            var dispatched = await CaseClient.ActAsync(dispatcher, received, "dispatch", new { unitId = community });
            var contacted = ChinaNow().ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
            var accepted = await CaseClient.ActAsync(worker, await GetAsync(worker, dispatched.Id), "accept", i == 3 ? null : new { contactedAt = contacted });
            if (outcomes[i] is not { } outcome)
            {
                continue;
            }
            var completed = await CaseClient.ActAsync(worker, accepted, "complete", new { note = "已清理。" });
            await CaseClient.ActAsync(dispatcher, await GetAsync(dispatcher, completed.Id), "callback",
                new { contact = "Reached", resolved = outcome.Resolved, satisfaction = outcome.Satisfaction });
        }
        var unreachable = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(category, await _cases.PointInCommunityAsync("110199001002"), title: "统计测试无法联系",
            description: "统计测试：无法联系的回访" + Guid.NewGuid().ToString("N")));
        var sent = await CaseClient.ActAsync(dispatcher, unreachable, "dispatch", new { unitId = await _cases.UnitIdAsync("110199001002") });
        var worker2 = await app.ClientForAsync("worker2");
        var done = await CaseClient.ActAsync(worker2, await CaseClient.ActAsync(worker2, await GetAsync(worker2, sent.Id), "accept"), "complete", new { note = "已处理。" });
        await CaseClient.ActAsync(dispatcher, await GetAsync(dispatcher, done.Id), "callback", new { contact = "Unreachable" });

        var dashboard = await (await dispatcher.GetAsync("/api/dashboard")).ShouldBeOkAsync<JsonElement>();

        var numbers = new List<JsonElement>();
        foreach (var period in new[] { "today", "thisMonth" })
        {
            foreach (var name in new[] { "received", "dispatched", "completed", "overdue" })
            {
                numbers.Add(dashboard.GetProperty(period).GetProperty(name));
            }
        }
        numbers.Add(dashboard.GetProperty("overdueNow"));
        foreach (var rate in new[] { "response", "resolution", "satisfaction" })
        {
            numbers.Add(dashboard.GetProperty("rates").GetProperty(rate).GetProperty("denominator"));
            numbers.AddRange(dashboard.GetProperty("rates").GetProperty(rate).GetProperty("numeratorParts").EnumerateArray().Select(p => p.GetProperty("count")));
        }
        numbers.AddRange(dashboard.GetProperty("trend").EnumerateArray().SelectMany(p => new[] { p.GetProperty("received"), p.GetProperty("completed") }).Where(n => n.GetProperty("value").GetInt32() > 0));
        var row = dashboard.GetProperty("communities").EnumerateArray().Single(c => c.GetProperty("communityId").GetGuid() == community);
        numbers.AddRange([row.GetProperty("received"), row.GetProperty("open"), row.GetProperty("overdue")]);
        numbers.AddRange(dashboard.GetProperty("categories").EnumerateArray().Select(c => c.GetProperty("received")));
        foreach (var number in numbers)
        {
            var listed = await (await dispatcher.GetAsync("/api/cases?" + number.GetProperty("queryString").GetString())).ShouldBeOkAsync<JsonElement>();
            Assert.True(number.GetProperty("value").GetInt32() == listed.GetProperty("total").GetInt32(), $"{number.GetProperty("queryString")}: {number.GetProperty("value")} on the dashboard, {listed.GetProperty("total")} listed");
        }

        Assert.True(dashboard.GetProperty("today").GetProperty("received").GetProperty("value").GetInt32() >= 5);
        Assert.True(row.GetProperty("received").GetProperty("value").GetInt32() >= 4);
        var rates = dashboard.GetProperty("rates");
        // This class's own cases are the only ones called back: 3 reached (1 satisfied, 1 basically, 1 unsatisfied), 1 unreachable.
        var satisfaction = rates.GetProperty("satisfaction");
        Assert.Equal(3, satisfaction.GetProperty("denominator").GetProperty("value").GetInt32());
        Assert.Equal(1.8, satisfaction.GetProperty("numerator").GetDouble(), 4);
        Assert.Equal(0.6, satisfaction.GetProperty("value").GetDouble(), 4);
        Assert.Equal(2.0 / 3, rates.GetProperty("resolution").GetProperty("value").GetDouble(), 3);
        var response = rates.GetProperty("response");
        Assert.Equal(response.GetProperty("numeratorParts")[0].GetProperty("count").GetProperty("value").GetInt32() / (double)response.GetProperty("denominator").GetProperty("value").GetInt32(),
            response.GetProperty("value").GetDouble(), 3);
        Assert.True(response.GetProperty("value").GetDouble() < 1, "the case accepted without contacting the complainant was not responded to");
    }

    [Fact]
    public async Task The_core_handlers_agree_with_the_query_objects_they_attach()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(await _cases.CategoryIdAsync("路灯故障"), await _cases.PointInCommunityAsync("110199001003"),
            title: "核心统计测试路灯", description: "核心统计测试：路灯不亮" + Guid.NewGuid().ToString("N")));
        using var scope = app.Services.CreateScope();
        var dashboards = scope.ServiceProvider.GetRequiredService<DashboardHandlers>();
        var cases = scope.ServiceProvider.GetRequiredService<CaseHandlers>();

        var dashboard = await dashboards.DashboardAsync(Caller.System, new DashboardQuery(), TestContext.Current.CancellationToken);

        var numbers = new[] { dashboard.Today.Received, dashboard.ThisMonth.Received, dashboard.OverdueNow, dashboard.Rates.Response.Denominator }
            .Concat(dashboard.Categories.Select(c => c.Received)).Concat(dashboard.Communities.Select(c => c.Open)).ToList();
        foreach (var number in numbers)
        {
            var page = await cases.ListAsync(Caller.System, number.Query, TestContext.Current.CancellationToken);
            Assert.Equal(number.Value, page.Total);
            Assert.Equal(number.Query, CaseQueryString.Parse(number.QueryString));
        }
        Assert.True(dashboard.Today.Received.Value >= 1);
        Assert.Equal(DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddHours(8)), dashboard.To);
        Assert.Equal(1, dashboard.From.Day);
    }

    [Fact]
    public async Task A_period_that_ends_before_it_starts_or_runs_over_a_year_is_refused()
    {
        var leader = await app.ClientForAsync("leader");
        var backwards = await (await leader.GetAsync("/api/dashboard?from=2026-11-10&to=2026-11-01")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(backwards.FieldErrors("to"));
        var tooLong = await (await leader.GetAsync("/api/dashboard?from=2024-01-01&to=2026-11-01")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(tooLong.FieldErrors("from"));
        var november = await (await leader.GetAsync("/api/dashboard?from=2026-11-01&to=2026-11-30")).ShouldBeOkAsync<JsonElement>();
        Assert.Equal(30, november.GetProperty("trend").GetArrayLength());
    }

    private DateTime ChinaNow() => app.Clock.GetUtcNow().UtcDateTime.AddHours(8);

    private static async Task<CaseView> GetAsync(HttpClient client, Guid id) =>
        await (await client.GetAsync($"/api/cases/{id}")).ShouldBeOkAsync<CaseView>();
}

public sealed class DashboardTestsOnSqlite(SqliteApp app) : DashboardTests<SqliteApp>(app);

public sealed class DashboardTestsOnPostgres(PostgresApp app) : DashboardTests<PostgresApp>(app);
