using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Community360.Auditing;
using Community360.Cases;
using Community360.Data;
using Microsoft.EntityFrameworkCore;

namespace Community360.Bench;

/// <summary>
/// intake: a load generator against a running app, from its own process: realistic intake bodies POSTed to /api/cases
/// as the dispatcher (bearer token). Open loop at --rate per second (latency counted from the scheduled send time, so a
/// slow server cannot hide its queue), or with --max a closed loop of --concurrency clients for the highest rate.
/// </summary>
internal static class IntakeCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task<int> RunAsync(Options options, CancellationToken ct)
    {
        var url = new Uri(options.Text("url", "http://127.0.0.1:5080"));
        var connection = options.Text("connection") ?? throw new ArgumentException("--connection: the app's database, to read the demo street's communities and categories.");
        var duration = options.Duration("duration", TimeSpan.FromSeconds(30));
        var bodies = await BodiesAsync(AppHost.Provider(options.Text("provider")), connection, options.Int("bodies", 50_000), options.Int("seed", 7), ct);

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 2048, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
        using var client = new HttpClient(handler) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
        using (var login = await client.PostAsJsonAsync("/api/auth/login?useCookies=false", new { userName = options.Text("user", "dispatcher"), password = options.Text("password", "Demo@2026") }, ct))
        {
            login.EnsureSuccessStatusCode();
            var token = (await login.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("accessToken").GetString();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        var next = 0;
        Func<HttpContent> Body() => () =>
        {
            var n = Interlocked.Increment(ref next);
            var body = bodies[n % bodies.Count] with { ExternalReference = Report.Inv($"LOAD{Environment.ProcessId}-{n:D8}") };
            return JsonContent.Create(body, options: Json);
        };
        // Warm-up: JIT, connection pool, the app's repeat index load.
        await ClosedLoopAsync(client, Body(), 4, TimeSpan.FromSeconds(options.Double("warmup", 3)), ct);
        if (options.Flag("max"))
        {
            var concurrency = options.Int("concurrency", 16);
            var result = await ClosedLoopAsync(client, Body(), concurrency, duration, ct);
            Report.Line($"closed loop, {concurrency} clients, {duration.TotalSeconds:0} s: {result.Ok:N0} created, {result.Failed} failed, {result.Ok / result.Seconds:N0} cases/s; latency {result.Latencies.Summary()}");
        }
        else
        {
            var rate = options.Double("rate", 500);
            var result = await OpenLoopAsync(client, Body(), rate, duration, ct);
            Report.Line($"open loop at {rate:N0}/s, {duration.TotalSeconds:0} s: {result.Ok:N0} created, {result.Failed} failed, {result.Ok / result.Seconds:N0} cases/s; latency from scheduled send {result.Latencies.Summary()}");
        }
        return 0;
    }

    private sealed record LoadResult(int Ok, int Failed, double Seconds, Latencies Latencies);

    private static async Task<bool> SendAsync(HttpClient client, HttpContent content, CancellationToken ct)
    {
        try
        {
            using (content)
            using (var response = await client.PostAsync("/api/cases", content, ct))
            {
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    return true;
                }
                await Console.Error.WriteLineAsync(Report.Inv($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}"));
                return false;
            }
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return false;
        }
    }

    private static async Task<LoadResult> ClosedLoopAsync(HttpClient client, Func<HttpContent> body, int concurrency, TimeSpan duration, CancellationToken ct)
    {
        var lists = Enumerable.Range(0, concurrency).Select(_ => new List<double>()).ToArray();
        int ok = 0, failed = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            while (watch.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                var success = await SendAsync(client, body(), ct);
                lists[worker].Add(Report.Ms(Stopwatch.GetTimestamp() - start));
                Interlocked.Increment(ref success ? ref ok : ref failed);
            }
        }));
        var seconds = watch.Elapsed.TotalSeconds;
        var all = new Latencies();
        foreach (var list in lists)
        {
            all.AddRange(list);
        }
        return new LoadResult(ok, failed, seconds, all);
    }

    private static async Task<LoadResult> OpenLoopAsync(HttpClient client, Func<HttpContent> body, double rate, TimeSpan duration, CancellationToken ct)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var results = new double[total];
        var success = new bool[total];
        var tasks = new List<Task>(total);
        var origin = Stopwatch.GetTimestamp();
        var perRequest = Stopwatch.Frequency / rate;
        for (var k = 0; k < total; k++)
        {
            var scheduled = origin + (long)(k * perRequest);
            while (Stopwatch.GetTimestamp() < scheduled)
            {
                var wait = Report.Ms(scheduled - Stopwatch.GetTimestamp());
                if (wait > 2)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(wait - 1), ct);
                }
                else
                {
                    Thread.SpinWait(50);
                }
            }
            var index = k;
            var content = body();
            tasks.Add(Task.Run(async () =>
            {
                success[index] = await SendAsync(client, content, ct);
                results[index] = Report.Ms(Stopwatch.GetTimestamp() - scheduled);
            }, ct));
        }
        await Task.WhenAll(tasks);
        var seconds = Report.Ms(Stopwatch.GetTimestamp() - origin) / 1000;
        var latencies = new Latencies();
        latencies.AddRange(results);
        var ok = success.Count(s => s);
        return new LoadResult(ok, total - ok, seconds, latencies);
    }

    /// <summary>Intake bodies over the demo street, texts from the corpus (so that some are repeats of others).</summary>
    private static async Task<List<CaseIntakeInput>> BodiesAsync(DatabaseProvider provider, string connection, int count, int seed, CancellationToken ct)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>().UseCommunity360Database(new DatabaseOptions { Provider = provider, ConnectionString = connection }).Options;
        World world;
        await using (var db = new AppDbContext(options, TimeProvider.System, SystemAuditActor.Instance))
        {
            world = await World.LoadAsync(db, ct);
        }
        var cases = new CaseCorpus(world, count, seed).Generate(count, DateTime.UtcNow, 30, repeatShare: 0.3);
        return cases.Select(c => new CaseIntakeInput(CaseType.CitizenDemand, CaseChannel.Hotline12345, null, c.Category.Id,
            CaseUrgency.Normal, c.Title, c.Text, c.Address, null, null, c.Community.Id, "张先生", c.Phone, false, null)).ToList();
    }
}
