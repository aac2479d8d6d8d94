using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Community360.Cases;
using Community360.Reports;
using Community360.Tests.Cases;
using Community360.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Community360.Tests.Reports;

/// <summary>
/// Each metric of docs/metrics.md on one hand-made set of seven cases, all filed under 路灯故障 in 槐荫里社区 (so the
/// category's row holds exactly them). Day 1 is Mon 2030-03-04, 09:00 Beijing; day 2 is Thu 2030-03-14, 09:00.
/// <list type="bullet">
/// <item>C1: dispatch, accept + contact, complete, callback reached · resolved · 满意, close.</item>
/// <item>C2: dispatch, accept without contact, complete, callback reached · resolved · 基本满意.</item>
/// <item>C3: dispatch, return, dispatch again, accept + contact, complete, callback reached · unresolved · 不满意.</item>
/// <item>C4: dispatch to 槐荫里, reassign to the second community, accept + contact there, complete, callback unreachable.</item>
/// <item>C5: dispatch, accept + contact; day 2: the sweep marks it overdue, complete (late), callback refused.</item>
/// <item>C6: received only; the same caller, place and problem as C1, so C1 and C6 form a repeat cluster.</item>
/// <item>C7: a grid event (verify, dispatch, accept without contact, complete, verification fails, complete, passes, close).</item>
/// </list>
/// </summary>
public abstract class MetricsTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : Community360App
{
    private static readonly ConditionalWeakTable<Community360App, Task<Scenario>> Scenarios = [];
    private static readonly DateOnly Day1 = new(2030, 3, 4);
    private static readonly DateOnly Day2 = new(2030, 3, 14);
    private readonly CaseClient _cases = new(app);

    private sealed record Scenario(Guid CategoryId, Guid Community1, Guid Community2);

    [Fact]
    public async Task Response_rate_counts_handovers_answered_in_time()
    {
        var row = await CategoryRowAsync(Day1, Day2);
        // Hand-overs: C1 1, C2 1, C3 2 (dispatch, dispatch again), C4 2 (dispatch, reassign), C5 1, C6 0, C7 1 = 8.
        // Answered in time (accepted and contacted before the response deadline): C1, C3's second, C4's reassignment, C5 = 4.
        AssertMetric(row, "ResponseRate", 4, 8, 0.5);
    }

    [Fact]
    public async Task Resolution_rate_counts_only_reached_callbacks_by_default()
    {
        var row = await CategoryRowAsync(Day1, Day2);
        // Valid callbacks: C1, C2, C3 reached = 3 (C4 unreachable and C5 refused are counted apart). Resolved: C1, C2 = 2.
        AssertMetric(row, "ResolutionRate", 2, 3, 0.6667);
        Assert.Equal(1, Counts(row).GetProperty("callbacksUnreachable").GetInt32());
        Assert.Equal(1, Counts(row).GetProperty("callbacksRefused").GetInt32());
    }

    [Fact]
    public async Task Satisfaction_rate_weighs_basically_satisfied_by_the_rule()
    {
        var row = await CategoryRowAsync(Day1, Day2);
        // (满意 C1 + 0.8 × 基本满意 C2) ÷ 3 valid = 1.8 ÷ 3 = 0.6; C3's 不满意 adds nothing to the numerator.
        AssertMetric(row, "SatisfactionRate", 1.8, 3, 0.6);
    }

    [Fact]
    public async Task On_time_rate_and_overdue_counts_follow_the_completions_and_the_sweep()
    {
        var row = await CategoryRowAsync(Day1, Day2);
        // Completions: C1, C2, C3, C4, C5, C7 twice = 7; only C5 (day 2, past its deadline) is late: 6 ÷ 7.
        AssertMetric(row, "OnTimeRate", 6, 7, 0.8571);
        // C5 went overdue once (the sweep on day 2), and was completed late once.
        AssertCount(row, "WentOverdue", 1);
        AssertCount(row, "CompletedLate", 1);
        var byDay = await QueryAsync(Day1, Day2, "Day", "dispatcher");
        var day2 = byDay.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("key").GetString() == "2030-03-14");
        Assert.Equal(1, Counts(day2).GetProperty("wentOverdue").GetInt32());
    }

    [Fact]
    public async Task Rework_rate_is_failed_verifications_over_completions()
    {
        var row = await CategoryRowAsync(Day1, Day2);
        // C7's on-site check failed once; 7 completions: 1 ÷ 7.
        AssertMetric(row, "ReworkRate", 1, 7, 0.1429);
    }

    [Fact]
    public async Task Dispatch_accuracy_takes_off_returns_and_reassignments()
    {
        var row = await CategoryRowAsync(Day1, Day2);
        // (8 hand-overs − 1 return (C3) − 1 reassignment (C4)) ÷ 8 = 0.75.
        AssertMetric(row, "DispatchAccuracy", 6, 8, 0.75);
    }

    [Fact]
    public async Task Repeat_rate_is_cases_in_a_cluster_over_cases_received()
    {
        var row = await CategoryRowAsync(Day1, Day2);
        // 7 received; C1 and C6 (same caller, place and problem) are in one cluster: 2 ÷ 7.
        AssertMetric(row, "RepeatRate", 2, 7, 0.2857);
    }

    [Fact]
    public async Task Average_handling_time_runs_from_the_handover_to_the_completion()
    {
        var row = await CategoryRowAsync(Day1, Day2);
        // Every completion on day 1 follows its hand-over within the same instant (0 min); C5 was handed over on day 1
        // 09:00 and completed on day 2 09:00: 10 days = 14 400 min = 240 h. 240 h ÷ 7 completions = 34.2857 h.
        AssertMetric(row, "AverageHandlingHours", 240, 7, 34.2857);
    }

    [Fact]
    public async Task Each_day_counts_under_the_rule_in_force_that_day()
    {
        await ScenarioAsync();
        // From day 2 a new rule: 基本满意 weighs 0.5 and a refused callback is a valid one.
        await using (var db = app.CreateDbContext())
        {
            db.MetricRuleSets.Add(new MetricRuleSet { EffectiveFrom = Day2, Name = "测试口径", BasicallySatisfiedWeight = 0.5, RefusedIsValid = true });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        try
        {
            // Day 1 alone is unchanged: 1.8 ÷ 3 (C2's 基本满意 was on day 1, under w = 0.8).
            AssertMetric(await CategoryRowAsync(Day1, Day1), "SatisfactionRate", 1.8, 3, 0.6);
            // Both days: C5's refused callback (day 2) is now valid: 2 ÷ 4 resolved, 1.8 ÷ 4 satisfied.
            var both = await CategoryRowAsync(Day1, Day2);
            AssertMetric(both, "ResolutionRate", 2, 4, 0.5);
            AssertMetric(both, "SatisfactionRate", 1.8, 4, 0.45);
            var report = await QueryAsync(Day1, Day2, "Total", "dispatcher");
            Assert.Equal(2, report.GetProperty("rules").GetArrayLength());
        }
        finally
        {
            await using var db = app.CreateDbContext();
            await db.MetricRuleSets.Where(r => r.EffectiveFrom == Day2).ExecuteDeleteAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task A_community_worker_sees_only_their_community_and_groupings_add_up()
    {
        var scenario = await ScenarioAsync();
        var mine = await QueryAsync(Day1, Day2, "Community", "worker2");
        // worker2's community received none of the seven (C4 lies in 槐荫里 and was only handled there): no 槐荫里 row.
        Assert.DoesNotContain(mine.GetProperty("rows").EnumerateArray(), r => r.GetProperty("key").GetString() == scenario.Community1.ToString());
        var worker1 = await QueryAsync(Day1, Day2, "Community", "worker1");
        Assert.Equal([scenario.Community1.ToString()], worker1.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("key").GetString()));

        // The same figures cut by unit, by week and by month add up to the total.
        var total = Counts((await QueryAsync(Day1, Day2, "Total", "dispatcher")).GetProperty("total"));
        foreach (var by in new[] { "HandlingUnit", "Week", "Month", "Channel", "Type", "Grid" })
        {
            var rows = (await QueryAsync(Day1, Day2, by, "dispatcher")).GetProperty("rows").EnumerateArray().ToList();
            Assert.Equal(total.GetProperty("received").GetInt32(), rows.Sum(r => Counts(r).GetProperty("received").GetInt32()));
            Assert.Equal(total.GetProperty("completed").GetInt32(), rows.Sum(r => Counts(r).GetProperty("completed").GetInt32()));
        }
        // By unit: the second community got C4 by reassignment and answered it in time; 槐荫里 lost it (counted as misrouted).
        var units = (await QueryAsync(Day1, Day2, "HandlingUnit", "dispatcher")).GetProperty("rows").EnumerateArray().ToList();
        var second = units.Single(r => r.GetProperty("key").GetString() == scenario.Community2.ToString());
        AssertMetric(second, "ResponseRate", 1, 1, 1);
        var first = units.Single(r => r.GetProperty("key").GetString() == scenario.Community1.ToString());
        Assert.Equal(1, Counts(first).GetProperty("reassigned").GetInt32());
    }

    [Fact]
    public async Task A_bad_range_or_grouping_is_refused()
    {
        var leader = await app.ClientForAsync("leader");
        var backwards = await (await leader.GetAsync("/api/metrics?from=2030-03-10&to=2030-03-01")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(backwards.FieldErrors("to"));
        var grouping = await (await leader.GetAsync("/api/metrics?from=2030-03-01&to=2030-03-10&by=Planet")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(grouping.FieldErrors("by"));
    }

    private static void AssertMetric(JsonElement row, string code, double numerator, double denominator, double value)
    {
        var metric = row.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("code").GetString() == code);
        Assert.Equal(numerator, metric.GetProperty("numerator").GetDouble(), 4);
        Assert.Equal(denominator, metric.GetProperty("denominator").GetDouble(), 4);
        Assert.Equal(value, metric.GetProperty("value").GetDouble(), 4);
    }

    private static void AssertCount(JsonElement row, string code, int value)
    {
        var metric = row.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("code").GetString() == code);
        Assert.Equal(value, metric.GetProperty("value").GetInt32());
    }

    private static JsonElement Counts(JsonElement row) => row.GetProperty("counts");

    private async Task<JsonElement> CategoryRowAsync(DateOnly from, DateOnly to)
    {
        var scenario = await ScenarioAsync();
        await using var db = app.CreateDbContext();
        var parent = await db.CaseCategories.Where(c => c.Id == scenario.CategoryId).Select(c => c.ParentId ?? c.Id).SingleAsync(TestContext.Current.CancellationToken);
        var report = await QueryAsync(from, to, "Category", "dispatcher");
        return report.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("key").GetString() == parent.ToString());
    }

    private async Task<JsonElement> QueryAsync(DateOnly from, DateOnly to, string by, string user)
    {
        var client = await app.ClientForAsync(user);
        return await (await client.GetAsync(string.Create(CultureInfo.InvariantCulture, $"/api/metrics?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}&by={by}")))
            .ShouldBeOkAsync<JsonElement>();
    }

    private Task<Scenario> ScenarioAsync()
    {
        lock (Scenarios)
        {
            return Scenarios.GetValue(app, _ => BuildAsync());
        }
    }

    private async Task<Scenario> BuildAsync()
    {
        app.Clock.SetUtcNow(new DateTimeOffset(2030, 3, 4, 1, 0, 0, TimeSpan.Zero));
        var category = await _cases.CategoryIdAsync("路灯故障");
        var community1 = await _cases.UnitIdAsync("110199001001");
        var community2 = await _cases.UnitIdAsync("110199001002");
        var dispatcher = await app.ClientForAsync("dispatcher");
        var worker1 = await app.ClientForAsync("worker1");
        var worker2 = await app.ClientForAsync("worker2");
        var contact = new { contactedAt = "2030-03-04T09:00:00" };

        async Task<CaseView> Receive(int i, int compound, string phone, string address) =>
            await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(category, await _cases.PointInCommunityAsync("110199001001", compound),
                title: FormattableString.Invariant($"指标测试{i}"), description: FormattableString.Invariant($"指标测试样本{i}：{Guid.NewGuid():N}"),
                phone: phone, address: address));
        async Task<CaseView> Dispatch(CaseView c, Guid unit) => await CaseClient.ActAsync(dispatcher, await GetAsync(dispatcher, c.Id), "dispatch", new { unitId = unit });
        async Task<CaseView> As(HttpClient client, CaseView c, string route, object? body = null) => await CaseClient.ActAsync(client, await GetAsync(client, c.Id), route, body);

        var c1 = await Receive(1, 0, "17000000001", "槐荫里小区1号楼");
        c1 = await As(worker1, await Dispatch(c1, community1), "accept", contact);
        c1 = await As(worker1, c1, "complete", new { note = "路灯已修复。" });
        c1 = await As(dispatcher, c1, "callback", new { contact = "Reached", resolved = true, satisfaction = "Satisfied" });
        await As(dispatcher, c1, "close");

        var c2 = await Receive(2, 1, "17000000002", "槐荫里小区2号楼");
        c2 = await As(worker1, await Dispatch(c2, community1), "accept");
        c2 = await As(worker1, c2, "complete", new { note = "路灯已修复。" });
        await As(dispatcher, c2, "callback", new { contact = "Reached", resolved = true, satisfaction = "BasicallySatisfied" });

        var c3 = await Receive(3, 2, "17000000003", "槐荫里小区3号楼");
        c3 = await As(worker1, await Dispatch(c3, community1), "return", new { note = "不属于本社区" });
        c3 = await As(worker1, await Dispatch(c3, community1), "accept", contact);
        c3 = await As(worker1, c3, "complete", new { note = "路灯已修复。" });
        await As(dispatcher, c3, "callback", new { contact = "Reached", resolved = false, satisfaction = "Unsatisfied" });

        var c4 = await Receive(4, 3, "17000000004", "槐荫里小区4号楼");
        c4 = await As(dispatcher, await Dispatch(c4, community1), "reassign", new { unitId = community2 });
        c4 = await As(worker2, c4, "accept", contact);
        c4 = await As(worker2, c4, "complete", new { note = "路灯已修复。" });
        await As(dispatcher, c4, "callback", new { contact = "Unreachable" });

        var c5 = await Receive(5, 4, "17000000005", "槐荫里小区5号楼");
        c5 = await As(worker1, await Dispatch(c5, community1), "accept", contact);

        // C6: the same caller, place and problem as C1.
        await Receive(6, 0, "17000000001", "槐荫里小区1号楼");

        await using (var db = app.CreateDbContext())
        {
            var grid1 = await db.Users.Where(u => u.UserName == "grid1").Select(u => u.ScopeNodeId).SingleAsync();
            var inGrid = await db.Compounds.Where(c => c.GridId == grid1).Select(c => new { c.Longitude, c.Latitude }).FirstAsync();
            var gridWorker = await app.ClientForAsync("grid1");
            var c7 = await CaseClient.ReceiveAsync(gridWorker, CaseClient.Intake(category, (inGrid.Longitude!.Value, inGrid.Latitude!.Value),
                type: "GridEvent", channel: "GridPatrol", title: "指标测试7", description: "指标测试样本7：" + Guid.NewGuid().ToString("N"),
                phone: "17000000007", address: "槐荫里小区7号楼"));
            c7 = await CaseClient.ActAsync(gridWorker, c7, "verify-report", new { note = "属实" });
            c7 = await As(worker1, await Dispatch(c7, community1), "accept");
            c7 = await As(worker1, c7, "complete", new { note = "已修复。" });
            c7 = await As(gridWorker, c7, "verify-fail", new { note = "仍不亮" });
            c7 = await As(worker1, c7, "complete", new { note = "已彻底修复。" });
            c7 = await As(gridWorker, c7, "verify-pass");
            await As(dispatcher, c7, "close");
        }

        app.Clock.SetUtcNow(new DateTimeOffset(2030, 3, 14, 1, 0, 0, TimeSpan.Zero));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<CaseDeadlineSweep>().RunAsync(CancellationToken.None);
        }
        (dispatcher, worker1) = (await app.ClientForAsync("dispatcher"), await app.ClientForAsync("worker1"));
        c5 = await As(worker1, c5, "complete", new { note = "路灯已修复。" });
        await As(dispatcher, c5, "callback", new { contact = "Refused" });
        return new Scenario(category, community1, community2);
    }

    private static async Task<CaseView> GetAsync(HttpClient client, Guid id) =>
        await (await client.GetAsync($"/api/cases/{id}")).ShouldBeOkAsync<CaseView>();
}

public sealed class MetricsTestsOnSqlite(SqliteApp app) : MetricsTests<SqliteApp>(app);

public sealed class MetricsTestsOnPostgres(PostgresApp app) : MetricsTests<PostgresApp>(app);
