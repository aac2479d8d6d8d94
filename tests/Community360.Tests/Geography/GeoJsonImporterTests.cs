using System.Text.Json.Nodes;
using Community360.Auditing;
using Community360.Common;
using Community360.Geography;
using Community360.Identity;
using Community360.Organization;
using Microsoft.EntityFrameworkCore;
using static Community360.Tests.Geography.GeographyTestData;

namespace Community360.Tests.Geography;

public sealed class GeoJsonImporterTests : IAsyncLifetime
{
    private static readonly string[] ExpectedKeys = ["features[0]", "features[3]", "features[5]"];

    private GeographyTestDatabase _database = null!;
    private readonly GridLocator _locator = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _database = await GeographyTestDatabase.CreateAsync(Ct);

    public async ValueTask DisposeAsync()
    {
        _locator.Dispose();
        await _database.DisposeAsync();
    }

    private async Task<GeoJsonImportResult> ImportAsync(string geoJson, Caller? caller = null, Guid? streetId = null)
    {
        await using var db = _database.NewContext();
        return await new GeoJsonImporter(db, _locator).ImportAsync(caller ?? Caller.System, streetId ?? _database.Street.Id, geoJson, Ct);
    }

    /// <summary>Imports, expects a refusal, and checks that not a single row was written.</summary>
    private async Task<IReadOnlyDictionary<string, string[]>> RefusedAsync(string geoJson)
    {
        var before = await _database.CountAsync(Ct);
        var refusal = await Assert.ThrowsAsync<ValidationException>(() => ImportAsync(geoJson));
        Assert.Equal(before, await _database.CountAsync(Ct));
        Assert.Contains("未导入任何数据", refusal.Detail, StringComparison.Ordinal);
        return refusal.Errors;
    }

    private static string SingleMessage(IReadOnlyDictionary<string, string[]> errors, string key) =>
        Assert.Single(Assert.Contains(key, errors));

    [Fact]
    public async Task Imports_communities_and_grids_then_updates_them_in_place_on_reimport()
    {
        var created = await ImportAsync(Collection(StandardFeatures()));

        Assert.Equal(new GeoJsonImportResult(2, 0, 4, 0), created);
        await using (var db = _database.NewContext())
        {
            var communities = await db.OrgUnits.Where(o => o.Kind == OrgUnitKind.Community).OrderBy(o => o.Code).ToListAsync(Ct);
            Assert.Equal(new[] { CommunityA, CommunityB }, communities.Select(c => c.Code));
            Assert.All(communities, c => Assert.Equal(_database.Street.Id, c.ParentId));
            Assert.All(communities, c => Assert.StartsWith(_database.Street.ScopePath, c.ScopePath, StringComparison.Ordinal));

            var grids = await db.Grids.OrderBy(g => g.Code).ToListAsync(Ct);
            Assert.Equal(4, grids.Count);
            Assert.Equal(communities[0].Id, grids[0].CommunityId);
            Assert.Equal(communities[1].Id, grids[3].CommunityId);
            Assert.Equal(new[] { GridType.Residential, GridType.Commercial, GridType.Residential, GridType.Mixed }, grids.Select(g => g.Type));
            Assert.All(grids, g => Assert.InRange(g.AreaSquareMeters, 1.85e6, 1.95e6));
            Assert.All(grids, g => Assert.StartsWith(communities.Single(c => c.Id == g.CommunityId).ScopePath, g.ScopePath, StringComparison.Ordinal));

            var boundaries = await db.Set<CommunityBoundary>().ToListAsync(Ct);
            Assert.Equal(2, boundaries.Count);
            Assert.All(boundaries, b => Assert.InRange(b.AreaSquareMeters, 3.7e6, 3.9e6));

            var audit = await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.GeographyImported, Ct);
            Assert.Equal("Street", audit.EntityType);
            Assert.Equal(_database.Street.Id.ToString(), audit.EntityId);
            Assert.Contains("\"gridsCreated\":4", audit.Details, StringComparison.Ordinal);
        }

        Assert.True(_locator.IsStale);
        await using (var db = _database.NewContext())
        {
            Assert.Equal(CommunityB + "002", (await _locator.LocateAsync(db, 116.435, 39.91, Ct))?.GridCode);
        }

        Guid versionBefore;
        await using (var db = _database.NewContext())
        {
            versionBefore = (await db.Grids.SingleAsync(g => g.Code == CommunityA + "001", Ct)).Version;
        }

        var updated = await ImportAsync(Collection(StandardFeatures("（新）")));

        Assert.Equal(new GeoJsonImportResult(0, 2, 0, 4), updated);
        await using (var db = _database.NewContext())
        {
            Assert.Equal(2, await db.OrgUnits.CountAsync(o => o.Kind == OrgUnitKind.Community, Ct));
            Assert.Equal(4, await db.Grids.CountAsync(Ct));
            Assert.Equal(2, await db.Set<CommunityBoundary>().CountAsync(Ct));
            var grid = await db.Grids.SingleAsync(g => g.Code == CommunityA + "001", Ct);
            Assert.Equal("和平一网格（新）", grid.Name);
            Assert.NotEqual(versionBefore, grid.Version);
            Assert.Equal("和平社区（新）", (await db.OrgUnits.SingleAsync(o => o.Code == CommunityA, Ct)).Name);
            Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.Action == AuditActions.GeographyImported, Ct));
        }
    }

    [Fact]
    public async Task Grids_may_reference_a_community_already_in_the_database_and_a_moved_boundary_is_saved()
    {
        var communities = StandardFeatures().Take(2).ToArray();
        Assert.Equal(new GeoJsonImportResult(2, 0, 0, 0), await ImportAsync(Collection(communities)));

        var result = await ImportAsync(Collection(
            GridFeature(CommunityA + "001", "和平一网格", 116.40, 39.90, 116.41, 39.92),
            GridFeature(CommunityB + "001", "安康一网格", 116.42, 39.90, 116.44, 39.91)));

        Assert.Equal(new GeoJsonImportResult(0, 0, 2, 0), result);

        var moved = await ImportAsync(Collection(GridFeature(CommunityB + "001", "安康一网格", 116.42, 39.91, 116.44, 39.92)));
        Assert.Equal(new GeoJsonImportResult(0, 0, 0, 1), moved);
        await using var db = _database.NewContext();
        var grid = await db.Grids.SingleAsync(g => g.Code == CommunityB + "001", Ct);
        Assert.Equal(39.91, grid.Boundary.EnvelopeInternal.MinY, 9);
    }

    [Fact]
    public async Task Text_that_is_not_json_gets_one_clear_message()
    {
        var errors = await RefusedAsync("{\"type\": \"FeatureCollection\", \"features\": [ {");

        var message = SingleMessage(errors, "geoJson");
        Assert.StartsWith("GeoJSON 格式无法解析：", message, StringComparison.Ordinal);
        Assert.Single(errors);
    }

    [Theory]
    [InlineData("", "内容为空")]
    [InlineData("[1, 2, 3]", "FeatureCollection")]
    [InlineData("""{"type":"Feature","properties":{},"geometry":null}""", "实际为 Feature")]
    [InlineData("""{"type":"FeatureCollection","features":[]}""", "没有任何要素")]
    [InlineData("""{"type":"FeatureCollection"}""", "features")]
    [InlineData("""{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}},"features":[]}""", "EPSG::3857")]
    public async Task A_document_that_is_not_a_usable_feature_collection_is_refused(string geoJson, string expected)
    {
        var errors = await RefusedAsync(geoJson);

        Assert.Contains(expected, SingleMessage(errors, "geoJson"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_properties_are_each_reported_on_their_feature()
    {
        var elsewhere = PolygonGeometry(Box(117.40, 39.90, 117.41, 39.92));
        var errors = await RefusedAsync(Collection(
            Feature(null, CommunityA + "001", "无类别", elsewhere),
            Feature("building", CommunityA + "001", "错类别", elsewhere),
            Feature("community", "11010500100", "短编码社区", PolygonGeometry(Box(117.50, 39.90, 117.51, 39.92))),
            Feature("grid", "11010500100100X", "坏编码网格", elsewhere),
            Feature("grid", CommunityA + "003", null, PolygonGeometry(Box(116.40, 39.900, 116.42, 39.905))),
            Feature("grid", CommunityA + "004", "坏类型网格", PolygonGeometry(Box(116.40, 39.905, 116.42, 39.910)), type: "Park"),
            Feature("grid", CommunityA + "005", "坏社区编码网格", PolygonGeometry(Box(116.40, 39.910, 116.42, 39.915)), communityCode: CommunityB),
            Feature("community", "110105002001", "别的街道的社区", PolygonGeometry(Box(117.60, 39.90, 117.61, 39.92))),
            Feature("grid", null, "无编码网格", elsewhere),
            StandardFeatures()[0]));

        Assert.Contains("缺少类别属性 kind", SingleMessage(errors, "features[0]"), StringComparison.Ordinal);
        Assert.Contains("“building”", SingleMessage(errors, "features[1]"), StringComparison.Ordinal);
        Assert.Equal("第 3 个要素（社区 11010500100 “短编码社区”）：社区编码应为 12 位数字，实际为 “11010500100”。", SingleMessage(errors, "features[2]"));
        Assert.Contains("网格编码应为 15 位数字", SingleMessage(errors, "features[3]"), StringComparison.Ordinal);
        Assert.StartsWith("第 5 个要素（网格 110105001001003）：缺少名称", SingleMessage(errors, "features[4]"), StringComparison.Ordinal);
        Assert.Contains("网格类型 type 为 “Park”", SingleMessage(errors, "features[5]"), StringComparison.Ordinal);
        Assert.Contains("与网格编码的前 12 位 110105001001 不一致", SingleMessage(errors, "features[6]"), StringComparison.Ordinal);
        Assert.Contains("应以本街道的编码 110105001 开头", SingleMessage(errors, "features[7]"), StringComparison.Ordinal);
        Assert.Contains("缺少编码属性 code", SingleMessage(errors, "features[8]"), StringComparison.Ordinal);
        Assert.DoesNotContain("features[9]", errors.Keys);
    }

    [Fact]
    public async Task Missing_or_non_polygon_geometry_is_refused()
    {
        var errors = await RefusedAsync(Collection(
            Feature("community", CommunityA, "无几何社区", null),
            Feature("community", CommunityB, "点社区", new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(116.4, 39.9) }),
            new JsonObject { ["type"] = "Feature", ["geometry"] = PolygonGeometry(Box(116.40, 39.90, 116.41, 39.91)) }));

        Assert.Equal("第 1 个要素（社区 110105001001 “无几何社区”）：缺少几何（geometry）。", SingleMessage(errors, "features[0]"));
        Assert.Contains("几何类型为 Point，只支持面", SingleMessage(errors, "features[1]"), StringComparison.Ordinal);
        Assert.Contains("缺少属性（properties）", SingleMessage(errors, "features[2]"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Coordinates_out_of_range_unclosed_rings_and_short_rings_are_refused()
    {
        var errors = await RefusedAsync(Collection(
            Feature("community", CommunityA, "颠倒社区", PolygonGeometry(Box(39.90, 116.40, 39.92, 116.42))),
            Feature("community", CommunityB, "未闭合社区", PolygonGeometry([[116.42, 39.90], [116.44, 39.90], [116.44, 39.92], [116.42, 39.92]])),
            Feature("grid", CommunityA + "001", "三点网格", PolygonGeometry([[116.40, 39.90], [116.41, 39.90], [116.40, 39.90]])),
            Feature("grid", CommunityA + "002", "洞未闭合网格", PolygonGeometry(
                Box(116.41, 39.90, 116.42, 39.92),
                [[116.412, 39.91], [116.415, 39.91], [116.415, 39.915], [116.412, 39.915]]))));

        var swapped = SingleMessage(errors, "features[0]");
        Assert.StartsWith("第 1 个要素（社区 110105001001 “颠倒社区”）：坐标 39.9, 116.4 超出 WGS84 经纬度范围", swapped, StringComparison.Ordinal);
        Assert.Contains("写反", swapped, StringComparison.Ordinal);
        Assert.Contains("外边界未闭合：第一个坐标 116.42, 39.9 与最后一个坐标 116.42, 39.92 不同", SingleMessage(errors, "features[1]"), StringComparison.Ordinal);
        Assert.Contains("外边界只有 3 个坐标点", SingleMessage(errors, "features[2]"), StringComparison.Ordinal);
        Assert.Contains("第 1 个内环（洞）未闭合", SingleMessage(errors, "features[3]"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_self_intersecting_boundary_is_refused_with_its_location()
    {
        var features = StandardFeatures();
        features[3] = Feature("grid", CommunityA + "002", "和平二网格",
            PolygonGeometry([[116.41, 39.90], [116.42, 39.92], [116.42, 39.90], [116.41, 39.92], [116.41, 39.90]]));

        var errors = await RefusedAsync(Collection(features));

        Assert.Equal("第 4 个要素（网格 110105001001002 “和平二网格”）：边界自相交（位置 116.415, 39.91）。", SingleMessage(errors, "features[3]"));
        Assert.Single(errors);
    }

    [Fact]
    public async Task A_hole_outside_its_shell_is_refused()
    {
        var errors = await RefusedAsync(Collection(
            Feature("community", CommunityA, "和平社区", PolygonGeometry(Box(116.40, 39.90, 116.42, 39.92), Box(116.50, 39.90, 116.51, 39.91)))));

        Assert.Contains("内环（洞）不在外边界之内（位置 116.5", SingleMessage(errors, "features[0]"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_codes_in_the_file_are_refused_naming_the_first_occurrence()
    {
        var features = StandardFeatures().Append(GridFeature(CommunityA + "001", "重复网格", 116.40, 39.95, 116.41, 39.96)).ToArray();

        var errors = await RefusedAsync(Collection(features));

        Assert.Equal("第 7 个要素（网格 110105001001001 “重复网格”）：编码 110105001001001 与第 3 个要素（网格 110105001001001 “和平一网格”）重复。",
            SingleMessage(errors, "features[6]"));
    }

    [Fact]
    public async Task A_grid_whose_community_is_unknown_is_refused()
    {
        var errors = await RefusedAsync(Collection(
            StandardFeatures()[0],
            GridFeature("110105001009001", "孤儿网格", 116.40, 39.90, 116.41, 39.92)));

        Assert.Equal("第 2 个要素（网格 110105001009001 “孤儿网格”）：所属社区 110105001009 既不在本文件中，也不是本街道已有的社区。",
            SingleMessage(errors, "features[1]"));
    }

    [Fact]
    public async Task A_grid_outside_its_community_is_refused_but_a_sliver_is_tolerated()
    {
        var sliver = StandardFeatures();
        sliver[2] = GridFeature(CommunityA + "001", "和平一网格", 116.39999999, 39.90, 116.41, 39.92);
        Assert.Equal(4, (await ImportAsync(Collection(sliver))).GridsCreated);

        var outside = StandardFeatures();
        outside[2] = GridFeature(CommunityA + "001", "和平一网格", 116.40, 39.90, 116.41, 39.925);

        var errors = await RefusedAsync(Collection(outside));

        var message = SingleMessage(errors, "features[2]");
        Assert.StartsWith("第 3 个要素（网格 110105001001001 “和平一网格”）：有约", message, StringComparison.Ordinal);
        Assert.Contains("位于第 1 个要素（社区 110105001001 “和平社区”）边界之外（位置 116.405, 39.92", message, StringComparison.Ordinal);
        Assert.Contains("超过允许的", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overlapping_grids_in_the_file_are_refused_naming_both()
    {
        var features = StandardFeatures();
        features[3] = GridFeature(CommunityA + "002", "和平二网格", 116.405, 39.90, 116.42, 39.92);

        var errors = await RefusedAsync(Collection(features));

        var message = SingleMessage(errors, "features[3]");
        Assert.StartsWith("第 4 个要素（网格 110105001001002 “和平二网格”）：与第 3 个要素（网格 110105001001001 “和平一网格”）重叠约", message, StringComparison.Ordinal);
        Assert.Single(errors);
    }

    [Fact]
    public async Task A_grid_overlapping_an_existing_grid_the_file_does_not_replace_is_refused()
    {
        await ImportAsync(Collection(StandardFeatures()));

        var errors = await RefusedAsync(Collection(GridFeature(CommunityA + "003", "新网格", 116.405, 39.91, 116.41, 39.92)));

        Assert.Contains("与已有网格 110105001001001 “和平一网格”重叠约", SingleMessage(errors, "features[0]"), StringComparison.Ordinal);

        // Replacing the existing grid in the same file makes room for the new one.
        var result = await ImportAsync(Collection(
            GridFeature(CommunityA + "001", "和平一网格", 116.40, 39.90, 116.405, 39.92),
            GridFeature(CommunityA + "003", "新网格", 116.405, 39.91, 116.41, 39.92)));
        Assert.Equal(new GeoJsonImportResult(0, 0, 1, 1), result);
    }

    [Fact]
    public async Task Shrinking_a_community_away_from_its_existing_grids_is_refused()
    {
        await ImportAsync(Collection(StandardFeatures()));

        var errors = await RefusedAsync(Collection(Community(CommunityA, "和平社区", 116.40, 39.90, 116.415, 39.92)));

        var message = SingleMessage(errors, "features[0]");
        Assert.Contains("本社区已有的网格 110105001001002 “和平二网格”（未包含在本文件中）有约", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Codes_taken_by_another_street_are_refused()
    {
        // A street with a free-form code skips the prefix rule, so it can hold a code that looks like ours.
        var other = await _database.AddStreetAsync("JD-OTHER", "邻近街道", Ct);
        await ImportAsync(Collection(
            Community("110105001003", "邻近社区", 117.40, 39.90, 117.42, 39.92),
            GridFeature("110105001003001", "邻近网格", 117.40, 39.90, 117.41, 39.92)), streetId: other.Id);

        var errors = await RefusedAsync(Collection(
            Community("110105001003", "抢注社区", 116.40, 39.90, 116.42, 39.92),
            GridFeature("110105001003001", "抢注网格", 116.40, 39.90, 116.41, 39.92)));

        Assert.Contains("社区编码 110105001003 已被其他街道的社区使用", SingleMessage(errors, "features[0]"), StringComparison.Ordinal);
        Assert.Contains("已被其他街道的网格使用", SingleMessage(errors, "features[1]"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_problem_of_the_file_is_reported_at_once()
    {
        var features = StandardFeatures();
        features[0] = Feature("community", CommunityA, null, PolygonGeometry(Box(116.40, 39.90, 116.42, 39.92)));
        features[3] = GridFeature(CommunityA + "002", "和平二网格", 116.405, 39.90, 116.42, 39.92);
        features[5] = Feature("grid", CommunityB + "002", "安康二网格", null);

        var errors = await RefusedAsync(Collection(features));

        Assert.Equal(ExpectedKeys, errors.Keys);
    }

    [Fact]
    public async Task A_street_the_caller_cannot_see_is_not_found()
    {
        var outsider = new Caller(Guid.NewGuid(), "outsider", "外人", Guid.NewGuid(), "/" + Guid.NewGuid().ToString("N") + "/", new HashSet<string>(StringComparer.Ordinal) { Roles.SystemAdmin });
        var noRole = outsider with { ScopePath = "/", Roles = new HashSet<string>(StringComparer.Ordinal) };

        await Assert.ThrowsAsync<NotFoundException>(() => ImportAsync(Collection(StandardFeatures()), outsider));
        await Assert.ThrowsAsync<ForbiddenException>(() => ImportAsync(Collection(StandardFeatures()), noRole));
        await Assert.ThrowsAsync<NotFoundException>(() => ImportAsync(Collection(StandardFeatures()), streetId: Guid.NewGuid()));
        Assert.Equal(0, (await _database.CountAsync(Ct)).Grids);
    }
}
