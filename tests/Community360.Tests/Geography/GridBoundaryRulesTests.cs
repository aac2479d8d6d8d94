using Community360.Data;
using Community360.Geography;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using static Community360.Tests.Geography.GeographyTestData;

namespace Community360.Tests.Geography;

public sealed class GridBoundaryRulesTests
{
    private static readonly WKTReader Wkt = new(new NetTopologySuite.NtsGeometryServices(GeometryFactories.Wgs84.PrecisionModel, GeometryFactories.Wgs84Srid));

    private static Geometry Read(string wkt) => Wkt.Read(wkt);

    [Fact]
    public void A_simple_rectangle_is_a_valid_shape()
    {
        Assert.Empty(GridBoundaryRules.ValidateShape(Rectangle(116.40, 39.90, 116.41, 39.91)));
    }

    [Theory]
    [InlineData("POLYGON((116.40 39.90, 116.41 39.91, 116.41 39.90, 116.40 39.91, 116.40 39.90))", "边界自相交", "116.405, 39.905")]
    [InlineData("POLYGON((116.40 39.90, 116.42 39.90, 116.41 39.91, 116.42 39.92, 116.40 39.92, 116.41 39.91, 116.40 39.90))", "边界环自相交", "116.41, 39.91")]
    [InlineData("POLYGON((116.40 39.90, 116.41 39.90, 116.41 39.91, 116.40 39.91, 116.40 39.90), (116.50 39.95, 116.51 39.95, 116.51 39.96, 116.50 39.95))", "内环（洞）不在外边界之内", "116.5, 39.95")]
    [InlineData("MULTIPOLYGON(((116.40 39.90, 116.42 39.90, 116.42 39.92, 116.40 39.92, 116.40 39.90)), ((116.405 39.905, 116.41 39.905, 116.41 39.91, 116.405 39.905)))", "面相互嵌套", "位置")]
    [InlineData("MULTIPOLYGON(((116.40 39.90, 116.42 39.90, 116.42 39.92, 116.40 39.92, 116.40 39.90)), ((116.41 39.91, 116.43 39.91, 116.43 39.93, 116.41 39.93, 116.41 39.91)))", "多个面之间相互重叠", "位置")]
    [InlineData("POLYGON((116.40 39.90, 116.42 39.90, 116.42 39.92, 116.40 39.92, 116.40 39.90), (116.41 39.90, 116.42 39.91, 116.41 39.92, 116.40 39.91, 116.41 39.90))", "互不相连", "位置")]
    public void Invalid_shapes_are_described_in_chinese_with_their_location(string wkt, string expected, string location)
    {
        var problems = GridBoundaryRules.ValidateShape(Read(wkt));

        var problem = Assert.Single(problems);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.Contains(location, problem, StringComparison.Ordinal);
        Assert.EndsWith("。", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Points_lines_foreign_projections_and_degenerate_polygons_are_refused()
    {
        Assert.Contains("只支持面", Assert.Single(GridBoundaryRules.ValidateShape(Read("POINT(116.4 39.9)"))), StringComparison.Ordinal);

        var projected = Rectangle(116.40, 39.90, 116.41, 39.91);
        projected.SRID = 3857;
        Assert.Contains("EPSG:3857", Assert.Single(GridBoundaryRules.ValidateShape(projected)), StringComparison.Ordinal);

        var metres = GeometryFactories.Wgs84.CreatePolygon(
        [
            new Coordinate(12958000, 4852000), new Coordinate(12959000, 4852000), new Coordinate(12959000, 4853000),
            new Coordinate(12958000, 4853000), new Coordinate(12958000, 4852000),
        ]);
        Assert.Contains("投影坐标", Assert.Single(GridBoundaryRules.ValidateShape(metres)), StringComparison.Ordinal);

        var swapped = Rectangle(39.90, 116.40, 39.91, 116.41);
        Assert.Contains("写反", Assert.Single(GridBoundaryRules.ValidateShape(swapped)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_grid_may_stick_out_of_its_community_by_a_sliver_but_not_by_more_than_the_tolerance()
    {
        var community = Rectangle(116.40, 39.90, 116.42, 39.92);
        // 1e-8° of longitude is under a millimetre here: along 2.2 km that is about 2 m², a sliver.
        // 0.001° is about 85 m: about 190,000 m² outside, a real mistake.
        var sliver = Rectangle(116.41, 39.90, 116.42000001, 39.92);
        var outside = Rectangle(116.41, 39.90, 116.421, 39.92);

        Assert.Empty(GridBoundaryRules.Validate(sliver, community, []));

        var problem = Assert.Single(GridBoundaryRules.Validate(outside, community, [], "社区 110105001001 “和平社区”"));
        Assert.Contains("位于社区 110105001001 “和平社区”边界之外", problem, StringComparison.Ordinal);
        // The allowance is the larger of 50 m² and 1% of the grid: about 20,900 m² for this 2.09 km² grid.
        Assert.Contains("超过允许的 20,", problem, StringComparison.Ordinal);

        var relaxed = new GridBoundaryTolerance { MaxStraySquareMeters = 1e9, MaxStrayFraction = 1 };
        Assert.Empty(GridBoundaryRules.Validate(outside, community, [], tolerance: relaxed));
    }

    [Fact]
    public void A_large_grid_may_stray_by_up_to_one_percent_of_its_area_a_small_one_by_50_square_metres()
    {
        var community = Rectangle(116.40, 39.90, 116.42, 39.92);
        // 0.00005° of longitude ≈ 4.3 m along 2.2 km ≈ 9,500 m² outside: under 1% of this 1.9 km² grid.
        var largeWithStrip = Rectangle(116.41, 39.90, 116.42005, 39.92);
        Assert.Empty(GridBoundaryRules.Validate(largeWithStrip, community, []));

        // A grid of about 104 m × 100 m (≈ 10,400 m², so 1% ≈ 104 m²) with a 1.7 m strip outside (≈ 170 m²).
        var small = Rectangle(116.4188, 39.9100, 116.42002, 39.9109);
        Assert.NotEmpty(GridBoundaryRules.Validate(small, community, []));
    }

    [Fact]
    public void Grids_may_share_borders_but_not_overlap_their_neighbours()
    {
        var grid = Rectangle(116.40, 39.90, 116.41, 39.91);
        var touching = Rectangle(116.41, 39.90, 116.42, 39.91);
        var overlapping = Rectangle(116.405, 39.90, 116.42, 39.91);
        var far = Rectangle(116.50, 39.90, 116.51, 39.91);

        Assert.Empty(GridBoundaryRules.Validate(grid, null, [("网格 A", touching), ("网格 C", far)]));

        var problem = Assert.Single(GridBoundaryRules.Validate(grid, null, [("网格 110105001001002 “二网格”", overlapping)]));
        Assert.StartsWith("与网格 110105001001002 “二网格”重叠约", problem, StringComparison.Ordinal);
        Assert.Contains("平方米（位置 116.4", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_shape_is_reported_alone_without_topology_checks_against_neighbours()
    {
        var bowtie = Read("POLYGON((116.40 39.90, 116.41 39.91, 116.41 39.90, 116.40 39.91, 116.40 39.90))");

        var problems = GridBoundaryRules.Validate(bowtie, Rectangle(116.50, 39.90, 116.51, 39.91), [("网格 A", bowtie)]);

        Assert.Contains("自相交", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Parses_a_bare_polygon_or_a_feature_and_refuses_everything_else()
    {
        const string polygon = """{"type":"Polygon","coordinates":[[[116.40,39.90],[116.41,39.90],[116.41,39.91],[116.40,39.91],[116.40,39.90]]]}""";
        Assert.True(GeoJsonGeometry.TryParse(polygon, out var bare, out var noError));
        Assert.Null(noError);
        Assert.IsType<Polygon>(bare);
        Assert.Equal(GeometryFactories.Wgs84Srid, bare.SRID);

        Assert.True(GeoJsonGeometry.TryParse($$"""{"type":"Feature","properties":{},"geometry":{{polygon}}}""", out var fromFeature, out _));
        Assert.True(fromFeature.EqualsExact(bare));

        const string multi = """{"type":"MultiPolygon","coordinates":[[[[116.40,39.90],[116.41,39.90],[116.41,39.91],[116.40,39.90]]],[[[116.50,39.90],[116.51,39.90],[116.51,39.91],[116.50,39.90]]]]}""";
        Assert.True(GeoJsonGeometry.TryParse(multi, out var multiPolygon, out _));
        Assert.Equal(2, multiPolygon.NumGeometries);

        AssertRefused("""{"type":"Point","coordinates":[116.4,39.9]}""", "只支持面");
        AssertRefused("""{"type":"Polygon","coordinates":[[[116.40,39.90],[116.41,39.90],[116.41,39.91],[116.40,39.91]]]}""", "未闭合");
        AssertRefused("""{"type":"Polygon","coordinates":[[[116.40,39.90],[116.41,39.90],[116.40,39.90]]]}""", "至少需要 4 个");
        AssertRefused("""{"type":"Polygon","coordinates":[[[116.40,39.90],["x",39.90],[116.41,39.91],[116.40,39.90]]]}""", "第 2 个坐标格式不正确");
        AssertRefused("""{"type":"Polygon","coordinates":[[[39.90,116.40],[39.90,116.41],[39.91,116.41],[39.90,116.40]]]}""", "写反");
        AssertRefused("""{"type":"FeatureCollection","features":[]}""", "而不是要素集合");
        AssertRefused("""{"type":"Feature","properties":{}}""", "缺少几何");
        AssertRefused("""{"type":"Polygon" """, "GeoJSON 格式无法解析：");
        AssertRefused("   ", "内容为空");
    }

    private static void AssertRefused(string json, string expected)
    {
        Assert.False(GeoJsonGeometry.TryParse(json, out var geometry, out var error));
        Assert.Null(geometry);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
