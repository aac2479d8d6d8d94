using System.Globalization;
using System.Text.Json;
using Community360.Cases;
using Community360.Reports;
using Community360.Tests.Cases;
using Community360.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Community360.Tests.Reports;

/// <summary>The aggregates kept up to date with every event equal the ones recomputed from the event log.</summary>
public abstract class MetricsRebuildTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : Community360App
{
    private const int Seed = 20261125;
    private readonly CaseClient _cases = new(app);

    [Fact]
    public async Task After_a_random_run_of_actions_the_live_aggregates_equal_a_rebuild_from_the_event_log()
    {
        var random = new Random(Seed);
        app.Clock.SetUtcNow(new DateTimeOffset(2031, 3, 3, 1, 0, 0, TimeSpan.Zero));
        var units = new[] { await _cases.UnitIdAsync("110199001001"), await _cases.UnitIdAsync("110199001002") };
        var workers = new Dictionary<Guid, string> { [units[0]] = "worker1", [units[1]] = "worker2" };
        var categories = new[] { await _cases.CategoryIdAsync("楼道堆物"), await _cases.CategoryIdAsync("路灯故障") };
        var ids = new List<Guid>();
        var performed = new List<string>();
        for (var step = 0; step < 140; step++)
        {
            // Signed in afresh at each step: the clock moves past the sessions' idle timeout.
            var dispatcher = await app.ClientForAsync("dispatcher");
            if (step % 15 == 0)
            {
                // Time passes, sometimes past the deadlines, and the sweep marks what is overdue.
                app.Clock.Advance(TimeSpan.FromHours(random.Next(1, 60)));
                await using (var scope = app.Services.CreateAsyncScope())
                {
                    await scope.ServiceProvider.GetRequiredService<CaseDeadlineSweep>().RunAsync(CancellationToken.None);
                }
                dispatcher = await app.ClientForAsync("dispatcher");
            }
            if (ids.Count < 4 || random.Next(5) == 0)
            {
                var community = random.Next(2) == 0 ? "110199001001" : "110199001002";
                // A few callers call twice about the same thing: repeat clusters form.
                var phone = "1709988" + random.Next(0, 6).ToString("D4", CultureInfo.InvariantCulture);
                var received = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(categories[random.Next(2)], await _cases.PointInCommunityAsync(community, random.Next(2)),
                    title: $"重建测试{step}", description: $"重建测试第{step}条诉求：{Guid.NewGuid():N}", phone: phone,
                    channel: random.Next(3) == 0 ? "WalkIn" : "Hotline12345"));
                ids.Add(received.Id);
                performed.Add("Receive");
                continue;
            }
            var id = ids[random.Next(ids.Count)];
            var seen = await GetAsync(dispatcher, id);
            var actor = seen.HandlingUnitId is { } unit && workers.TryGetValue(unit, out var worker) ? await app.ClientForAsync(worker) : dispatcher;
            var asActor = await GetAsync(actor, id);
            var options = asActor.AllowedActions.Concat(actor == dispatcher ? [] : seen.AllowedActions.Where(a => a is "Callback" or "Close" or "Reopen" or "Reassign" or "Supervise"))
                .Where(Routes.ContainsKey).Distinct().ToList();
            if (options.Count == 0)
            {
                continue;
            }
            // Mostly forward along the chain, now and then a step back or aside.
            var weighted = options.SelectMany(a => Enumerable.Repeat(a, a is "Void" or "Supervise" or "Return" or "Reassign" or "Reopen" or "Suspend" ? 1 : 4)).ToList();
            var action = weighted[random.Next(weighted.Count)];
            var client = asActor.AllowedActions.Contains(action) ? actor : dispatcher;
            var current = client == actor ? asActor : seen;
            object? body = action switch
            {
                "Dispatch" => new { unitId = units[random.Next(2)] },
                "Reassign" => new { unitId = units.First(u => u != current.HandlingUnitId) },
                "Accept" => random.Next(3) == 0 ? null : new { contactedAt = ChinaNow().ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) },
                "Callback" => (random.Next(4)) switch
                {
                    0 => new { contact = "Unreachable" },
                    1 => new { contact = "Refused" },
                    _ => (object)new { contact = "Reached", resolved = random.Next(3) != 0, satisfaction = new[] { "Satisfied", "BasicallySatisfied", "Unsatisfied" }[random.Next(3)] },
                },
                "Complete" => new { note = "已处理完毕。" },
                _ => new { note = "测试理由" },
            };
            await CaseClient.ActAsync(client, current, Routes[action], body);
            performed.Add(action);
            app.Clock.Advance(TimeSpan.FromMinutes(random.Next(1, 400)));
        }

        var live = await RowsAsync();
        IReadOnlyList<CaseMetricDay> recomputed;
        await using (var db = app.CreateDbContext())
        {
            recomputed = await MetricLedger.ComputeFromLogAsync(db, TestContext.Current.CancellationToken);
            await MetricLedger.RebuildAsync(db, TestContext.Current.CancellationToken);
        }
        var rebuilt = await RowsAsync();

        // The run did exercise the engine: every kind of counted action happened, over several days.
        foreach (var expected in new[] { "Dispatch", "Accept", "Return", "Reassign", "Complete", "Callback", "Reopen", "Close" })
        {
            Assert.True(performed.Contains(expected), $"{expected} never happened: {string.Join(", ", performed.CountBy(a => a).Select(c => $"{c.Key} {c.Value}"))}");
        }
        Assert.Equal(ids.Count, live.Sum(r => r.Received));
        Assert.True(live.Select(r => r.Day).Distinct().Count() >= 3, "the run spans several days");
        Assert.True(live.Sum(r => r.InRepeatCluster) > 0, "some cases joined a repeat cluster");
        Assert.Equal(Describe(live), Describe(rebuilt));
        Assert.Equal(Describe(live), Describe(recomputed));
    }

    private static readonly Dictionary<string, string> Routes = new(StringComparer.Ordinal)
    {
        ["Dispatch"] = "dispatch", ["Accept"] = "accept", ["Return"] = "return", ["Reassign"] = "reassign", ["Suspend"] = "suspend",
        ["Resume"] = "resume", ["Complete"] = "complete", ["Callback"] = "callback", ["Close"] = "close", ["Reopen"] = "reopen",
        ["Void"] = "void", ["Supervise"] = "supervise",
    };

    private async Task<List<CaseMetricDay>> RowsAsync()
    {
        await using var db = app.CreateDbContext();
        return await db.CaseMetricDays.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Every row as one line, in key order; rows of only zeros (a cluster joined and left) are no figure.</summary>
    private static List<string> Describe(IEnumerable<CaseMetricDay> rows) => rows
        .Select(r => JsonSerializer.Serialize(r))
        .Where(line => !IsZero(line))
        .Order(StringComparer.Ordinal)
        .ToList();

    private static bool IsZero(string line)
    {
        using var json = JsonDocument.Parse(line);
        return json.RootElement.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).All(p => p.Value.GetInt64() == 0);
    }

    private DateTime ChinaNow() => app.Clock.GetUtcNow().UtcDateTime.AddHours(8);

    private static async Task<CaseView> GetAsync(HttpClient client, Guid id) =>
        await (await client.GetAsync($"/api/cases/{id}")).ShouldBeOkAsync<CaseView>();
}

public sealed class MetricsRebuildTestsOnSqlite(SqliteApp app) : MetricsRebuildTests<SqliteApp>(app);

public sealed class MetricsRebuildTestsOnPostgres(PostgresApp app) : MetricsRebuildTests<PostgresApp>(app);
