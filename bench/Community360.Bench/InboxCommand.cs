using System.Diagnostics;
using Community360.Cases;
using Community360.Data;
using Community360.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Community360.Bench;

/// <summary>
/// inbox: generates N cases into a fresh database (or uses --connection as it is with --reuse), then times the first
/// page of each of a community worker's inboxes (CaseHandlers.ListAsync with the Inbox filter, with the total, as the
/// console asks for it), one DI scope per query as one request would have.
/// </summary>
internal static class InboxCommand
{
    public static async Task<int> RunAsync(Options options, CancellationToken ct)
    {
        var provider = AppHost.Provider(options.Text("provider"));
        var count = options.Int("cases", 100_000);
        var connection = options.Text("connection") ?? Report.Inv($"Data Source=bench-data/inbox-{count}.db");
        var user = options.Text("user", "worker1");
        var iterations = options.Int("iterations", 200);
        if (provider == DatabaseProvider.Sqlite && !options.Flag("reuse"))
        {
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connection).DataSource;
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(file + suffix);
            }
        }
        await using var app = await AppHost.OpenAsync(provider, connection, ct);
        if (!options.Flag("reuse"))
        {
            var loaded = await GenerateCommand.LoadAsync(app, count, options.Int("days", 60), options.Int("seed", 20261125), ct);
            Report.Line($"generated {loaded.Cases:N0} cases in {loaded.Seconds:0.0} s ({loaded.Cases / loaded.Seconds:N0} cases/s)");
        }
        Caller caller;
        int total;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            caller = await AppHost.CallerAsync(db, user, ct);
            total = await db.Cases.CountAsync(ct);
        }
        Report.Line($"inbox of {caller.UserName} ({string.Join(",", caller.Roles)}, scope {caller.ScopePath}) over {total:N0} cases, {provider}");
        var all = new Latencies();
        foreach (var inbox in CaseInboxes.For(caller))
        {
            var latencies = new Latencies();
            int? matching = null;
            for (var i = -5; i < iterations; i++)
            {
                await using var scope = app.Services.CreateAsyncScope();
                var handlers = scope.ServiceProvider.GetRequiredService<CaseHandlers>();
                var start = Stopwatch.GetTimestamp();
                var page = await handlers.ListAsync(caller, new CaseQuery(Inbox: inbox, IncludeTotal: !options.Flag("no-total")), ct);
                var elapsed = Report.Ms(Stopwatch.GetTimestamp() - start);
                matching = page.Total;
                if (i >= 0)
                {
                    latencies.Add(elapsed);
                }
            }
            all.AddRange(latencies.Values);
            Report.Line($"  {inbox,-14} {CaseInboxes.Name(inbox)} total={matching:N0}: {latencies.Summary()}");
        }
        Report.Line($"all inboxes: {all.Summary()}");
        return 0;
    }
}
