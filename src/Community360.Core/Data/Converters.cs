using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Community360.Data;

/// <summary>Instants are stored as UTC; SQLite hands them back unspecified, so the kind is restored on read.</summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

public sealed class NullableUtcDateTimeConverter() : ValueConverter<DateTime?, DateTime?>(
    v => v == null ? v : v.Value.Kind == DateTimeKind.Utc ? v : v.Value.ToUniversalTime(),
    v => v == null ? v : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));

/// <summary>
/// Geometry is kept as WKB on both providers: spatial questions are answered in memory by NetTopologySuite
/// (docs/adr/0002), so neither SpatiaLite nor PostGIS has to be installed.
/// </summary>
public sealed class GeometryWkbConverter() : ValueConverter<Geometry, byte[]>(
    v => ToWkb(v),
    v => FromWkb(v))
{
    private static byte[] ToWkb(Geometry geometry) => new WKBWriter(ByteOrder.LittleEndian, handleSRID: true).Write(geometry);

    private static Geometry FromWkb(byte[] bytes)
    {
        var geometry = new WKBReader(GeometryFactories.Wgs84.GeometryServices).Read(bytes);
        geometry.SRID = GeometryFactories.Wgs84Srid;
        return geometry;
    }
}

public sealed class GeometryValueComparer() : ValueComparer<Geometry>(
    (a, b) => a == null ? b == null : b != null && a.EqualsExact(b),
    g => g.EnvelopeInternal.GetHashCode(),
    g => g.Copy());

public static class GeometryFactories
{
    public const int Wgs84Srid = 4326;

    public static GeometryFactory Wgs84 { get; } =
        NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(Wgs84Srid);
}
