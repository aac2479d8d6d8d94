using System.Net.Http.Headers;
using System.Net.Http.Json;
using Community360.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Community360.Tests.Infrastructure;

/// <summary>
/// The real web host over a real database of its own (migrated, demo street seeded), as a user's machine runs it.
/// One per test class; the same test classes run once on SQLite and once on PostgreSQL.
/// </summary>
public abstract class Community360App(DatabaseProvider provider) : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string DemoPassword = "Demo@2026";
    private TestDatabase? _database;
    private FakeTimeProvider? _clock;

    public DatabaseProvider Provider { get; } = provider;

    /// <summary>Starts at <see cref="StartTime"/> (the real current instant by default); tests advance it.</summary>
    public FakeTimeProvider Clock => _clock ??= new FakeTimeProvider(StartTime);

    protected virtual DateTimeOffset StartTime => DateTimeOffset.UtcNow;

    protected virtual string Environment => "Development";

    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public async ValueTask InitializeAsync()
    {
        _database = TestDatabase.Create(Provider);
        // Forces the host to start (migrate and seed) before the first test of the class runs.
        await Task.Run(() => Services.GetRequiredService<TimeProvider>());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var database = _database ?? throw new InvalidOperationException("InitializeAsync must run first.");
        builder.UseEnvironment(Environment);
        builder.UseSetting("Database:Provider", database.Options.Provider.ToString());
        builder.UseSetting("Database:ConnectionString", database.Options.ConnectionString);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Every test signs in from the same in-memory client address; the limit itself is tested separately.
        builder.UseSetting("Identity:SignInAttemptsPerMinute", "1000000");
        // Tests run the deadline sweep themselves, at the instants they choose.
        builder.UseSetting("Cases:DeadlineSweepSeconds", "0");
        // Each test class builds the cases it reasons about; the demo cases have their own test.
        builder.UseSetting("Seed:DemoCases", "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    public AppDbContext CreateDbContext() => Services.CreateScope().ServiceProvider.GetRequiredService<AppDbContext>();

    /// <summary>A client signed in with a bearer token, as an API client would be.</summary>
    public async Task<HttpClient> ClientForAsync(string userName, string password = DemoPassword)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName, password });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenResponse>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.AccessToken);
        return client;
    }

    /// <summary>
    /// Signs in an account an administrator just created (its password chosen by someone else), changes the
    /// password as the system demands, and returns a client signed in with the new one.
    /// </summary>
    public async Task<HttpClient> ClientForNewAccountAsync(string userName, string initialPassword)
    {
        var first = await ClientForAsync(userName, initialPassword);
        var newPassword = initialPassword + "-Own1";
        var changed = await first.PostAsJsonAsync("/api/auth/change-password", new { currentPassword = initialPassword, newPassword });
        Assert.True(changed.IsSuccessStatusCode, await changed.Content.ReadAsStringAsync());
        return await ClientForAsync(userName, newPassword);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }

    private sealed record TokenResponse(string AccessToken, string RefreshToken, long ExpiresIn);
}

public sealed class SqliteApp() : Community360App(DatabaseProvider.Sqlite);

public sealed class PostgresApp() : Community360App(DatabaseProvider.Postgres);
