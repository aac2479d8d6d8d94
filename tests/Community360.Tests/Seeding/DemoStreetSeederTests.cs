using Community360.Auditing;
using Community360.Data;
using Community360.Geography;
using Community360.Identity;
using Community360.Organization;
using Community360.Seeding;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace Community360.Tests.Seeding;

/// <summary>One seeded SQLite file shared by the read-only tests below: seeding hashes eleven passwords.</summary>
public sealed class SeededStreetFixture : IAsyncLifetime
{
    public const string DemoPassword = "Demo@360pass";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "c360-seed-" + Guid.NewGuid().ToString("N"));

    public ServiceProvider Services { get; private set; } = null!;
    public IReadOnlyList<SeededLogin> Logins { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        Services = await CreateDatabaseAsync(Path.Combine(_folder, "seed.db"));
        await using var scope = Services.CreateAsyncScope();
        Logins = await SeedAsync(scope);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A provider over a fresh SQLite file with the schema and the roles, as the host has them before seeding.</summary>
    public static async Task<ServiceProvider> CreateDatabaseAsync(string path, bool withRoles = true)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDbContext<AppDbContext>(o => o.UseCommunity360Database(new DatabaseOptions
        {
            Provider = DatabaseProvider.Sqlite,
            ConnectionString = $"Data Source={path}",
        }));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IAuditActor>(SystemAuditActor.Instance);
        services.AddIdentityCore<AppUser>().AddRoles<AppRole>().AddEntityFrameworkStores<AppDbContext>();
        var provider = services.BuildServiceProvider();

        await using var scope = provider.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<AppRole>>();
        foreach (var role in withRoles ? Roles.All : [])
        {
            Assert.True((await roles.CreateAsync(new AppRole { Name = role })).Succeeded);
        }
        return provider;
    }

    public static Task<IReadOnlyList<SeededLogin>> SeedAsync(AsyncServiceScope scope, string password = DemoPassword) =>
        new DemoStreetSeeder(
                scope.ServiceProvider.GetRequiredService<AppDbContext>(),
                scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>())
            .SeedAsync(_ => password, TestContext.Current.CancellationToken);
}

public sealed class DemoStreetSeederTests(SeededStreetFixture fixture) : IClassFixture<SeededStreetFixture>
{
    private const string DemoPassword = SeededStreetFixture.DemoPassword;

    private readonly ServiceProvider _services = fixture.Services;
    private readonly IReadOnlyList<SeededLogin> _logins = fixture.Logins;

    [Fact]
    public async Task Seeds_six_communities_and_about_thirty_grids_with_codes_from_their_parents()
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ct = TestContext.Current.CancellationToken;

        var street = await db.OrgUnits.SingleAsync(o => o.Kind == OrgUnitKind.Street, ct);
        Assert.Equal(DemoStreetSeeder.StreetCode, street.Code);
        var communities = await db.OrgUnits.Where(o => o.Kind == OrgUnitKind.Community).ToListAsync(ct);
        Assert.Equal(6, communities.Count);
        Assert.All(communities, c => Assert.Equal(street.Id, c.ParentId));
        Assert.All(communities, c => Assert.Matches("^110199001\\d{3}$", c.Code));

        var grids = await db.Grids.ToListAsync(ct);
        Assert.InRange(grids.Count, 28, 32);
        var codes = communities.ToDictionary(c => c.Id, c => c.Code);
        Assert.All(grids, g => Assert.Matches("^" + codes[g.CommunityId] + "\\d{3}$", g.Code));
        Assert.Contains(grids, g => g.Type != GridType.Residential);
        Assert.True(grids.Count(g => g.Type == GridType.Residential) > grids.Count / 2);

        Assert.InRange(await db.OrgUnits.CountAsync(o => o.Kind == OrgUnitKind.PartnerUnit, ct), 5, 8);
        var departments = await db.OrgUnits.Where(o => o.Kind == OrgUnitKind.Department).ToListAsync(ct);
        Assert.All(WorkLines.All, line => Assert.Single(departments, d => d.WorkLine == line));
        Assert.All(departments, d => Assert.Equal(street.Id, d.ParentId));
    }

    [Fact]
    public async Task Grid_polygons_are_valid_and_tile_their_community_without_gaps_or_overlaps()
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ct = TestContext.Current.CancellationToken;
        var boundaries = await db.Set<CommunityBoundary>().ToDictionaryAsync(b => b.CommunityId, ct);
        var grids = await db.Grids.ToListAsync(ct);
        Assert.Equal(6, boundaries.Count);

        foreach (var grid in grids)
        {
            Assert.Equal(GeometryFactories.Wgs84Srid, grid.Boundary.SRID);
            var polygon = Assert.IsType<Polygon>(grid.Boundary);
            Assert.True(polygon.IsValid, $"{grid.Code} is not valid");
            Assert.True(polygon.Shell.IsCCW, $"{grid.Code} shell is not counter-clockwise");
            Assert.True(grid.Boundary.Within(boundaries[grid.CommunityId].Boundary.Buffer(1e-9)), $"{grid.Code} leaves its community");
            Assert.Equal(GeodesicArea.SquareMeters(grid.Boundary), grid.AreaSquareMeters, 6);
            Assert.InRange(grid.AreaSquareMeters, 40_000, 400_000);
        }

        for (var i = 0; i < grids.Count; i++)
        {
            for (var j = i + 1; j < grids.Count; j++)
            {
                var overlap = GeodesicArea.SquareMeters(grids[i].Boundary.Intersection(grids[j].Boundary));
                Assert.True(overlap < 1, $"{grids[i].Code} and {grids[j].Code} overlap by {overlap:F3} m²");
            }
        }

        foreach (var (communityId, boundary) in boundaries)
        {
            Assert.True(boundary.Boundary.IsValid);
            Assert.Equal(GeodesicArea.SquareMeters(boundary.Boundary), boundary.AreaSquareMeters, 6);
            var union = UnaryUnionOp.Union(grids.Where(g => g.CommunityId == communityId).Select(g => g.Boundary).ToList());
            var difference = GeodesicArea.SquareMeters(boundary.Boundary.SymmetricDifference(union));
            Assert.True(difference < boundary.AreaSquareMeters * 0.001, $"grids miss {difference:F1} m² of their community");
        }

        var communities = boundaries.Values.Select(b => b.Boundary).ToList();
        for (var i = 0; i < communities.Count; i++)
        {
            for (var j = i + 1; j < communities.Count; j++)
            {
                Assert.True(GeodesicArea.SquareMeters(communities[i].Intersection(communities[j])) < 1);
            }
        }
        var street = UnaryUnionOp.Union(communities);
        var streetPolygon = Assert.IsType<Polygon>(street);
        Assert.Equal(0, streetPolygon.NumInteriorRings);
    }

    [Fact]
    public async Task Seeded_grids_pass_the_rules_an_edit_of_them_would_meet()
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ct = TestContext.Current.CancellationToken;
        var boundaries = await db.Set<CommunityBoundary>().ToDictionaryAsync(b => b.CommunityId, b => b.Boundary, ct);
        var grids = await db.Grids.ToListAsync(ct);

        foreach (var boundary in boundaries.Values)
        {
            Assert.Empty(GridBoundaryRules.ValidateShape(boundary));
        }
        foreach (var grid in grids)
        {
            var neighbours = grids.Where(g => g.Id != grid.Id).Select(g => (g.Code, g.Boundary));
            Assert.Empty(GridBoundaryRules.Validate(grid.Boundary, boundaries[grid.CommunityId], neighbours));
        }
    }

    [Fact]
    public async Task Every_grid_is_staffed_for_all_six_work_lines_with_fictional_mobiles()
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var grids = await db.Grids.ToListAsync(TestContext.Current.CancellationToken);

        Assert.All(grids, grid =>
        {
            Assert.Equal(WorkLines.All.Order(), grid.Responsibilities.Select(r => r.WorkLine).Order());
            Assert.All(grid.Responsibilities, r =>
            {
                Assert.InRange(r.PersonName.Length, 2, 4);
                Assert.Matches("^17[01]\\d{8}$", r.PersonPhone);
            });
        });
    }

    [Fact]
    public async Task Compounds_sit_inside_their_grid_and_have_buildings()
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ct = TestContext.Current.CancellationToken;
        var grids = await db.Grids.ToDictionaryAsync(g => g.Id, ct);
        var compounds = await db.Compounds.ToListAsync(ct);
        var buildingCounts = await db.Buildings.GroupBy(b => b.CompoundId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);

        Assert.All(compounds.GroupBy(c => c.GridId), group => Assert.InRange(group.Count(), 2, 4));
        Assert.Equal(grids.Count, compounds.Select(c => c.GridId).Distinct().Count());
        Assert.Equal(compounds.Count, compounds.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.True(Enum.GetValues<CompoundKind>().Count(kind => compounds.Any(c => c.Kind == kind)) >= 4);
        foreach (var compound in compounds)
        {
            var grid = grids[compound.GridId];
            var point = GeometryFactories.Wgs84.CreatePoint(new Coordinate(compound.Longitude!.Value, compound.Latitude!.Value));
            Assert.True(grid.Boundary.Contains(point), $"{compound.Name} lies outside {grid.Code}");
            Assert.StartsWith(grid.ScopePath, compound.ScopePath, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(compound.Address));
            Assert.InRange(buildingCounts[compound.Id], 3, 8);
        }
    }

    [Fact]
    public async Task Every_role_has_an_account_whose_scope_matches_the_tree()
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var ct = TestContext.Current.CancellationToken;
        var units = await db.OrgUnits.ToDictionaryAsync(o => o.Id, ct);
        var grids = await db.Grids.ToDictionaryAsync(g => g.Id, ct);

        foreach (var role in Roles.All)
        {
            Assert.NotEmpty(await users.GetUsersInRoleAsync(role));
        }
        Assert.Equal(Roles.All.Order(StringComparer.Ordinal), _logins.Select(l => l.Role).Distinct().Order(StringComparer.Ordinal));
        Assert.All(_logins, l => Assert.Equal(DemoPassword, l.Password));

        foreach (var user in await db.Users.ToListAsync(ct))
        {
            var unit = units[user.UnitId];
            var scopePath = units.TryGetValue(user.ScopeNodeId, out var scopeUnit) ? scopeUnit.ScopePath : grids[user.ScopeNodeId].ScopePath;
            Assert.Equal(scopePath, user.ScopePath);
            Assert.EndsWith("/" + user.ScopeNodeId.ToString("N") + "/", user.ScopePath, StringComparison.Ordinal);
            // The scope is the unit itself or something inside it (a grid worker's grid inside their community).
            Assert.StartsWith(unit.ScopePath, user.ScopePath, StringComparison.Ordinal);
            Assert.True(await users.CheckPasswordAsync(user, DemoPassword));
        }

        var grid1 = await users.FindByNameAsync("grid1");
        Assert.NotNull(grid1);
        var grid = grids[grid1.ScopeNodeId];
        Assert.Equal(grid.CommunityId, grid1.UnitId);
        Assert.Equal("110199001001001", grid.Code);
        Assert.Contains(grid.Responsibilities, r => r.UserId == grid1.Id && r.PersonName == grid1.DisplayName);

        var partner1 = await users.FindByNameAsync("partner1");
        Assert.Equal(OrgUnitKind.PartnerUnit, units[partner1!.UnitId].Kind);
        var dept1 = await users.FindByNameAsync("dept1");
        Assert.Equal(WorkLine.UrbanConstruction, units[dept1!.UnitId].WorkLine);
    }

    [Fact]
    public async Task Every_scope_path_extends_its_parent_path()
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ct = TestContext.Current.CancellationToken;
        var units = await db.OrgUnits.ToDictionaryAsync(o => o.Id, ct);
        var grids = await db.Grids.ToDictionaryAsync(g => g.Id, ct);
        var compounds = await db.Compounds.ToDictionaryAsync(c => c.Id, ct);

        foreach (var unit in units.Values)
        {
            var parentPath = unit.ParentId is { } parentId ? units[parentId].ScopePath : "/";
            Assert.Equal(parentPath + unit.Id.ToString("N") + "/", unit.ScopePath);
            Assert.True(OrgUnit.MayBeChildOf(unit.Kind, unit.ParentId is { } p ? units[p].Kind : null));
        }
        Assert.All(grids.Values, g => Assert.Equal(units[g.CommunityId].ScopePath + g.Id.ToString("N") + "/", g.ScopePath));
        Assert.All(compounds.Values, c => Assert.Equal(grids[c.GridId].ScopePath + c.Id.ToString("N") + "/", c.ScopePath));
        Assert.All(await db.Buildings.ToListAsync(ct),
            b => Assert.Equal(compounds[b.CompoundId].ScopePath + b.Id.ToString("N") + "/", b.ScopePath));
    }

    [Fact]
    public async Task Seeding_again_creates_nothing()
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ct = TestContext.Current.CancellationToken;
        var before = (await db.OrgUnits.CountAsync(ct), await db.Grids.CountAsync(ct), await db.Buildings.CountAsync(ct),
            await db.Users.CountAsync(ct), await db.AuditEntries.CountAsync(ct));

        var logins = await Seed(scope);

        Assert.Empty(logins);
        var after = (await db.OrgUnits.CountAsync(ct), await db.Grids.CountAsync(ct), await db.Buildings.CountAsync(ct),
            await db.Users.CountAsync(ct), await db.AuditEntries.CountAsync(ct));
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task A_fresh_database_gets_the_same_street()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Path.Combine(Path.GetTempPath(), "c360-seed-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var provider = await SeededStreetFixture.CreateDatabaseAsync(Path.Combine(folder, "again.db")))
            {
                await using var scope = provider.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

                var logins = await Seed(scope);

                Assert.Equal(_logins.Select(l => (l.UserName, l.DisplayName, l.UnitName)), logins.Select(l => (l.UserName, l.DisplayName, l.UnitName)));
                await using var firstScope = _services.CreateAsyncScope();
                var first = firstScope.ServiceProvider.GetRequiredService<AppDbContext>();
                Assert.Equal(
                    await first.Grids.OrderBy(g => g.Code).Select(g => new { g.Code, g.Name, g.Type, g.AreaSquareMeters }).ToListAsync(ct),
                    await db.Grids.OrderBy(g => g.Code).Select(g => new { g.Code, g.Name, g.Type, g.AreaSquareMeters }).ToListAsync(ct));
                Assert.Equal(
                    await first.Compounds.OrderBy(c => c.Name).Select(c => new { c.Name, c.Address, c.Longitude, c.Latitude }).ToListAsync(ct),
                    await db.Compounds.OrderBy(c => c.Name).Select(c => new { c.Name, c.Address, c.Longitude, c.Latitude }).ToListAsync(ct));
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("weak", true)]
    [InlineData(DemoPassword, false)]
    public async Task An_account_that_cannot_be_created_stops_the_seeding_before_anything_is_saved(string password, bool withRoles)
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Path.Combine(Path.GetTempPath(), "c360-seed-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var provider = await SeededStreetFixture.CreateDatabaseAsync(Path.Combine(folder, "refused.db"), withRoles);
            await using var scope = provider.CreateAsyncScope();

            await Assert.ThrowsAsync<InvalidOperationException>(() => SeededStreetFixture.SeedAsync(scope, password));

            await using var check = provider.CreateAsyncScope();
            var fresh = check.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.Equal(0, await fresh.OrgUnits.CountAsync(ct));
            Assert.Equal(0, await fresh.Grids.CountAsync(ct));
            Assert.Equal(0, await fresh.Users.CountAsync(ct));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Task<IReadOnlyList<SeededLogin>> Seed(AsyncServiceScope scope) => SeededStreetFixture.SeedAsync(scope);
}
