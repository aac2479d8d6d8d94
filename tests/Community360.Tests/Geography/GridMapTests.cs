using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Community360.Tests.Cases;
using Community360.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Community360.Tests.Geography;

public sealed record MapAreaView(
    Guid Id, string Kind, string Code, string Name, Guid? CommunityId, string? CommunityName, string? GridType, int OpenCases,
    int OverdueCases, double AreaSquareKilometers, double? OpenCasesPerSquareKilometer, bool OutlineDerived);

public sealed record MapBoundsView(double West, double South, double East, double North);

public sealed record MapAreasView(List<MapAreaView> Areas, JsonElement FeatureCollection, MapBoundsView? Bounds);

public sealed record CasePinView(Guid Id, string Number, string Title, string State, string StateName, Guid? GridId, double Longitude, double Latitude, bool IsOverdue, bool IsDueSoon);

public sealed record CasePinsView(List<CasePinView> Pins, bool Truncated, int Limit);

public sealed record PersonInChargeView(string WorkLine, string WorkLineName, string PersonName, string? PersonPhone);

public sealed record CardCaseView(Guid Id, string Title, string State, DateTime? CompletionDueAt, bool IsOverdue);

public sealed record GridCardView(
    Guid Id, string Code, string Name, string TypeName, Guid CommunityId, string CommunityName, List<PersonInChargeView> PeopleInCharge,
    int CompoundCount, int OpenCases, int OverdueCases, List<CardCaseView> Cases);

/// <summary>
/// The grid map's data. One scene per host: cases in communities A (槐荫里, 110199001001) and B (110199001002), some
/// dispatched and then left a month past their deadline, one voided, one confidential; and a community created
/// without a boundary, whose outline the map derives from its two grids.
/// </summary>
public abstract class GridMapTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : Community360App
{
    private const string CommunityA = "110199001001";
    private const string CommunityB = "110199001002";
    private static readonly ConcurrentDictionary<Community360App, Task<Scene>> Scenes = new();

    [Fact]
    public async Task Every_area_counts_the_open_and_overdue_cases_the_case_list_reports_for_it()
    {
        var scene = await SceneAsync();
        var dispatcher = await app.ClientForAsync("dispatcher");

        var map = await (await dispatcher.GetAsync("/api/map/areas")).ShouldBeOkAsync<MapAreasView>();

        await using var db = app.CreateDbContext();
        var activeGrids = await db.Grids.CountAsync(g => !g.IsRetired);
        var communities = await db.OrgUnits.CountAsync(o => o.Kind == Organization.OrgUnitKind.Community && !o.IsRetired);
        Assert.Equal(activeGrids, map.Areas.Count(a => a.Kind == "Grid"));
        Assert.Equal(communities, map.Areas.Count(a => a.Kind == "Community"));
        foreach (var area in map.Areas)
        {
            var filter = area.Kind == "Grid" ? $"gridId={area.Id}" : $"communityId={area.Id}";
            var (open, overdue) = await FromCaseListAsync(dispatcher, filter);
            Assert.True(open == area.OpenCases, $"{area.Name}: map {area.OpenCases} open, list {open}");
            Assert.True(overdue == area.OverdueCases, $"{area.Name}: map {area.OverdueCases} overdue, list {overdue}");
            Assert.True(area.AreaSquareKilometers > 0, area.Name);
            var density = area.OpenCases / area.AreaSquareKilometers;
            Assert.InRange(area.OpenCasesPerSquareKilometer!.Value, density * 0.999 - 0.01, density * 1.001 + 0.01);
        }

        // The scene's own cases: the voided one is not open, the received one is open but has no deadline yet.
        var gridA0 = map.Areas.Single(a => a.Id == scene.GridOfA0);
        var (listOpen, _) = await FromCaseListAsync(dispatcher, $"gridId={scene.GridOfA0}");
        Assert.True(gridA0.OverdueCases >= 1);
        Assert.Equal(listOpen, gridA0.OpenCases);
        var all = await (await dispatcher.GetAsync($"/api/cases?gridId={scene.GridOfA0}&limit=200")).ShouldBeOkAsync<JsonElement>();
        Assert.Equal(gridA0.OpenCases + 1, all.GetProperty("total").GetInt32());
        var communityA = map.Areas.Single(a => a.Code == CommunityA);
        Assert.Equal(3, communityA.OpenCases);
        Assert.Equal(2, communityA.OverdueCases);
        Assert.Equal(1, map.Areas.Single(a => a.Code == CommunityB).OverdueCases);
        Assert.Equal(communityA.OpenCases, map.Areas.Where(a => a.CommunityId == communityA.Id).Sum(a => a.OpenCases));
    }

    [Fact]
    public async Task The_feature_collection_draws_every_area_and_the_bounds_enclose_them()
    {
        var scene = await SceneAsync();
        var dispatcher = await app.ClientForAsync("dispatcher");

        var map = await (await dispatcher.GetAsync("/api/map/areas")).ShouldBeOkAsync<MapAreasView>();

        Assert.Equal("FeatureCollection", map.FeatureCollection.GetProperty("type").GetString());
        var features = map.FeatureCollection.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(map.Areas.Select(a => a.Id), features.Select(f => f.GetProperty("id").GetGuid()));
        foreach (var (feature, area) in features.Zip(map.Areas))
        {
            Assert.Equal("Feature", feature.GetProperty("type").GetString());
            Assert.True(feature.GetProperty("geometry").GetProperty("type").GetString() is "Polygon" or "MultiPolygon");
            var properties = feature.GetProperty("properties");
            Assert.Equal(area.Name, properties.GetProperty("name").GetString());
            Assert.Equal(area.Kind, properties.GetProperty("kind").GetString());
            Assert.Equal(area.OverdueCases, properties.GetProperty("overdueCases").GetInt32());
        }

        // Stored community boundaries are used as they are; the new community without one is its grids merged.
        Assert.All(map.Areas.Where(a => a.Kind == "Community" && a.Id != scene.DerivedCommunity), a => Assert.False(a.OutlineDerived));
        var derived = map.Areas.Single(a => a.Id == scene.DerivedCommunity);
        Assert.True(derived.OutlineDerived);
        var derivedGrids = map.Areas.Where(a => a.CommunityId == scene.DerivedCommunity).ToList();
        Assert.Equal(2, derivedGrids.Count);
        Assert.Equal(derivedGrids.Sum(g => g.AreaSquareKilometers), derived.AreaSquareKilometers, 0.001);
        var derivedOutline = features.Single(f => f.GetProperty("id").GetGuid() == scene.DerivedCommunity).GetProperty("geometry");
        Assert.Equal("Polygon", derivedOutline.GetProperty("type").GetString());

        var bounds = map.Bounds!;
        Assert.Equal(116.62, bounds.East, 6);
        Assert.Equal(40.11, bounds.North, 6);
        var pins = await (await dispatcher.GetAsync("/api/map/case-pins")).ShouldBeOkAsync<CasePinsView>();
        Assert.NotEmpty(pins.Pins);
        Assert.All(pins.Pins, p => Assert.True(p.Longitude >= bounds.West && p.Longitude <= bounds.East && p.Latitude >= bounds.South && p.Latitude <= bounds.North));
    }

    [Fact]
    public async Task A_community_worker_sees_only_their_community_on_the_map_and_confidential_titles_concealed()
    {
        var scene = await SceneAsync();
        var worker = await app.ClientForAsync("worker1");
        var dispatcher = await app.ClientForAsync("dispatcher");

        var map = await (await worker.GetAsync("/api/map/areas")).ShouldBeOkAsync<MapAreasView>();

        await using var db = app.CreateDbContext();
        var communityA = await db.OrgUnits.SingleAsync(o => o.Code == CommunityA);
        var gridsOfA = await db.Grids.Where(g => g.CommunityId == communityA.Id && !g.IsRetired).Select(g => g.Id).ToListAsync();
        Assert.Equal([communityA.Id], map.Areas.Where(a => a.Kind == "Community").Select(a => a.Id));
        Assert.Equal(gridsOfA.Order(), map.Areas.Where(a => a.Kind == "Grid").Select(a => a.Id).Order());
        Assert.Equal(map.Areas.Count, map.FeatureCollection.GetProperty("features").GetArrayLength());
        Assert.Equal(3, map.Areas.Single(a => a.Id == communityA.Id).OpenCases);

        var workerPins = await (await worker.GetAsync("/api/map/case-pins")).ShouldBeOkAsync<CasePinsView>();
        var ids = workerPins.Pins.Select(p => p.Id).ToHashSet();
        Assert.Superset(new HashSet<Guid> { scene.A0, scene.A1, scene.Secret }, ids);
        Assert.DoesNotContain(scene.B0, ids);
        Assert.DoesNotContain(scene.Voided, ids);
        Assert.All(workerPins.Pins, p => Assert.Contains(p.GridId!.Value, gridsOfA));
        var concealed = workerPins.Pins.Single(p => p.Id == scene.Secret).Title;
        Assert.DoesNotContain("赵先生", concealed, StringComparison.Ordinal);
        Assert.Contains("（保密）", concealed, StringComparison.Ordinal);

        var dispatcherPins = await (await dispatcher.GetAsync("/api/map/case-pins")).ShouldBeOkAsync<CasePinsView>();
        Assert.Contains(dispatcherPins.Pins, p => p.Id == scene.B0);
        Assert.Contains("赵先生", dispatcherPins.Pins.Single(p => p.Id == scene.Secret).Title, StringComparison.Ordinal);
        Assert.False(dispatcherPins.Truncated);
    }

    [Fact]
    public async Task Pins_filter_by_community_and_overdue_and_a_cap_keeps_overdue_pins_first()
    {
        var scene = await SceneAsync();
        var dispatcher = await app.ClientForAsync("dispatcher");
        await using var db = app.CreateDbContext();
        var communityB = await db.OrgUnits.Where(o => o.Code == CommunityB).Select(o => o.Id).SingleAsync();
        var gridsOfB = await db.Grids.Where(g => g.CommunityId == communityB).Select(g => g.Id).ToListAsync();

        var inB = await (await dispatcher.GetAsync($"/api/map/case-pins?communityId={communityB}")).ShouldBeOkAsync<CasePinsView>();
        Assert.Equal([scene.B0], inB.Pins.Select(p => p.Id));
        Assert.All(inB.Pins, p => Assert.Contains(p.GridId!.Value, gridsOfB));

        var overdue = await (await dispatcher.GetAsync("/api/map/case-pins?overdueOnly=true")).ShouldBeOkAsync<CasePinsView>();
        Assert.Equal(new[] { scene.A0, scene.B0, scene.Secret }.Order(), overdue.Pins.Select(p => p.Id).Order());
        Assert.All(overdue.Pins, p => Assert.True(p.IsOverdue && !p.IsDueSoon));
        var listed = await (await dispatcher.GetAsync("/api/cases?overdue=true&limit=1")).ShouldBeOkAsync<JsonElement>();
        Assert.Equal(listed.GetProperty("total").GetInt32(), overdue.Pins.Count);

        var all = await (await dispatcher.GetAsync("/api/map/case-pins")).ShouldBeOkAsync<CasePinsView>();
        var received = all.Pins.Single(p => p.Id == scene.A1);
        Assert.False(received.IsOverdue);
        Assert.Equal("已受理", received.StateName);

        var capped = await (await dispatcher.GetAsync("/api/map/case-pins?limit=2")).ShouldBeOkAsync<CasePinsView>();
        Assert.True(capped.Truncated);
        Assert.Equal(2, capped.Limit);
        Assert.Equal(2, capped.Pins.Count);
        Assert.All(capped.Pins, p => Assert.True(p.IsOverdue));
    }

    [Fact]
    public async Task The_grid_card_names_the_people_in_charge_with_masked_phones_and_lists_open_cases_most_overdue_first()
    {
        var scene = await SceneAsync();
        var dispatcher = await app.ClientForAsync("dispatcher");

        var response = await dispatcher.GetAsync($"/api/map/grids/{scene.GridOfA0}");
        var body = await response.Content.ReadAsStringAsync();
        var card = await response.ShouldBeOkAsync<GridCardView>();

        await using var db = app.CreateDbContext();
        var grid = await db.Grids.AsNoTracking().SingleAsync(g => g.Id == scene.GridOfA0);
        Assert.Equal(grid.Name, card.Name);
        Assert.Equal(CommunityA, card.Code[..12]);
        Assert.Equal(["环保", "应急", "城建", "综合执法", "市场监管", "农业"], card.PeopleInCharge.Select(p => p.WorkLineName));
        Assert.Equal(grid.Responsibilities.OrderBy(r => r.WorkLine).Select(r => r.PersonName), card.PeopleInCharge.Select(p => p.PersonName));
        Assert.All(card.PeopleInCharge, p => Assert.Matches(@"^1\d{2}\*{4}\d{4}$", p.PersonPhone));
        Assert.All(grid.Responsibilities, r => Assert.DoesNotContain(r.PersonPhone!, body, StringComparison.Ordinal));
        Assert.Equal(await db.Compounds.CountAsync(c => c.GridId == grid.Id && !c.IsRetired), card.CompoundCount);
        Assert.True(card.CompoundCount > 0);

        var map = await (await dispatcher.GetAsync("/api/map/areas")).ShouldBeOkAsync<MapAreasView>();
        var area = map.Areas.Single(a => a.Id == grid.Id);
        Assert.Equal(area.OpenCases, card.OpenCases);
        Assert.Equal(area.OverdueCases, card.OverdueCases);
        Assert.Equal(Math.Min(card.OpenCases, 20), card.Cases.Count);
        Assert.Contains(card.Cases, c => c.Id == scene.A0 && c.IsOverdue);
        Assert.DoesNotContain(card.Cases, c => c.Id == scene.Voided);
        Assert.All(card.Cases, c => Assert.NotEqual("Voided", c.State));
        var dues = card.Cases.Select(c => c.CompletionDueAt ?? DateTime.MaxValue).ToList();
        Assert.Equal(dues.Order(), dues);
    }

    [Fact]
    public async Task A_grid_outside_the_scope_answers_the_same_404_as_a_missing_one()
    {
        await SceneAsync();
        var worker = await app.ClientForAsync("worker1");
        await using var db = app.CreateDbContext();
        var gridOfB = await db.Grids.Where(g => EF.Functions.Like(g.Code, CommunityB + "%")).Select(g => g.Id).FirstAsync();
        var gridOfA = await db.Grids.Where(g => EF.Functions.Like(g.Code, CommunityA + "%")).Select(g => g.Id).FirstAsync();

        var outside = await (await worker.GetAsync($"/api/map/grids/{gridOfB}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var missing = await (await worker.GetAsync($"/api/map/grids/{Guid.NewGuid()}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("网格不存在或您无权访问。", outside.GetProperty("detail").GetString());
        Assert.Equal(missing.GetProperty("detail").GetString(), outside.GetProperty("detail").GetString());
        Assert.Equal(missing.GetProperty("title").GetString(), outside.GetProperty("title").GetString());
        await (await worker.GetAsync($"/api/map/grids/{gridOfA}")).ShouldBeOkAsync<GridCardView>();
        var dispatcher = await app.ClientForAsync("dispatcher");
        await (await dispatcher.GetAsync($"/api/map/grids/{gridOfB}")).ShouldBeOkAsync<GridCardView>();

        // A grid worker's map is their own grid; their community is not theirs to draw.
        var gridWorker = await app.ClientForAsync("grid1");
        var own = await (await gridWorker.GetAsync("/api/map/areas")).ShouldBeOkAsync<MapAreasView>();
        var ownGrid = Assert.Single(own.Areas);
        Assert.Equal("Grid", ownGrid.Kind);
        Assert.Equal(await db.Users.Where(u => u.UserName == "grid1").Select(u => u.ScopeNodeId).SingleAsync(), ownGrid.Id);
    }

    private static async Task<(int Open, int Overdue)> FromCaseListAsync(HttpClient client, string filter)
    {
        var all = await (await client.GetAsync($"/api/cases?{filter}&limit=200")).ShouldBeOkAsync<JsonElement>();
        var items = all.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(all.GetProperty("total").GetInt32(), items.Count);
        var overdue = await (await client.GetAsync($"/api/cases?{filter}&overdue=true&limit=1")).ShouldBeOkAsync<JsonElement>();
        return (items.Count(i => i.GetProperty("state").GetString() is not ("Closed" or "Voided")), overdue.GetProperty("total").GetInt32());
    }

    private Task<Scene> SceneAsync() => Scenes.GetOrAdd(app, _ => BuildSceneAsync());

    private async Task<Scene> BuildSceneAsync()
    {
        var cases = new CaseClient(app);
        var dispatcher = await app.ClientForAsync("dispatcher");
        var category = await cases.CategoryIdAsync("楼道堆物");
        var unitA = await cases.UnitIdAsync(CommunityA);
        var unitB = await cases.UnitIdAsync(CommunityB);

        var a0 = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(category, await cases.PointInCommunityAsync(CommunityA), title: "楼道堆放纸箱"));
        await CaseClient.ActAsync(dispatcher, a0, "dispatch", new { unitId = unitA });
        var a1 = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(category, await cases.PointInCommunityAsync(CommunityA, 1), title: "楼道堆放旧家具"));
        var voided = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(category, await cases.PointInCommunityAsync(CommunityA), title: "误登记的工单"));
        await CaseClient.ActAsync(dispatcher, voided, "void", new { note = "重复登记，作废" });
        var secret = await CaseClient.ReceiveAsync(dispatcher,
            CaseClient.Intake(category, await cases.PointInCommunityAsync(CommunityA, 2), title: "赵先生反映楼道堆物", confidential: true));
        await CaseClient.ActAsync(dispatcher, secret, "dispatch", new { unitId = unitA });
        var b0 = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(category, await cases.PointInCommunityAsync(CommunityB), title: "楼道堆放自行车"));
        await CaseClient.ActAsync(dispatcher, b0, "dispatch", new { unitId = unitB });

        var admin = await app.ClientForAsync("sysadmin");
        var streetId = await cases.UnitIdAsync("110199001");
        var community = await (await admin.PostJsonAsync("/api/org-units", new { kind = "Community", name = "东拓社区", code = "110199001070", parentId = streetId }))
            .ShouldBeOkAsync<OrgUnitView>(HttpStatusCode.Created);
        foreach (var (code, west, east) in new[] { ("110199001070001", 116.60, 116.61), ("110199001070002", 116.61, 116.62) })
        {
            await (await admin.PostJsonAsync("/api/grids", new
            {
                communityId = community.Id,
                code,
                name = "东拓网格" + code[^1..],
                boundary = JsonDocument.Parse(Box(west, 40.10, east, 40.11)).RootElement,
            })).ShouldBeOkAsync<JsonElement>(HttpStatusCode.Created);
        }

        // A month later every dispatched case is past its completion deadline; the received one has none yet.
        app.Clock.Advance(TimeSpan.FromDays(30));
        return new Scene(a0.Id, a0.GridId!.Value, a1.Id, voided.Id, secret.Id, b0.Id, community.Id);
    }

    private static string Box(double west, double south, double east, double north) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"type":"Polygon","coordinates":[[[{{west}},{{south}}],[{{east}},{{south}}],[{{east}},{{north}}],[{{west}},{{north}}],[{{west}},{{south}}]]]}""");

    private sealed record Scene(Guid A0, Guid GridOfA0, Guid A1, Guid Voided, Guid Secret, Guid B0, Guid DerivedCommunity);
}

public sealed class GridMapTestsOnSqlite(SqliteApp app) : GridMapTests<SqliteApp>(app);

public sealed class GridMapTestsOnPostgres(PostgresApp app) : GridMapTests<PostgresApp>(app);
