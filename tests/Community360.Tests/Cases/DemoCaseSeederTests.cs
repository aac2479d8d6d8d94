using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Community360.Cases;
using Community360.Organization;
using Community360.Seeding;
using Community360.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Community360.Tests.Cases;

/// <summary>
/// The demo cases seeded on first start, on the real host: a few hundred of them in every state, channel and
/// community, each with a timeline the engine itself wrote and that ends where the case is.
/// </summary>
public abstract partial class DemoCaseSeederTests<TApp>(TApp app, ITestOutputHelper output) : IClassFixture<TApp> where TApp : Community360App
{
    [Fact]
    public async Task The_demo_seed_spreads_consistent_cases_over_every_state_channel_and_community()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeder = await SeedOnceAsync(ct);
        Assert.Equal(0, await seeder.SeedAsync(ct));

        var now = app.Clock.GetUtcNow().UtcDateTime;
        await using var db = app.CreateDbContext();
        var cases = await db.Cases.AsNoTracking().ToListAsync(ct);
        var events = (await db.CaseEvents.AsNoTracking().ToListAsync(ct)).ToLookup(e => e.CaseId);
        var configs = (await db.CaseTypeConfigs.AsNoTracking().ToListAsync(ct)).ToDictionary(c => c.Type);
        var communities = await db.OrgUnits.AsNoTracking()
            .Where(o => o.Kind == OrgUnitKind.Community && EF.Functions.Like(o.Code, DemoStreetSeeder.StreetCode + "%"))
            .Select(o => new { o.Id, o.Name }).ToListAsync(ct);

        Print(cases, communities.ToDictionary(c => c.Id, c => c.Name));
        Assert.InRange(cases.Count, 250, 400);
        Assert.All(Enum.GetValues<CaseState>(), s => Assert.Contains(cases, c => c.State == s));
        Assert.All(Enum.GetValues<CaseChannel>(), ch => Assert.Contains(cases, c => c.Channel == ch));
        Assert.All(communities, community => Assert.Contains(cases, c => c.CommunityId == community.Id));

        foreach (var @case in cases)
        {
            var timeline = events[@case.Id].OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).ToList();
            Assert.NotEmpty(timeline);
            Assert.Equal(CaseAction.Receive, timeline[0].Action);
            Assert.Equal(@case.ReceivedAt, timeline[0].OccurredAt);
            for (var i = 1; i < timeline.Count; i++)
            {
                // In time order every event starts where the one before it ended: the times tell the story in order.
                Assert.True(timeline[i].FromState == timeline[i - 1].ToState,
                    $"{@case.Number}: {timeline[i].Action} at {timeline[i].OccurredAt:O} starts from {timeline[i].FromState}, but {timeline[i - 1].Action} ended in {timeline[i - 1].ToState}");
            }
            Assert.Equal(@case.State, timeline[^1].ToState);
            Assert.All(timeline, e => Assert.True(e.OccurredAt <= now, $"{@case.Number}: {e.Action} at {e.OccurredAt:O} is after now {now:O}"));
            if (@case.State == CaseState.Closed && configs[@case.Type].RequiresCallback)
            {
                Assert.Contains(timeline, e => e.Action == CaseAction.Callback);
                Assert.NotNull(@case.CallbackContact);
            }
            foreach (var text in new[] { @case.Title, @case.Description, @case.Address, @case.ResultSummary }.Concat(timeline.Select(e => e.Note)))
            {
                Assert.False(text is not null && Placeholder().IsMatch(text), $"{@case.Number}: unreplaced placeholder in “{text}”");
            }
        }

        var clustered = cases.Where(c => c.RepeatClusterId is not null).ToList();
        Assert.True(clustered.Count >= 10, $"only {clustered.Count} cases in repeat clusters");
        var unsatisfied = await new CaseRepeats(db, app.Services.GetRequiredService<RepeatIndexHost>()).UnsatisfiedClustersAsync(db.Cases, ct);
        Assert.NotEmpty(unsatisfied);

        // The things that happen on the way happened to some cases.
        Assert.Contains(cases, c => c.NeedsManualRouting);
        Assert.Contains(cases, c => c.MergedIntoCaseId is not null);
        Assert.Contains(cases, c => c.ReturnCount > 0);
        Assert.Contains(cases, c => c.ReassignCount > 0);
        Assert.Contains(cases, c => c.ReworkCount > 0);
        Assert.Contains(cases, c => c.ReopenCount > 0);
        Assert.Contains(cases, c => c.SuperviseCount > 0);
        Assert.Contains(cases, c => c.LeaderInChargeUserId is not null);
        Assert.Contains(cases, c => c.ExtensionRequestedDueAt is not null);
        Assert.Contains(cases, c => c.IsConfidential);
        Assert.Contains(cases, c => c.IsOpen && c.CompletedAt is null && c.CompletionDueAt < now);
        Assert.Contains(cases, c => c.CompletedAt > c.CompletionDueAt);
        Assert.Contains(cases, c => c.Type == CaseType.GridEvent && c.State == CaseState.Received && c.IntakeVerifiedAt is null);
        Assert.All(cases.Where(c => c.Channel == CaseChannel.Hotline12345), c => Assert.Matches(@"^12345-\d{4}-\d{6}$", c.ExternalReference));
        Assert.Contains(events.SelectMany(e => e), e => e.Action == CaseAction.MarkOverdue);
        Assert.Contains(cases, c => c.Urgency == CaseUrgency.Urgent);
        Assert.Contains(cases, c => c.Urgency == CaseUrgency.VeryUrgent);
        Assert.Contains(cases, c => c.Type == CaseType.EnterpriseRequest);
    }

    [Fact]
    public async Task Every_demo_login_finds_work_waiting_in_its_inboxes()
    {
        var ct = TestContext.Current.CancellationToken;
        await SeedOnceAsync(ct);
        string[] handlers = ["worker1", "worker2", "dept1", "partner1"];
        string[] onSite = ["worker1", "worker2", "grid1", "grid2"];
        foreach (var user in handlers.Union(onSite))
        {
            var client = await app.ClientForAsync(user);
            var counts = (await (await client.GetAsync("/api/cases/inbox-counts", ct)).ShouldBeOkAsync<List<JsonElement>>())
                .ToDictionary(c => c.GetProperty("inbox").GetString()!, c => (
                    Total: c.GetProperty("total").GetInt32(),
                    Pressing: c.GetProperty("overdue").GetInt32() + c.GetProperty("dueSoon").GetInt32()));
            output.WriteLine(user + ": " + string.Join(", ", counts.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value.Total} ({c.Value.Pressing} overdue or due soon)"))));
            int Total(CaseInbox inbox) => counts.TryGetValue(inbox.ToString(), out var count) ? count.Total : -1;
            int Pressing(CaseInbox inbox) => counts.TryGetValue(inbox.ToString(), out var count) ? count.Pressing : -1;
            if (handlers.Contains(user))
            {
                Assert.True(Total(CaseInbox.ToAccept) >= 2, $"{user}: {Total(CaseInbox.ToAccept)} cases to accept");
                Assert.True(Total(CaseInbox.InProgress) >= 2, $"{user}: {Total(CaseInbox.InProgress)} cases in progress");
                Assert.True(Pressing(CaseInbox.ToAccept) + Pressing(CaseInbox.InProgress) >= 1, $"{user}: nothing overdue or due soon");
            }
            if (onSite.Contains(user))
            {
                Assert.True(Total(CaseInbox.ToVerifyReport) >= 1, $"{user}: no report to verify");
                Assert.True(Total(CaseInbox.ToVerify) >= 1, $"{user}: no completed case to verify on site");
                // A grid worker handles for the community in the grid: the community's cases are placed where its grids are.
                Assert.True(Total(CaseInbox.ToAccept) >= 1, $"{user}: no case to accept");
                Assert.True(Total(CaseInbox.InProgress) >= 1, $"{user}: no case in progress");
            }
        }
    }

    /// <summary>Seeds the demo cases unless an earlier test of the class did; both tests read the same cases.</summary>
    private async Task<DemoCaseSeeder> SeedOnceAsync(CancellationToken ct)
    {
        var seeder = ActivatorUtilities.CreateInstance<DemoCaseSeeder>(app.Services);
        await using var before = app.CreateDbContext();
        if (!await before.Cases.AnyAsync(ct))
        {
            var watch = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var created = await seeder.SeedAsync(ct);
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Seeded {created} cases in {watch.Elapsed.TotalSeconds:0.00} s on {app.Provider} (process CPU {cpu.TotalSeconds:0.00} s, {Environment.ProcessorCount} cores)."));
        }
        return seeder;
    }

    private void Print(List<Case> cases, Dictionary<Guid, string> communities)
    {
        void Line(string title, IEnumerable<(string Key, int Count)> rows) =>
            output.WriteLine(title + ": " + string.Join(", ", rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} {r.Count}"))));

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cases.Count} cases"));
        Line("State", cases.GroupBy(c => c.State).OrderBy(g => g.Key).Select(g => (CaseNames.Of(g.Key), g.Count())));
        Line("Channel", cases.GroupBy(c => c.Channel).OrderByDescending(g => g.Count()).Select(g => (CaseNames.Of(g.Key), g.Count())));
        Line("Type", cases.GroupBy(c => c.Type).OrderByDescending(g => g.Count()).Select(g => (CaseNames.Of(g.Key), g.Count())));
        Line("Urgency", cases.GroupBy(c => c.Urgency).OrderBy(g => g.Key).Select(g => (CaseNames.Of(g.Key), g.Count())));
        Line("Community", cases.GroupBy(c => c.CommunityId).OrderByDescending(g => g.Count())
            .Select(g => (g.Key is { } id ? communities.GetValueOrDefault(id, "?") : "未定位", g.Count())));
        var callbacks = cases.Where(c => c.CallbackContact is not null).ToList();
        var reached = callbacks.Where(c => c.CallbackContact == CallbackContact.Reached).ToList();
        Line("Callback", callbacks.GroupBy(c => c.CallbackSatisfaction is { } s ? CaseNames.Of(s) : CaseNames.Of(c.CallbackContact!.Value))
            .OrderByDescending(g => g.Count()).Select(g => (g.Key, g.Count())));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Resolved {reached.Count(c => c.CallbackResolved == true)}/{reached.Count}; repeat clusters {cases.Where(c => c.RepeatClusterId != null).Select(c => c.RepeatClusterId).Distinct().Count()} with {cases.Count(c => c.RepeatClusterId != null)} cases; confidential {cases.Count(c => c.IsConfidential)}; manual routing {cases.Count(c => c.NeedsManualRouting)}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Returned {cases.Count(c => c.ReturnCount > 0)}, reassigned {cases.Count(c => c.ReassignCount > 0)}, reworked {cases.Count(c => c.ReworkCount > 0)}, reopened {cases.Count(c => c.ReopenCount > 0)}, supervised {cases.Count(c => c.SuperviseCount > 0)}, leader {cases.Count(c => c.LeaderInChargeUserId != null)}, merged {cases.Count(c => c.MergedIntoCaseId != null)}, pending extension {cases.Count(c => c.ExtensionRequestedDueAt != null)}, completed late {cases.Count(c => c.CompletedAt > c.CompletionDueAt)}"));
    }

    [GeneratedRegex(@"\{[a-z]+\}")]
    private static partial Regex Placeholder();
}

public sealed class DemoCaseSeederTestsOnSqlite(SqliteApp app, ITestOutputHelper output) : DemoCaseSeederTests<SqliteApp>(app, output);

public sealed class DemoCaseSeederTestsOnPostgres(PostgresApp app, ITestOutputHelper output) : DemoCaseSeederTests<PostgresApp>(app, output);
