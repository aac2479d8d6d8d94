using Community360.Data;
using Community360.Geography;
using Community360.Organization;
using NetTopologySuite.Geometries;
using NetTopologySuite.Triangulate;
using static Community360.Tests.Geography.GeographyTestData;

namespace Community360.Tests.Geography;

public sealed class GridLocatorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static LocatableGrid Shape(string code, Geometry boundary) =>
        new(new GridHit(Guid.NewGuid(), code, "网格" + code, Guid.NewGuid(), "社区", "/" + code + "/"), boundary);

    [Fact]
    public void Finds_the_grid_under_a_point_and_nothing_outside_every_grid()
    {
        using var locator = new GridLocator();
        locator.Load(
        [
            Shape("west", Rectangle(116.40, 39.90, 116.41, 39.91)),
            Shape("east", Rectangle(116.41, 39.90, 116.42, 39.91)),
        ]);

        Assert.Equal("west", locator.Locate(116.405, 39.905)?.GridCode);
        Assert.Equal("east", locator.Locate(116.415, 39.905)?.GridCode);
        Assert.Null(locator.Locate(116.43, 39.905));
        Assert.Null(locator.Locate(116.405, 39.95));
        Assert.Null(locator.Locate(double.NaN, 39.905));
        Assert.Equal(2, locator.GridCount);
    }

    [Fact]
    public void A_point_on_a_shared_border_gets_one_of_the_two_grids()
    {
        using var locator = new GridLocator();
        locator.Load(
        [
            Shape("west", Rectangle(116.40, 39.90, 116.41, 39.91)),
            Shape("east", Rectangle(116.41, 39.90, 116.42, 39.91)),
        ]);

        var hit = locator.Locate(116.41, 39.905);

        Assert.NotNull(hit);
        Assert.True(hit.GridCode is "west" or "east");
        Assert.NotNull(locator.Locate(116.41, 39.90));
    }

    [Fact]
    public void A_point_in_a_hole_is_not_in_the_grid_with_the_hole_but_in_the_grid_filling_it()
    {
        using var locator = new GridLocator();
        locator.Load([Shape("ring", RectangleWithHole(116.40, 39.90, 116.42, 39.92, 116.405, 39.905, 116.41, 39.91))]);

        Assert.Null(locator.Locate(116.4075, 39.9075));
        Assert.Equal("ring", locator.Locate(116.401, 39.901)?.GridCode);

        locator.Load(
        [
            Shape("ring", RectangleWithHole(116.40, 39.90, 116.42, 39.92, 116.405, 39.905, 116.41, 39.91)),
            Shape("island", Rectangle(116.405, 39.905, 116.41, 39.91)),
        ]);
        Assert.Equal("island", locator.Locate(116.4075, 39.9075)?.GridCode);
    }

    [Fact]
    public void Locating_before_anything_was_loaded_is_an_error_not_a_silent_miss()
    {
        using var locator = new GridLocator();

        Assert.False(locator.IsLoaded);
        Assert.Throws<InvalidOperationException>(() => locator.Locate(116.4, 39.9));
    }

    [Fact]
    public void Agrees_with_brute_force_contains_on_ten_thousand_random_points()
    {
        var random = new Random(20240601);
        var area = new Envelope(116.30, 116.50, 39.85, 40.00);
        var cells = VoronoiCells(random, area, 400);
        var grids = new List<LocatableGrid>();
        for (var i = 0; i < cells.Count; i++)
        {
            Geometry cell = cells[i];
            // Every tenth cell gets a hole, left empty, to exercise interior rings.
            if (i % 10 == 0)
            {
                var inner = cell.Buffer(-0.002);
                if (inner is Polygon { IsEmpty: false } hole)
                {
                    cell = cell.Difference(hole);
                }
            }
            grids.Add(Shape(i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture), cell));
        }
        using var locator = new GridLocator();
        locator.Load(grids);

        var misses = 0;
        for (var n = 0; n < 10_000; n++)
        {
            // Some points fall outside every cell on purpose.
            var lon = 116.28 + random.NextDouble() * 0.24;
            var lat = 39.83 + random.NextDouble() * 0.19;
            var point = GeometryFactories.Wgs84.CreatePoint(new Coordinate(lon, lat));
            var expected = grids.Where(g => g.Boundary.Covers(point)).Select(g => g.Grid.GridCode).ToList();

            var hit = locator.Locate(lon, lat);

            if (expected.Count == 0)
            {
                Assert.Null(hit);
                misses++;
            }
            else
            {
                Assert.NotNull(hit);
                Assert.Contains(hit.GridCode, expected);
            }
        }
        Assert.InRange(misses, 1000, 9000);
    }

    [Fact]
    public async Task Loads_active_grids_from_the_database_and_reloads_lazily_after_invalidation()
    {
        await using var database = await GeographyTestDatabase.CreateAsync(Ct);
        OrgUnit community;
        await using (var db = database.NewContext())
        {
            community = new OrgUnit { Kind = OrgUnitKind.Community, Name = "和平社区", Code = CommunityA, ParentId = database.Street.Id };
            community.PlaceUnder(database.Street);
            db.OrgUnits.Add(community);
            AddGrid(db, community, "001", Rectangle(116.40, 39.90, 116.41, 39.91), retired: false);
            AddGrid(db, community, "002", Rectangle(116.41, 39.90, 116.42, 39.91), retired: true);
            await db.SaveChangesAsync(Ct);
        }

        using var locator = new GridLocator();
        await using (var db = database.NewContext())
        {
            var hit = await locator.LocateAsync(db, 116.405, 39.905, Ct);
            Assert.NotNull(hit);
            Assert.Equal(CommunityA + "001", hit.GridCode);
            Assert.Equal(community.Id, hit.CommunityId);
            Assert.Equal("和平社区", hit.CommunityName);
            Assert.Null(locator.Locate(116.415, 39.905));
        }

        await using (var db = database.NewContext())
        {
            AddGrid(db, community, "003", Rectangle(116.40, 39.91, 116.41, 39.92), retired: false);
            await db.SaveChangesAsync(Ct);
        }
        Assert.Null(locator.Locate(116.405, 39.915));
        locator.Invalidate();
        Assert.True(locator.IsStale);
        await using (var db = database.NewContext())
        {
            await locator.EnsureLoadedAsync(db, Ct);
        }
        Assert.False(locator.IsStale);
        Assert.Equal(CommunityA + "003", locator.Locate(116.405, 39.915)?.GridCode);
    }

    [Fact]
    public async Task Lookups_keep_answering_while_snapshots_are_swapped()
    {
        using var locator = new GridLocator();
        var a = Shape("a", Rectangle(116.40, 39.90, 116.41, 39.91));
        var b = Shape("b", Rectangle(116.40, 39.90, 116.41, 39.91));
        locator.Load([a]);

        using var stop = new CancellationTokenSource();
        var swapper = Task.Run(() =>
        {
            var flip = false;
            while (!stop.IsCancellationRequested)
            {
                locator.Load([flip ? a : b]);
                flip = !flip;
            }
        }, Ct);
        Parallel.For(0, 200_000, _ => Assert.True(locator.Locate(116.405, 39.905)?.GridCode is "a" or "b"));
        await stop.CancelAsync();
        await swapper;
    }

    private static void AddGrid(AppDbContext db, OrgUnit community, string sequence, Polygon boundary, bool retired)
    {
        var grid = new Grid
        {
            CommunityId = community.Id,
            Code = community.Code + sequence,
            Name = "网格" + sequence,
            Boundary = boundary,
            AreaSquareMeters = GeodesicArea.SquareMeters(boundary),
            IsRetired = retired,
        };
        grid.PlaceUnder(community);
        db.Grids.Add(grid);
    }

    private static List<Polygon> VoronoiCells(Random random, Envelope area, int count)
    {
        var sites = new List<Coordinate>(count);
        for (var i = 0; i < count; i++)
        {
            sites.Add(new Coordinate(
                area.MinX + random.NextDouble() * area.Width,
                area.MinY + random.NextDouble() * area.Height));
        }
        var builder = new VoronoiDiagramBuilder { ClipEnvelope = area };
        builder.SetSites(sites);
        var diagram = builder.GetDiagram(GeometryFactories.Wgs84);
        var clip = GeometryFactories.Wgs84.ToGeometry(area);
        var cells = new List<Polygon>();
        for (var i = 0; i < diagram.NumGeometries; i++)
        {
            if (diagram.GetGeometryN(i).Intersection(clip) is Polygon { IsEmpty: false } cell)
            {
                cell.SRID = GeometryFactories.Wgs84Srid;
                cells.Add(cell);
            }
        }
        return cells;
    }
}
