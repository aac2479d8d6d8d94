using System.Net;
using Community360.Cases;
using Community360.Data;
using Community360.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Community360.Tests.Cases;

/// <summary>
/// A host whose clock starts on Friday 2026-02-13 10:00 Beijing time, the day before the Spring Festival's
/// adjusted Saturday, so deadlines cross the official holiday arrangement seeded from the 2026 file.
/// </summary>
public sealed class SpringFestivalApp() : Community360App(DatabaseProvider.Sqlite)
{
    protected override DateTimeOffset StartTime => new(2026, 2, 13, 2, 0, 0, TimeSpan.Zero);
}

public sealed class SpringFestivalPostgresApp() : Community360App(DatabaseProvider.Postgres)
{
    protected override DateTimeOffset StartTime => new(2026, 2, 13, 2, 0, 0, TimeSpan.Zero);
}

public abstract class CaseDeadlineTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : Community360App
{
    private readonly CaseClient _cases = new(app);

    [Fact]
    public async Task Deadlines_follow_the_working_calendar_suspension_stops_the_clock_and_the_sweep_marks_overdue_once()
    {
        // Tokens last an hour of the host's clock: after each jump the clerks sign in again, as they would.
        var dispatcher = await app.ClientForAsync("dispatcher");
        var worker = await app.ClientForAsync("worker1");
        var community = await _cases.UnitIdAsync("110199001001");
        // 楼道堆物 (邻里纠纷): respond in 4 working hours, complete in 5 working days. Office hours 09:00-12:00, 13:30-17:30.
        var received = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(await _cases.CategoryIdAsync("楼道堆物"), await _cases.PointInCommunityAsync("110199001001")));

        var dispatched = await CaseClient.ActAsync(dispatcher, received, "dispatch", new { unitId = community });

        // Fri 02-13 10:00 + 4 working hours: 10:00-12:00 and 13:30-15:30 → 15:30 Beijing = 07:30Z.
        Assert.Equal(new DateTime(2026, 2, 13, 7, 30, 0, DateTimeKind.Utc), dispatched.ResponseDueAt);
        // 5 working days after 02-13 (受理次日起算): 02-14 (adjusted Saturday) is day 1, 02-15..02-23 are the holiday,
        // then 02-24, 25, 26, 27 → the close of Fri 02-27, 17:30 Beijing = 09:30Z.
        Assert.Equal(new DateTime(2026, 2, 27, 9, 30, 0, DateTimeKind.Utc), dispatched.CompletionDueAt);
        var accepted = await CaseClient.ActAsync(worker, await GetAsync(worker, dispatched.Id), "accept");

        // Meanwhile, on the holiday Monday 02-16 at 12:00 Beijing, an urgent gas smell: urgent limits count the clock,
        // not the calendar, so the response is due two hours later, on the holiday itself.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 2, 16, 4, 0, 0, TimeSpan.Zero));
        dispatcher = await app.ClientForAsync("dispatcher");
        var gas = System.Text.Json.JsonSerializer.SerializeToElement(
            CaseClient.Intake(await _cases.CategoryIdAsync("燃气安全"), await _cases.PointInCommunityAsync("110199001002"), title: "楼道里有燃气味"),
            ApiAssertions.Json).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
        gas["urgency"] = "Urgent";
        var urgent = await (await dispatcher.PostJsonAsync("/api/cases", gas)).ShouldBeOkAsync<CaseView>(HttpStatusCode.Created);
        var urgentDispatched = await CaseClient.ActAsync(dispatcher, urgent, "dispatch", new { unitId = await _cases.UnitIdAsync("110199001D02") });
        Assert.Equal(new DateTime(2026, 2, 16, 6, 0, 0, DateTimeKind.Utc), urgentDispatched.ResponseDueAt);
        Assert.Equal(new DateTime(2026, 2, 16, 6, 0, 0, DateTimeKind.Utc), urgentDispatched.CompletionDueAt);

        // Suspended Fri 02-27 16:00, resumed Mon 03-02 10:00. The clock stopped for the working time in between:
        // Fri 16:00-17:30 (1.5 h) + Sat 02-28, an adjusted workday (3 h + 4 h = 7 h) + Mon 09:00-10:00 (1 h) = 9.5 h.
        // From Fri 17:30, 9.5 working hours: all of Sat 02-28 (7 h), then Mon 09:00 + 2.5 h → 03-02 11:30 = 03:30Z.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 2, 27, 8, 0, 0, TimeSpan.Zero));
        worker = await app.ClientForAsync("worker1");
        var suspended = await CaseClient.ActAsync(worker, accepted, "suspend", new { note = "等待业主返京后配合清理" });
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 2, 2, 0, 0, TimeSpan.Zero));
        (dispatcher, worker) = (await app.ClientForAsync("dispatcher"), await app.ClientForAsync("worker1"));
        var resumed = await CaseClient.ActAsync(worker, suspended, "resume");
        Assert.Equal(new DateTime(2026, 3, 2, 3, 30, 0, DateTimeKind.Utc), resumed.CompletionDueAt);
        var resume = (await CaseClient.TimelineAsync(dispatcher, resumed.Id)).Single(e => e.Action == "Resume");
        Assert.Contains("2026-03-02T03:30:00", resume.Data, StringComparison.Ordinal);

        // Within four working hours of the deadline the sweep warns; past it, it marks overdue, once.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 2, 2, 30, 0, TimeSpan.Zero));
        Assert.Equal(1, (await SweepAsync()).DueSoon);
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 2, 4, 0, 0, TimeSpan.Zero));
        var sweep = await SweepAsync();
        Assert.True(sweep.Overdue >= 1, "the case is past its deadline");
        Assert.Equal(0, (await SweepAsync()).Overdue);
        (dispatcher, worker) = (await app.ClientForAsync("dispatcher"), await app.ClientForAsync("worker1"));
        var timeline = await CaseClient.TimelineAsync(dispatcher, resumed.Id);
        Assert.Single(timeline, e => e.Action == "MarkDueSoon");
        Assert.Single(timeline, e => e.Action == "MarkOverdue");
        var overdue = await (await dispatcher.GetAsync("/api/cases?overdue=true&limit=200")).ShouldBeOkAsync<System.Text.Json.JsonElement>();
        Assert.Contains(overdue.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetGuid() == resumed.Id && i.GetProperty("isOverdue").GetBoolean());
        var detail = await (await dispatcher.GetAsync($"/api/cases/{resumed.Id}")).ShouldBeOkAsync<System.Text.Json.JsonElement>();
        Assert.StartsWith("已超期", detail.GetProperty("remainingText").GetString(), StringComparison.Ordinal);

        // An approved extension moves the deadline; the request and the approval are both in the timeline.
        var requested = await CaseClient.ActAsync(worker, await GetAsync(worker, resumed.Id), "extension/request", new { requestedDueAt = "2026-03-10T17:30:00", note = "需协调物业和业主" });
        var approved = await CaseClient.ActAsync(dispatcher, await GetAsync(dispatcher, requested.Id), "extension/approve");
        Assert.Equal(new DateTime(2026, 3, 10, 9, 30, 0, DateTimeKind.Utc), approved.CompletionDueAt);
        Assert.Contains((await CaseClient.TimelineAsync(dispatcher, approved.Id)).Select(e => e.Action), a => a == "ApproveExtension");
    }

    private async Task<DeadlineSweepResult> SweepAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CaseDeadlineSweep>().RunAsync(CancellationToken.None);
    }

    private static async Task<CaseView> GetAsync(HttpClient client, Guid id) =>
        await (await client.GetAsync($"/api/cases/{id}")).ShouldBeOkAsync<CaseView>();
}

public sealed class CaseDeadlineTestsOnSqlite(SpringFestivalApp app) : CaseDeadlineTests<SpringFestivalApp>(app);

public sealed class CaseDeadlineTestsOnPostgres(SpringFestivalPostgresApp app) : CaseDeadlineTests<SpringFestivalPostgresApp>(app);

/// <summary>Its own host: it moves the clock past a deadline, which would disturb the calendar scenario above.</summary>
public abstract class ConcurrentSweepTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : Community360App
{
    private readonly CaseClient _cases = new(app);

    [Fact]
    public async Task Sweeps_running_at_once_as_on_several_app_nodes_mark_a_case_only_once()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var received = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(await _cases.CategoryIdAsync("楼道堆物"), await _cases.PointInCommunityAsync("110199001003")));
        var dispatched = await CaseClient.ActAsync(dispatcher, received, "dispatch", new { unitId = await _cases.UnitIdAsync("110199001003") });
        app.Clock.SetUtcNow(new DateTimeOffset(dispatched.CompletionDueAt!.Value.AddHours(1), TimeSpan.Zero));

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            try
            {
                return await SweepAsync();
            }
            catch (Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException)
            {
                // A node that lost the race on a case's version gives up this tick; the winner's mark stands.
                return new DeadlineSweepResult(0, 0, Skipped: true);
            }
        }));

        Assert.Contains(results, r => r.Overdue >= 1);
        var overdueEvents = (await CaseClient.TimelineAsync(await app.ClientForAsync("dispatcher"), dispatched.Id)).Count(e => e.Action == "MarkOverdue");
        Assert.Equal(1, overdueEvents);
    }

    private async Task<DeadlineSweepResult> SweepAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CaseDeadlineSweep>().RunAsync(CancellationToken.None);
    }
}

public sealed class ConcurrentSweepTestsOnSqlite(SqliteApp app) : ConcurrentSweepTests<SqliteApp>(app);

public sealed class ConcurrentSweepTestsOnPostgres(PostgresApp app) : ConcurrentSweepTests<PostgresApp>(app);
