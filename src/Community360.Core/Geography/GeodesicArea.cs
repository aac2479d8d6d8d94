using NetTopologySuite.Geometries;

namespace Community360.Geography;

/// <summary>
/// Area on the sphere of WGS84 longitude/latitude polygons, by the spherical-excess ring formula used by
/// turf.js <c>area</c> (Chamberlain &amp; Duquette, "Some algorithms for polygons on a sphere", JPL 2007).
/// Accurate to a fraction of a percent for grid- and community-sized polygons, which is what a street office
/// reads off a map; it is not a survey-grade ellipsoidal area.
/// </summary>
public static class GeodesicArea
{
    /// <summary>Sphere radius in metres: the WGS84 semi-major axis, as turf.js used it.</summary>
    public const double EarthRadiusMeters = 6378137.0;

    private const double DegreesToRadians = Math.PI / 180.0;

    /// <summary>
    /// Square metres covered by the polygonal parts of <paramref name="geometry"/>: holes are subtracted, the
    /// members of a MultiPolygon or GeometryCollection are added, points and lines count as zero.
    /// Ring orientation does not matter.
    /// </summary>
    public static double SquareMeters(Geometry? geometry) => geometry switch
    {
        null => 0,
        { IsEmpty: true } => 0,
        Polygon polygon => PolygonArea(polygon),
        GeometryCollection collection => SumMembers(collection),
        _ => 0,
    };

    private static double SumMembers(GeometryCollection collection)
    {
        var total = 0.0;
        for (var i = 0; i < collection.NumGeometries; i++)
        {
            total += SquareMeters(collection.GetGeometryN(i));
        }
        return total;
    }

    private static double PolygonArea(Polygon polygon)
    {
        var area = Math.Abs(RingArea(polygon.ExteriorRing.CoordinateSequence));
        for (var i = 0; i < polygon.NumInteriorRings; i++)
        {
            area -= Math.Abs(RingArea(polygon.GetInteriorRingN(i).CoordinateSequence));
        }
        return Math.Max(area, 0);
    }

    /// <summary>Signed area of a closed ring (first position repeated last); the sign follows the orientation.</summary>
    internal static double RingArea(CoordinateSequence ring)
    {
        var count = ring.Count - 1;
        if (count <= 2)
        {
            return 0;
        }
        var total = 0.0;
        for (var i = 0; i < count; i++)
        {
            var lower = i;
            var middle = i + 1 == count ? 0 : i + 1;
            var upper = i + 2 >= count ? (i + 2) % count : i + 2;
            total += (ring.GetX(upper) - ring.GetX(lower)) * DegreesToRadians * Math.Sin(ring.GetY(middle) * DegreesToRadians);
        }
        return total * EarthRadiusMeters * EarthRadiusMeters / 2.0;
    }
}
