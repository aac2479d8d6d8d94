using Community360.Data;
using Community360.Geography;
using NetTopologySuite.Geometries;
using static Community360.Tests.Geography.GeographyTestData;

namespace Community360.Tests.Geography;

public sealed class GeodesicAreaTests
{
    private const double R = 6378137.0;

    [Fact]
    public void A_hundredth_of_a_degree_square_at_latitude_39_9_matches_the_flat_earth_estimate_within_half_a_percent()
    {
        var square = Rectangle(116.40, 39.90, 116.41, 39.91);

        // Independent estimate: a degree of arc is πR/180 metres; east-west it shrinks with cos(latitude).
        var metresPerDegree = Math.PI * R / 180.0;
        var expected = (0.01 * metresPerDegree) * (0.01 * metresPerDegree * Math.Cos(39.905 * Math.PI / 180.0));

        var area = GeodesicArea.SquareMeters(square);

        Assert.InRange(area, expected * 0.995, expected * 1.005);
        Assert.InRange(area, 940_000, 960_000);
    }

    [Fact]
    public void A_latitude_longitude_rectangle_matches_the_closed_form_spherical_zone_area()
    {
        var rectangle = Rectangle(116.0, 39.0, 117.0, 40.5);
        var expected = R * R * (1.0 * Math.PI / 180.0) * (Math.Sin(40.5 * Math.PI / 180.0) - Math.Sin(39.0 * Math.PI / 180.0));

        Assert.Equal(expected, GeodesicArea.SquareMeters(rectangle), expected * 1e-9);
    }

    [Fact]
    public void Ring_orientation_does_not_matter()
    {
        var counterClockwise = Rectangle(116.40, 39.90, 116.41, 39.91);
        var clockwise = (Polygon)counterClockwise.Reverse();

        Assert.Equal(GeodesicArea.SquareMeters(counterClockwise), GeodesicArea.SquareMeters(clockwise), 1e-6);
    }

    [Fact]
    public void Holes_are_subtracted_and_multipolygon_parts_added()
    {
        var outer = GeodesicArea.SquareMeters(Rectangle(116.40, 39.90, 116.42, 39.92));
        var hole = GeodesicArea.SquareMeters(Rectangle(116.405, 39.905, 116.41, 39.91));
        var withHole = RectangleWithHole(116.40, 39.90, 116.42, 39.92, 116.405, 39.905, 116.41, 39.91);

        Assert.Equal(outer - hole, GeodesicArea.SquareMeters(withHole), 1e-3);

        var a = Rectangle(116.40, 39.90, 116.41, 39.91);
        var b = Rectangle(116.50, 39.90, 116.51, 39.91);
        var multi = GeometryFactories.Wgs84.CreateMultiPolygon([a, b]);
        Assert.Equal(GeodesicArea.SquareMeters(a) + GeodesicArea.SquareMeters(b), GeodesicArea.SquareMeters(multi), 1e-3);
    }

    [Fact]
    public void Points_lines_and_empty_geometries_have_no_area()
    {
        Assert.Equal(0, GeodesicArea.SquareMeters(GeometryFactories.Wgs84.CreatePoint(new Coordinate(116.4, 39.9))));
        Assert.Equal(0, GeodesicArea.SquareMeters(GeometryFactories.Wgs84.CreateLineString([new Coordinate(116.4, 39.9), new Coordinate(116.5, 39.9)])));
        Assert.Equal(0, GeodesicArea.SquareMeters(GeometryFactories.Wgs84.CreatePolygon()));
        Assert.Equal(0, GeodesicArea.SquareMeters(null));
    }
}
