using Community360.Cases;
using Community360.Data;
using Community360.Identity;
using Community360.Web.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace Community360.Bench;

/// <summary>
/// The app's own service registration and start-up preparation (migrations, roles, calendar, demo street, categories),
/// without the HTTP pipeline: the database is exactly what the app prepares on first start in Development.
/// </summary>
internal static class AppHost
{
    public static async Task<WebApplication> OpenAsync(DatabaseProvider provider, string connection, CancellationToken ct)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development, Args = [] });
        builder.WebHost.UseSetting("urls", "http://127.0.0.1:0");
        builder.Configuration["Database:Provider"] = provider.ToString();
        builder.Configuration["Database:ConnectionString"] = connection;
        builder.Configuration["Seed:DemoData"] = "true";
        builder.Configuration["Seed:DemoCases"] = "false";
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        builder.AddCommunity360();
        var app = builder.Build();
        var output = Console.Out;
        // The start-up prints the demo logins; the benchmark's output is its figures.
        Console.SetOut(TextWriter.Null);
        try
        {
            await DatabaseStartup.PrepareAsync(app, ct);
        }
        finally
        {
            Console.SetOut(output);
        }
        return app;
    }

    public static DatabaseProvider Provider(string? name) =>
        string.Equals(name, "Postgres", StringComparison.OrdinalIgnoreCase) ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;

    /// <summary>The caller a signed-in account would be, built as the claims transformation does.</summary>
    public static async Task<Caller> CallerAsync(AppDbContext db, string userName, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == userName, ct);
        var roles = await db.UserRoles.Where(r => r.UserId == user.Id)
            .Join(db.Roles, r => r.RoleId, role => role.Id, (_, role) => role.Name!).ToListAsync(ct);
        return new Caller(user.Id, user.UserName!, user.DisplayName, user.UnitId, user.ScopePath, roles.ToHashSet(StringComparer.Ordinal));
    }
}

/// <summary>The seeded reference data cases are generated over.</summary>
internal sealed record World(
    Guid StreetId,
    string StreetScope,
    IReadOnlyList<World.Community> Communities,
    IReadOnlyList<World.Category> Categories,
    IReadOnlyDictionary<Guid, HandlingUnit> Units,
    IReadOnlyDictionary<CaseType, CaseTypeConfig> Configs,
    CaseActor Dispatcher)
{
    internal sealed record Community(Guid Id, string Name, string ScopePath, IReadOnlyList<GridPlace> Grids);

    internal sealed record GridPlace(Guid Id, string ScopePath, IReadOnlyList<string> Compounds);

    internal sealed record Category(Guid Id, Guid ParentId, string Code, Guid? DefaultUnitId);

    public static async Task<World> LoadAsync(AppDbContext db, CancellationToken ct)
    {
        var units = await db.OrgUnits.AsNoTracking().Where(o => !o.IsRetired).ToListAsync(ct);
        var street = units.First(u => u.Kind == Organization.OrgUnitKind.Street);
        var grids = await db.Grids.AsNoTracking().Select(g => new { g.Id, g.CommunityId, g.ScopePath }).ToListAsync(ct);
        var compounds = await db.Compounds.AsNoTracking().Select(c => new { c.GridId, c.Name }).ToListAsync(ct);
        var communities = units.Where(u => u.Kind == Organization.OrgUnitKind.Community).OrderBy(u => u.SortOrder)
            .Select(c => new Community(c.Id, c.Name, c.ScopePath, grids.Where(g => g.CommunityId == c.Id).Select(g =>
            {
                var names = compounds.Where(x => x.GridId == g.Id).Select(x => x.Name).ToList();
                return new GridPlace(g.Id, g.ScopePath, names);
            }).Where(g => g.Compounds.Count > 0).ToList())).Where(c => c.Grids.Count > 0).ToList();
        var categories = await db.CaseCategories.AsNoTracking().Where(c => c.ParentId != null && !c.IsRetired)
            .Select(c => new Category(c.Id, c.ParentId!.Value, c.Code, c.DefaultUnitId)).ToListAsync(ct);
        var known = Cases.Seeding.DemoCaseTexts.SubcategoryCodes.ToHashSet(StringComparer.Ordinal);
        var configs = await db.CaseTypeConfigs.AsNoTracking().ToDictionaryAsync(c => c.Type, ct);
        var dispatcher = await db.Users.AsNoTracking().Where(u => u.UserName == "dispatcher").Select(u => new { u.Id, u.DisplayName }).SingleAsync(ct);
        return new World(street.Id, street.ScopePath, communities, categories.Where(c => known.Contains(c.Code)).ToList(),
            units.ToDictionary(u => u.Id, u => new HandlingUnit(u.Id, u.Name, u.ScopePath)), configs,
            new CaseActor(dispatcher.Id, dispatcher.DisplayName, street.Id, street.Name));
    }
}
