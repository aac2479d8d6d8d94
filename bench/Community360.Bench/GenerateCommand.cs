using System.Diagnostics;
using Community360.Cases;
using Community360.Cases.Repeats;
using Community360.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Community360.Bench;

/// <summary>generate: the app's start-up data, then N generated cases bulk-loaded with their events and assignments.</summary>
internal static class GenerateCommand
{
    private const int Batch = 5_000;

    public static async Task<int> RunAsync(Options options, CancellationToken ct)
    {
        var provider = AppHost.Provider(options.Text("provider"));
        var connection = options.Text("connection", "Data Source=bench-data/bench.db");
        var count = options.Int("cases", 100_000);
        var days = options.Int("days", 60);
        var seed = options.Int("seed", 20261125);
        await using var app = await AppHost.OpenAsync(provider, connection, ct);
        var loaded = await LoadAsync(app, count, days, seed, ct);
        Report.Line($"generated {loaded.Cases:N0} cases ({loaded.Events:N0} events, {loaded.Assignments:N0} assignments) in {loaded.Seconds:0.0} s = {loaded.Cases / loaded.Seconds:N0} cases/s into {provider}");
        return 0;
    }

    public sealed record Loaded(int Cases, long Events, long Assignments, double Seconds);

    public static async Task<Loaded> LoadAsync(WebApplication app, int count, int days, int seed, CancellationToken ct)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (await db.Cases.AnyAsync(ct))
        {
            throw new InvalidOperationException("The database holds cases already: generate loads into a fresh database only.");
        }
        var world = await World.LoadAsync(db, ct);
        var now = DateTime.UtcNow;
        now = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        var watch = Stopwatch.StartNew();
        var generated = new CaseCorpus(world, count, seed).Generate(count, now, days, repeatShare: 0.3);
        Report.Line($"  {count:N0} texts generated in {watch.Elapsed.TotalSeconds:0.0} s");
        var sizes = generated.GroupBy(c => c.Cluster).ToDictionary(g => g.Key, g => g.Count());
        var builder = new CaseBuilder(world, new PhoneHasher(RepeatIndexHost.DevelopmentKey), now, seed);
        var cases = new BulkWriter<Case>(db);
        var events = new BulkWriter<CaseEvent>(db);
        var assignments = new BulkWriter<CaseAssignment>(db);
        await db.Database.OpenConnectionAsync(ct);
        var connection = db.Database.GetDbConnection();
        long eventCount = 0, assignmentCount = 0, buildTicks = 0;
        await using (var pragma = connection.CreateCommand())
        {
            if (connection is SqliteConnection)
            {
                // A throwaway load: a crash mid-way means generating again, so durability is not paid for.
                pragma.CommandText = "PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF; PRAGMA cache_size=-262144;";
                await pragma.ExecuteNonQueryAsync(ct);
            }
        }
        for (var offset = 0; offset < generated.Count; offset += Batch)
        {
            var buildStart = Stopwatch.GetTimestamp();
            var batch = generated.Skip(offset).Take(Batch).Select(g => builder.Build(g, sizes[g.Cluster] > 1)).ToList();
            buildTicks += Stopwatch.GetTimestamp() - buildStart;
            var batchEvents = batch.SelectMany(c => c.Events).ToList();
            var batchAssignments = batch.SelectMany(c => c.Assignments).ToList();
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await cases.WriteAsync(connection, transaction, batch, ct);
            await events.WriteAsync(connection, transaction, batchEvents, ct);
            await assignments.WriteAsync(connection, transaction, batchAssignments, ct);
            await transaction.CommitAsync(ct);
            eventCount += batchEvents.Count;
            assignmentCount += batchAssignments.Count;
            if ((offset / Batch) % 20 == 19)
            {
                Report.Line($"  {offset + batch.Count:N0} cases, {watch.Elapsed.TotalSeconds:0} s ({Report.Ms(buildTicks) / 1000:0} s building cases)");
            }
        }
        // Intake numbers continue after the generated ones.
        foreach (var (day, last) in builder.LastNumbers)
        {
            await db.Database.ExecuteSqlAsync(
                $"""INSERT INTO "CaseNumberCounters" ("Day", "Last") VALUES ({day}, {last}) ON CONFLICT ("Day") DO UPDATE SET "Last" = excluded."Last" """, ct);
        }
        await using (var restore = connection.CreateCommand())
        {
            restore.CommandText = connection is SqliteConnection ? "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; ANALYZE;" : "ANALYZE";
            await restore.ExecuteNonQueryAsync(ct);
        }
        var seconds = watch.Elapsed.TotalSeconds;
        await db.Database.CloseConnectionAsync();
        await VerifyReadableAsync(app, ct);
        return new Loaded(generated.Count, eventCount, assignmentCount, seconds);
    }

    /// <summary>The app reads what was written: the newest and a closed case in full, with their timelines.</summary>
    private static async Task VerifyReadableAsync(WebApplication app, CancellationToken ct)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var handlers = scope.ServiceProvider.GetRequiredService<CaseHandlers>();
        var caller = await AppHost.CallerAsync(db, "dispatcher", ct);
        foreach (var state in new[] { CaseState.Received, CaseState.Closed, CaseState.Accepted })
        {
            var id = await db.Cases.Where(c => c.State == state).OrderByDescending(c => c.ReceivedAt).Select(c => c.Id).FirstOrDefaultAsync(ct);
            if (id == Guid.Empty)
            {
                continue;
            }
            var detail = await handlers.GetAsync(caller, id, ct);
            var timeline = await handlers.TimelineAsync(caller, id, ct);
            if (detail.State != state || timeline.Count == 0)
            {
                throw new InvalidOperationException($"Case {id} reads back as {detail.State} with {timeline.Count} events.");
            }
        }
        var page = await handlers.ListAsync(caller, new CaseQuery(Limit: 5), ct);
        Report.Line($"read back: list total {page.Total:N0}, newest {(page.Items.Count > 0 ? page.Items[0].Number : null)}");
    }
}
