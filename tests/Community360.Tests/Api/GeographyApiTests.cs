using System.Globalization;
using System.Net;
using System.Text.Json;
using Community360.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Community360.Tests.Api;

public abstract class GeographyApiTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : Community360App
{
    [Fact]
    public async Task Boundaries_imported_as_geojson_define_where_points_fall()
    {
        var admin = await app.ClientForAsync("sysadmin");
        var streetId = await IdOfCodeAsync("110199001");
        // A new community east of the demo street, split into two grids.
        var geoJson = Collection(
            Feature("community", "110199001070", "东扩社区", Box(116.50, 39.90, 116.52, 39.92)),
            Feature("grid", "110199001070001", "东扩一网格", Box(116.50, 39.90, 116.51, 39.92), "Residential"),
            Feature("grid", "110199001070002", "东扩二网格", Box(116.51, 39.90, 116.52, 39.92), "Commercial"));

        var result = await (await admin.SendRawAsync(HttpMethod.Post, $"/api/grids/import?streetId={streetId}", geoJson, "application/geo+json"))
            .ShouldBeOkAsync<JsonElement>();

        Assert.Equal(1, result.GetProperty("communitiesCreated").GetInt32());
        Assert.Equal(2, result.GetProperty("gridsCreated").GetInt32());
        var east = await (await admin.GetAsync("/api/grids/locate?lon=116.515&lat=39.91")).ShouldBeOkAsync<LocateView>();
        Assert.Equal("110199001070002", east.GridCode);
        var west = await (await admin.GetAsync("/api/grids/locate?lon=116.505&lat=39.91")).ShouldBeOkAsync<LocateView>();
        Assert.Equal("110199001070001", west.GridCode);
        await (await admin.GetAsync("/api/grids/locate?lon=117.5&lat=39.91")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_import_with_an_overlap_names_the_features_and_imports_nothing()
    {
        var admin = await app.ClientForAsync("sysadmin");
        var streetId = await IdOfCodeAsync("110199001");
        var before = await GridCountAsync();
        var geoJson = Collection(
            Feature("community", "110199001080", "重叠社区", Box(116.60, 39.90, 116.62, 39.92)),
            Feature("grid", "110199001080001", "甲网格", Box(116.60, 39.90, 116.615, 39.92)),
            Feature("grid", "110199001080002", "乙网格", Box(116.61, 39.90, 116.62, 39.92)));

        var problem = await (await admin.SendRawAsync(HttpMethod.Post, $"/api/grids/import?streetId={streetId}", geoJson)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        var message = Assert.Single(problem.FieldErrors("features[2]"));
        Assert.Contains("乙网格", message, StringComparison.Ordinal);
        Assert.Contains("甲网格", message, StringComparison.Ordinal);
        Assert.Contains("重叠", message, StringComparison.Ordinal);
        Assert.Equal(before, await GridCountAsync());
        await using var db = app.CreateDbContext();
        Assert.False(await db.OrgUnits.AnyAsync(o => o.Code == "110199001080"));
    }

    [Fact]
    public async Task A_grid_is_created_with_its_area_and_people_in_charge_and_phones_are_masked()
    {
        var admin = await app.ClientForAsync("sysadmin");
        var streetId = await IdOfCodeAsync("110199001");
        var community = await (await admin.PostJsonAsync("/api/org-units", new { kind = "Community", name = "西拓社区", code = "110199001090", parentId = streetId }))
            .ShouldBeOkAsync<OrgUnitView>(HttpStatusCode.Created);

        var grid = await (await admin.PostJsonAsync("/api/grids", new
        {
            communityId = community.Id,
            code = "110199001090001",
            name = "西拓一网格",
            type = "Mixed",
            boundary = JsonDocument.Parse(Box(116.30, 39.90, 116.31, 39.91)).RootElement,
            responsibilities = new object[]
            {
                new { workLine = "Environment", personName = "钱多多", personPhone = "13711112222" },
                new { workLine = "Emergency", personName = "孙晓", personPhone = "13733334444" },
            },
        })).ShouldBeOkAsync<JsonElement>(HttpStatusCode.Created);

        // 0.01° × 0.01° at 39.905°N: about 1,111 m × 853 m.
        Assert.InRange(grid.GetProperty("areaSquareMeters").GetDouble(), 930_000, 965_000);
        var people = grid.GetProperty("responsibilities").EnumerateArray().ToList();
        Assert.Equal(["环保", "应急"], people.Select(p => p.GetProperty("workLineName").GetString()));
        Assert.Equal("137****2222", people[0].GetProperty("personPhone").GetString());
        Assert.DoesNotContain("13711112222", grid.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("Polygon", grid.GetProperty("boundary").GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_grid_overlapping_its_neighbour_is_refused_with_the_neighbour_named()
    {
        var admin = await app.ClientForAsync("sysadmin");
        await using var db = app.CreateDbContext();
        var community = await db.OrgUnits.SingleAsync(o => o.Code == "110199001004");
        var neighbour = await db.Grids.Where(g => g.CommunityId == community.Id).OrderBy(g => g.Code).FirstAsync();
        var inside = neighbour.Boundary.InteriorPoint.Coordinate;

        var problem = await (await admin.PostJsonAsync("/api/grids", new
        {
            communityId = community.Id,
            code = "110199001004099",
            name = "重叠网格",
            boundary = JsonDocument.Parse(Box(inside.X - 0.0005, inside.Y - 0.0005, inside.X + 0.0005, inside.Y + 0.0005)).RootElement,
        })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains(problem.FieldErrors("boundary"), m => m.Contains(neighbour.Code, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Compounds_and_buildings_are_kept_inside_their_grid_and_names_are_unique()
    {
        var admin = await app.ClientForAsync("sysadmin");
        await using var db = app.CreateDbContext();
        var grid = await db.Grids.OrderBy(g => g.Code).Skip(7).FirstAsync();
        var inside = grid.Boundary.InteriorPoint.Coordinate;

        var compound = await (await admin.PostJsonAsync("/api/compounds", new { gridId = grid.Id, name = "新苑小区", kind = "Commercial", address = "示例路 88 号", longitude = inside.X, latitude = inside.Y }))
            .ShouldBeOkAsync<CompoundView>(HttpStatusCode.Created);
        var building = await (await admin.PostJsonAsync("/api/buildings", new { compoundId = compound.Id, name = "1号楼", floors = 18, entrances = 3, households = 216, builtYear = 2015 }))
            .ShouldBeOkAsync<BuildingView>(HttpStatusCode.Created);
        Assert.Equal(18, building.Floors);

        await (await admin.PostJsonAsync("/api/buildings", new { compoundId = compound.Id, name = "1号楼", floors = 6 })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        var retireCompound = await (await admin.PostJsonAsync($"/api/compounds/{compound.Id}/retire", new { version = compound.Version })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("1 栋楼", retireCompound.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await (await admin.PostJsonAsync($"/api/buildings/{building.Id}/retire", new { version = building.Version })).ShouldBeOkAsync<BuildingView>();
        await (await admin.PostJsonAsync($"/api/compounds/{compound.Id}/retire", new { version = compound.Version })).ShouldBeOkAsync<CompoundView>();

        var outside = await (await admin.PostJsonAsync("/api/compounds", new { gridId = grid.Id, name = "飞地小区", longitude = inside.X + 1, latitude = inside.Y }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(outside.FieldErrors("longitude"), m => m.Contains(grid.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Changing_only_the_people_in_charge_gives_a_new_version_and_a_stale_edit_is_refused()
    {
        var admin = await app.ClientForAsync("sysadmin");
        await using var db = app.CreateDbContext();
        var gridId = await db.Grids.OrderBy(g => g.Code).Skip(12).Select(g => g.Id).FirstAsync();
        var grid = await (await admin.GetAsync($"/api/grids/{gridId}")).ShouldBeOkAsync<GridDetailView>();
        var people = grid.Responsibilities.Select(r => new
        {
            workLine = r.GetProperty("workLine").GetString(),
            personName = r.GetProperty("workLine").GetString() == "Environment" ? "新任环保员" : r.GetProperty("personName").GetString(),
            personPhone = r.GetProperty("personPhone").GetString(),
        }).ToList();
        var sequenceBefore = await db.AuditEntries.MaxAsync(e => e.Sequence);

        var updated = await (await admin.PutJsonAsync($"/api/grids/{gridId}", new { code = grid.Code, name = grid.Name, boundary = grid.Boundary, responsibilities = people, version = grid.Version }))
            .ShouldBeOkAsync<GridDetailView>();

        Assert.NotEqual(grid.Version, updated.Version);
        var stale = await admin.PutJsonAsync($"/api/grids/{gridId}", new { code = grid.Code, name = grid.Name + "（旧）", boundary = grid.Boundary, responsibilities = people, version = grid.Version });
        await stale.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        // Masked phones sent back unchanged keep the stored numbers.
        await using var check = app.CreateDbContext();
        var stored = await check.Grids.AsNoTracking().SingleAsync(g => g.Id == gridId);
        Assert.All(stored.Responsibilities, r => Assert.DoesNotContain("*", r.PersonPhone ?? string.Empty, StringComparison.Ordinal));
        var written = await check.AuditEntries.Where(e => e.Sequence > sequenceBefore && e.EntityId == gridId.ToString()).ToListAsync();
        Assert.Contains(written, e => e.Details.Contains("新任环保员", StringComparison.Ordinal));
        Assert.True(written.Count <= 2, $"one changed line should not rewrite six: {written.Count} rows");
    }

    [Fact]
    public async Task An_overlap_with_a_grid_outside_the_callers_scope_does_not_name_it()
    {
        var streetAdmin = await app.ClientForAsync("sysadmin");
        var security = await app.ClientForAsync("secadmin");
        await using var db = app.CreateDbContext();
        var communityB = await db.OrgUnits.SingleAsync(o => o.Code == "110199001002");
        var communityA = await db.OrgUnits.SingleAsync(o => o.Code == "110199001001");
        var gridB = await db.Grids.Where(g => g.CommunityId == communityB.Id).OrderBy(g => g.Code).FirstAsync();
        var created = await (await streetAdmin.PostJsonAsync("/api/users", new { userName = "geo-a", displayName = "甲社区管理员", unitId = communityA.Id, password = "GeoA#2026xy" }))
            .ShouldBeOkAsync<CreatedUserView>(HttpStatusCode.Created);
        await (await security.PutJsonAsync($"/api/users/{created.User.Id}/roles", new { roles = new[] { "SystemAdmin" }, version = created.User.Version })).ShouldBeOkAsync<UserView>();
        var adminA = await app.ClientForNewAccountAsync("geo-a", "GeoA#2026xy");
        var inside = gridB.Boundary.InteriorPoint.Coordinate;

        var problem = await (await adminA.PostJsonAsync("/api/grids", new
        {
            communityId = communityA.Id,
            code = "110199001001098",
            name = "探测网格",
            boundary = JsonDocument.Parse(Box(inside.X - 0.0005, inside.Y - 0.0005, inside.X + 0.0005, inside.Y + 0.0005)).RootElement,
        })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        var messages = string.Join(" ", problem.FieldErrors("boundary"));
        Assert.Contains("不在您的管辖范围内", messages, StringComparison.Ordinal);
        Assert.DoesNotContain(gridB.Code, messages, StringComparison.Ordinal);
        Assert.DoesNotContain(gridB.Name, messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_community_code_cannot_change_under_its_grids()
    {
        var admin = await app.ClientForAsync("sysadmin");
        await using var db = app.CreateDbContext();
        var community = await db.OrgUnits.SingleAsync(o => o.Code == "110199001005");

        var problem = await (await admin.PutJsonAsync($"/api/org-units/{community.Id}", new { name = community.Name, code = "110199001055", version = community.Version }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("不能修改本单位编码", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_seeded_compound_locates_to_its_own_grid()
    {
        var worker = await app.ClientForAsync("leader");
        await using var db = app.CreateDbContext();
        var compounds = await db.Compounds.Where(c => c.Longitude != null).OrderBy(c => c.Name).Take(25).ToListAsync();

        foreach (var compound in compounds)
        {
            var hit = await (await worker.GetAsync(string.Create(CultureInfo.InvariantCulture, $"/api/grids/locate?lon={compound.Longitude}&lat={compound.Latitude}")))
                .ShouldBeOkAsync<LocateView>();
            Assert.Equal(compound.GridId, hit.GridId);
        }
    }

    private async Task<Guid> IdOfCodeAsync(string code)
    {
        await using var db = app.CreateDbContext();
        return await db.OrgUnits.Where(o => o.Code == code).Select(o => o.Id).SingleAsync();
    }

    private async Task<int> GridCountAsync()
    {
        await using var db = app.CreateDbContext();
        return await db.Grids.CountAsync();
    }

    private static string Box(double west, double south, double east, double north) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"type":"Polygon","coordinates":[[[{{west}},{{south}}],[{{east}},{{south}}],[{{east}},{{north}}],[{{west}},{{north}}],[{{west}},{{south}}]]]}""");

    private static string Feature(string kind, string code, string name, string geometry, string? type = null) =>
        $$"""{"type":"Feature","properties":{"kind":"{{kind}}","code":"{{code}}","name":"{{name}}"{{(type is null ? "" : $",\"type\":\"{type}\"")}}},"geometry":{{geometry}}}""";

    private static string Collection(params string[] features) =>
        $$"""{"type":"FeatureCollection","features":[{{string.Join(",", features)}}]}""";
}

public sealed class GeographyApiTestsOnSqlite(SqliteApp app) : GeographyApiTests<SqliteApp>(app);

public sealed class GeographyApiTestsOnPostgres(PostgresApp app) : GeographyApiTests<PostgresApp>(app);
