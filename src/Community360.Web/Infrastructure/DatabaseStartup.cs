using System.Globalization;
using Community360.Calendar;
using Community360.Cases;
using Community360.Data;
using Community360.Identity;
using Community360.Seeding;
using Microsoft.EntityFrameworkCore;

namespace Community360.Web.Infrastructure;

/// <summary>
/// Migrations run at start in Development (or with Database:MigrateOnStart), otherwise only through the
/// explicit <c>migrate</c> command. Demo data is seeded on an empty database when Seed:DemoData is on.
/// </summary>
internal static class DatabaseStartup
{
    /// <summary>Only ever used where the environment is Development; Production accounts get generated passwords.</summary>
    public const string DemoPassword = "Demo@2026";

    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.MigrateAsync(ct);
    }

    /// <summary>rebuild-metrics: recomputes the metric aggregates from the case event log.</summary>
    public static async Task<int> RebuildMetricsAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await Community360.Reports.MetricLedger.RebuildAsync(db, ct);
    }

    public static async Task PrepareAsync(WebApplication app, CancellationToken ct)
    {
        var configuration = app.Configuration;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Community360.Startup");
        if (configuration.GetValue("Database:MigrateOnStart", app.Environment.IsDevelopment()))
        {
            await MigrateAsync(app.Services, ct);
        }
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database lacks {pending.Count} migration(s) ({string.Join(", ", pending)}). Run the app once with the argument 'migrate'.");
        }
        await scope.ServiceProvider.GetRequiredService<RoleSeeder>().EnsureRolesAsync(ct);
        await CalendarSeeder.SeedAsync(db, ct);

        var isFirstStart = !await db.Users.AnyAsync(ct);
        var development = app.Environment.IsDevelopment();
        Func<string, string> passwordFor = development ? _ => DemoPassword : _ => PasswordGenerator.Generate();
        IReadOnlyList<SeededLogin> logins = [];
        if (isFirstStart && configuration.GetValue("Seed:DemoData", development))
        {
            logins = await scope.ServiceProvider.GetRequiredService<DemoStreetSeeder>().SeedAsync(passwordFor, ct);
            if (!development)
            {
                await RequireChangeAsync(db, logins.Select(l => l.UserName).ToList(), ct);
            }
            var count = logins.Count;
            logger.LogInformation("Seeded the demo street with {Count} accounts", count);
        }
        else if (isFirstStart)
        {
            logins = await SystemAccounts.CreateAsync(scope.ServiceProvider, passwordFor, ct);
            await RequireChangeAsync(db, logins.Select(l => l.UserName).ToList(), ct);
        }
        // Categories name default units by code, so they are seeded once the org tree exists.
        await scope.ServiceProvider.GetRequiredService<CaseSetupSeeder>().SeedAsync(ct);
        if (isFirstStart && configuration.GetValue("Seed:DemoCases", configuration.GetValue("Seed:DemoData", development)))
        {
            var cases = await scope.ServiceProvider.GetRequiredService<DemoCaseSeeder>().SeedAsync(ct);
            logger.LogInformation("Seeded {Count} demo cases", cases);
        }
        if (!development)
        {
            await RequireChangeOfKnownPasswordsAsync(scope.ServiceProvider, logger, ct);
        }

        if (development)
        {
            // Demo passwords are documented in README, so showing them at every start gives nothing away.
            var known = await db.Users.AsNoTracking().OrderBy(u => u.UserName).Select(u => new { u.UserName, u.DisplayName }).ToListAsync(ct);
            PrintLogins(app, known.Select(u => (u.UserName!, u.DisplayName, DemoPassword)).ToList(), firstStart: false);
        }
        else if (logins.Count > 0)
        {
            PrintLogins(app, logins.Select(l => (l.UserName, l.DisplayName, l.Password)).ToList(), firstStart: true);
        }
    }

    /// <summary>
    /// Outside Development no account may keep the demo password printed in the README: a database that began as
    /// a demo and is then run in Production makes those accounts change their password first.
    /// </summary>
    private static async Task RequireChangeOfKnownPasswordsAsync(IServiceProvider services, ILogger logger, CancellationToken ct)
    {
        var db = services.GetRequiredService<AppDbContext>();
        var hasher = services.GetRequiredService<Microsoft.AspNetCore.Identity.IPasswordHasher<AppUser>>();
        // Only the demo accounts can carry the demo password; checking them costs a few hashes, not one per user.
        var names = DemoStreetSeeder.AccountNames.ToList();
        var users = await db.Users.Where(u => !u.MustChangePassword && u.PasswordHash != null && names.Contains(u.UserName!)).ToListAsync(ct);
        var flagged = 0;
        foreach (var user in users)
        {
            if (hasher.VerifyHashedPassword(user, user.PasswordHash!, DemoPassword) != Microsoft.AspNetCore.Identity.PasswordVerificationResult.Failed)
            {
                user.MustChangePassword = true;
                flagged++;
            }
        }
        if (flagged > 0)
        {
            await db.SaveChangesAsync(ct);
            logger.LogWarning("{Count} account(s) with a generated or demo password must change it at next sign-in", flagged);
        }
    }

    /// <summary>Generated passwords are printed once on the console: whoever reads them must not keep them.</summary>
    private static async Task RequireChangeAsync(AppDbContext db, List<string> userNames, CancellationToken ct)
    {
        foreach (var user in await db.Users.Where(u => userNames.Contains(u.UserName!)).ToListAsync(ct))
        {
            user.MustChangePassword = true;
        }
        await db.SaveChangesAsync(ct);
    }

    public static async Task<string> ResetPasswordAsync(IServiceProvider services, string userName)
    {
        await using var scope = services.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>();
        var user = await userManager.FindByNameAsync(userName);
        if (user is null)
        {
            return $"No account named '{userName}'.";
        }
        var password = PasswordGenerator.Generate();
        user.PasswordHash = userManager.PasswordHasher.HashPassword(user, password);
        user.MustChangePassword = true;
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Audit(new Community360.Auditing.AuditFact(Community360.Auditing.AuditActions.PasswordReset, nameof(AppUser), user.Id.ToString(), new { user.UserName, via = "server command" })
        { ScopePath = user.ScopePath });
        await userManager.UpdateSecurityStampAsync(user);
        return $"New password for {userName} (shown once, must be changed at next sign-in): {password}";
    }

    private static void PrintLogins(WebApplication app, IReadOnlyList<(string UserName, string DisplayName, string Password)> logins, bool firstStart)
    {
        var urls = app.Configuration["urls"] ?? app.Configuration["ASPNETCORE_URLS"] ?? "http://localhost:5080";
        var output = Console.Out;
        output.WriteLine();
        output.WriteLine("==== 社区治理360 Community360 ====");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"地址 URL: {urls}    接口文档 API docs: {urls.Split(';')[0]}/scalar"));
        output.WriteLine(firstStart
            ? "首次启动生成的账号密码只显示这一次，请立即妥善保存并修改 (generated passwords are shown once):"
            : "演示账号 Demo logins:");
        foreach (var (userName, displayName, password) in logins)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {userName,-12} {password,-18} {displayName}"));
        }
        output.WriteLine("==================================");
        output.WriteLine();
    }
}
