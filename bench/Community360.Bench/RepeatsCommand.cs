using System.Diagnostics;
using Community360.Cases;
using Community360.Cases.Repeats;
using Community360.Data;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace Community360.Bench;

/// <summary>
/// repeats: the repeat finder over N generated cases in its window, as intake uses it (RepeatIndexHost's options,
/// compounds registered first, probes built like CaseRepeats builds them), against the generated ground truth, against
/// an exhaustive run of the same finder on a sample, and against PostgreSQL pg_trgm on the same texts.
/// </summary>
internal static class RepeatsCommand
{
    public static async Task<int> RunAsync(Options options, CancellationToken ct)
    {
        var count = options.Int("cases", 1_000_000);
        var seed = options.Int("seed", 20261125);
        var probeCount = options.Int("probes", 2000);
        var exhaustiveCount = options.Int("exhaustive", 100);
        World world;
        var worldDb = Path.GetFullPath("bench-data/repeats-world.db");
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(worldDb + suffix);
        }
        await using (var app = await AppHost.OpenAsync(DatabaseProvider.Sqlite, $"Data Source={worldDb}", ct))
        {
            await using var scope = app.Services.CreateAsyncScope();
            world = await World.LoadAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), ct);
        }
        var settings = new RepeatSettings();
        using var host = new RepeatIndexHost(settings);
        var window = host.Options.Window;
        var end = new DateTime(2026, 11, 25, 4, 0, 0, DateTimeKind.Utc);
        var watch = Stopwatch.StartNew();
        var corpus = new CaseCorpus(world, count, seed);
        var cases = corpus.Generate(count, end, (int)window.TotalDays, repeatShare: 0.3);
        var documents = cases.Select(c => CaseCorpus.Document(c, host.Hasher)).ToList();
        Report.Line($"generated {count:N0} texts over {window.TotalDays:0} days, {corpus.PlaceCount:N0} compounds, {cases.Select(c => c.Cluster).Distinct().Count():N0} problems, in {watch.Elapsed.TotalSeconds:0.0} s");

        var before = GC.GetTotalMemory(forceFullCollection: true);
        watch.Restart();
        host.Index.RegisterCompounds(corpus.CompoundNames);
        for (var offset = 0; offset < documents.Count; offset += 100_000)
        {
            host.Index.AddRange(documents.Skip(offset).Take(100_000));
        }
        var buildSeconds = watch.Elapsed.TotalSeconds;
        var heap = GC.GetTotalMemory(forceFullCollection: true) - before;
        var stats = host.Index.GetStatistics();
        Report.Line($"index: {stats.Documents:N0} cases, {stats.Terms:N0} terms, {stats.Postings:N0} postings, ~{stats.ApproximateBytes / 1048576.0:N0} MB estimated, {heap / 1048576.0:N0} MB managed heap growth, built in {buildSeconds:0.0} s ({count / buildSeconds:N0} cases/s)");

        // Probes are cases of the last fifth of the window, so that their look-back window is (almost) full.
        var random = new Random(seed + 1);
        var late = Enumerable.Range(0, cases.Count).Where(i => cases[i].ReceivedAt >= end - (window / 5)).ToList();
        var byCluster = Enumerable.Range(0, cases.Count).GroupBy(i => cases[i].Cluster).Where(g => g.Count() > 1).ToDictionary(g => g.Key, g => g.ToList());
        HashSet<Guid> Expected(int i) => byCluster.TryGetValue(cases[i].Cluster, out var mates)
            ? mates.Where(m => m != i && cases[m].ReceivedAt <= cases[i].ReceivedAt && cases[m].ReceivedAt >= cases[i].ReceivedAt - window).Select(m => cases[m].Id).ToHashSet()
            : [];
        var latencyProbes = Sample(late, probeCount, random);
        var recallProbes = Sample(late.Where(i => Expected(i).Count > 0).ToList(), probeCount / 2, random);

        // Warm-up, then latency over a mix of probes as intake sees them (most have no earlier report).
        foreach (var i in latencyProbes.Take(200))
        {
            host.Index.FindCandidates(RepeatProbe.For(documents[i]), host.Options);
        }
        var latencies = new Latencies();
        foreach (var i in latencyProbes)
        {
            var start = Stopwatch.GetTimestamp();
            host.Index.FindCandidates(RepeatProbe.For(documents[i]), host.Options);
            latencies.Add(Report.Ms(Stopwatch.GetTimestamp() - start));
        }
        Report.Line($"repeat finder latency ({latencyProbes.Count} probes): {latencies.Summary()}");

        var indexOf = Enumerable.Range(0, cases.Count).ToDictionary(i => cases[i].Id);
        // Two independent reports of one template's problem at one place are one problem to any reader: the generated
        // truth cannot tell them apart, so precision is also given counting those as right.
        bool Indistinguishable(int i, Guid other) => indexOf.TryGetValue(other, out var j) && cases[j].Title == cases[i].Title
            && cases[j].Category.Id == cases[i].Category.Id && documents[j].PlaceKey == documents[i].PlaceKey;
        var recall = Recall(recallProbes, i => host.Index.FindCandidates(RepeatProbe.For(documents[i]), host.Options), Expected, Indistinguishable);
        Report.Line($"repeat finder vs ground truth ({recallProbes.Count} probes with {recall.Expected:N0} earlier reports of the same problem): recall {recall.Recall:0.000} (probes with at least one found {recall.ProbeRecall:0.000}), precision {recall.Precision:0.000} of {recall.Suggested:N0} suggested ({recall.Lenient:0.000} counting same template, category and place as the same problem)");

        // Same answer size as intake (MaxCandidates), so only what the posting budget and the candidate pool leave out counts.
        var exhaustive = host.Options with { PostingBudget = int.MaxValue, TextCandidatePool = 20_000 };
        var sample = recallProbes.Take(exhaustiveCount).ToList();
        var exhaustiveLatency = new Latencies();
        int agreed = 0, exhaustiveRepeats = 0;
        foreach (var i in sample)
        {
            var probe = RepeatProbe.For(documents[i]);
            var start = Stopwatch.GetTimestamp();
            var all = host.Index.FindCandidates(probe, exhaustive).Where(c => c.IsRepeat).Select(c => c.CaseId).ToHashSet();
            exhaustiveLatency.Add(Report.Ms(Stopwatch.GetTimestamp() - start));
            var fast = host.Index.FindCandidates(probe, host.Options).Where(c => c.IsRepeat).Select(c => c.CaseId).ToHashSet();
            exhaustiveRepeats += all.Count;
            agreed += all.Count(fast.Contains);
        }
        var exhaustiveRecall = exhaustiveRepeats == 0 ? 1 : (double)agreed / exhaustiveRepeats;
        Report.Line($"repeat finder vs exhaustive run of itself (all postings walked, 20,000 scored exactly; {sample.Count} probes): recall {exhaustiveRecall:0.000} ({agreed}/{exhaustiveRepeats}); exhaustive latency {exhaustiveLatency.Summary()}");

        if (options.Text("postgres") is { } postgres)
        {
            await PgTrgmAsync(postgres, options, cases, documents, latencyProbes, recallProbes, Expected, recall.Recall, latencies, window, ct);
        }
        Report.Line($"peak RSS {Report.PeakRss()}");
        return 0;
    }

    private sealed record RecallResult(int Expected, int Found, int Suggested, int Correct, int ProbesFound, int Probes, int LenientCorrect)
    {
        public double Lenient => Suggested == 0 ? 1 : (double)LenientCorrect / Suggested;

        public double Recall => Expected == 0 ? 1 : (double)Found / Expected;

        public double ProbeRecall => Probes == 0 ? 1 : (double)ProbesFound / Probes;

        public double Precision => Suggested == 0 ? 1 : (double)Correct / Suggested;
    }

    private static RecallResult Recall(List<int> probes, Func<int, IReadOnlyList<RepeatCandidate>> find, Func<int, HashSet<Guid>> expected,
        Func<int, Guid, bool> indistinguishable)
    {
        int total = 0, found = 0, suggested = 0, correct = 0, probesFound = 0, lenient = 0;
        foreach (var i in probes)
        {
            var truth = expected(i);
            var repeats = find(i).Where(c => c.IsRepeat).Select(c => c.CaseId).ToList();
            var hits = repeats.Count(truth.Contains);
            total += truth.Count;
            found += hits;
            suggested += repeats.Count;
            correct += hits;
            lenient += repeats.Count(id => truth.Contains(id) || indistinguishable(i, id));
            probesFound += hits > 0 ? 1 : 0;
        }
        return new RecallResult(total, found, suggested, correct, probesFound, probes.Count, lenient);
    }

    private static List<int> Sample(List<int> items, int count, Random random)
    {
        var copy = items.ToList();
        for (var k = 0; k < Math.Min(count, copy.Count); k++)
        {
            var j = k + random.Next(copy.Count - k);
            (copy[k], copy[j]) = (copy[j], copy[k]);
        }
        return copy.Take(count).ToList();
    }

    private static async Task PgTrgmAsync(string connectionString, Options options, List<GeneratedCase> cases, List<RepeatDocument> documents,
        List<int> latencyProbes, List<int> recallProbes, Func<int, HashSet<Guid>> expected, double targetRecall, Latencies indexLatency,
        TimeSpan window, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        async Task Execute(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
            await command.ExecuteNonQueryAsync(ct);
        }
        var watch = Stopwatch.StartNew();
        await Execute("CREATE EXTENSION IF NOT EXISTS pg_trgm; DROP TABLE IF EXISTS bench_texts; CREATE TABLE bench_texts (id integer PRIMARY KEY, received_at timestamptz NOT NULL, category uuid NOT NULL, body text NOT NULL);");
        await using (var importer = await connection.BeginBinaryImportAsync("COPY bench_texts (id, received_at, category, body) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var i = 0; i < documents.Count; i++)
            {
                await importer.StartRowAsync(ct);
                await importer.WriteAsync(i, NpgsqlDbType.Integer, ct);
                await importer.WriteAsync(documents[i].ReceivedAtUtc, NpgsqlDbType.TimestampTz, ct);
                await importer.WriteAsync(documents[i].CategoryId!.Value, NpgsqlDbType.Uuid, ct);
                await importer.WriteAsync(documents[i].Text, NpgsqlDbType.Text, ct);
            }
            await importer.CompleteAsync(ct);
        }
        var copySeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        await Execute("SET maintenance_work_mem = '1GB'; CREATE INDEX bench_texts_trgm ON bench_texts USING gin (body gin_trgm_ops); CREATE INDEX bench_texts_received ON bench_texts (received_at); CREATE INDEX bench_texts_category ON bench_texts (category, received_at); ANALYZE bench_texts;");
        Report.Line($"pg_trgm: {documents.Count:N0} texts copied in {copySeconds:0.0} s, GIN trigram index built in {watch.Elapsed.TotalSeconds:0.0} s");

        var timeout = options.Int("pg-timeout-ms", 30_000);
        var timeouts = 0;
        // --pg-same-category: only cases of the probe's subcategory compete, as the finder's rules would have it.
        var sameCategory = options.Flag("pg-same-category");
        var sql = "SELECT id FROM bench_texts WHERE body % @q AND received_at BETWEEN @from AND @to AND id <> @id"
            + (sameCategory ? " AND category = @category" : string.Empty) + " ORDER BY similarity(body, @q) DESC LIMIT 10";
        Report.Line($"pg_trgm query: {sql}");
        async Task<List<int>> Query(int i, double threshold)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            if (sameCategory)
            {
                command.Parameters.AddWithValue("category", documents[i].CategoryId!.Value);
            }
            command.Parameters.AddWithValue("q", documents[i].Text);
            command.Parameters.AddWithValue("from", documents[i].ReceivedAtUtc - window);
            command.Parameters.AddWithValue("to", documents[i].ReceivedAtUtc);
            command.Parameters.AddWithValue("id", i);
            var ids = new List<int>();
            try
            {
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    ids.Add(reader.GetInt32(0));
                }
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.QueryCanceled)
            {
                timeouts++;
            }
            return ids;
        }
        await Execute(Report.Inv($"SET statement_timeout = {timeout}"));
        var tune = recallProbes.Take(options.Int("pg-tune", 40)).ToList();
        double chosen = 0, chosenRecall = 0;
        var tuneBudget = Stopwatch.StartNew();
        foreach (var threshold in new[] { 0.5, 0.4, 0.3, 0.25, 0.2, 0.15, 0.1, 0.05 })
        {
            await Execute(Report.Inv($"SET pg_trgm.similarity_threshold = {threshold}"));
            int total = 0, found = 0;
            var tuneWatch = Stopwatch.StartNew();
            foreach (var i in tune)
            {
                var truth = expected(i);
                var ids = await Query(i, threshold);
                total += truth.Count;
                found += ids.Count(id => truth.Contains(cases[id].Id));
            }
            var recall = total == 0 ? 1 : (double)found / total;
            Report.Line($"  threshold {threshold:0.00}: recall {recall:0.000} on {tune.Count} probes ({tuneWatch.Elapsed.TotalMilliseconds / tune.Count:N0} ms/query, {timeouts} timeouts so far)");
            (chosen, chosenRecall) = (threshold, recall);
            if (recall >= targetRecall || tuneBudget.Elapsed > TimeSpan.FromMinutes(options.Double("pg-tune-minutes", 4)))
            {
                break;
            }
        }
        await Execute(Report.Inv($"SET pg_trgm.similarity_threshold = {chosen}"));
        var latencies = new Latencies();
        var measured = latencyProbes.Take(options.Int("pg-probes", 100)).ToList();
        foreach (var i in measured.Take(5))
        {
            await Query(i, chosen);
        }
        foreach (var i in measured)
        {
            var start = Stopwatch.GetTimestamp();
            await Query(i, chosen);
            latencies.Add(Report.Ms(Stopwatch.GetTimestamp() - start));
        }
        Report.Line($"pg_trgm at threshold {chosen:0.00} (recall {chosenRecall:0.000} vs the finder's {targetRecall:0.000}), {measured.Count} probes: {latencies.Summary()}; {timeouts} timeouts at {timeout} ms");
        Report.Line($"speed ratio pg_trgm / repeat finder: p50 {latencies.Percentile(50) / indexLatency.Percentile(50):N0}x, p95 {latencies.Percentile(95) / indexLatency.Percentile(95):N0}x, mean {latencies.Mean / indexLatency.Mean:N0}x");
    }
}
