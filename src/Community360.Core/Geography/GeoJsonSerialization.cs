using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace Community360.Geography;

/// <summary>Geometry as a GeoJSON object in API answers (a plain JSON value, so OpenAPI does not reflect NTS types).</summary>
public static class GeoJsonSerialization
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new GeoJsonConverterFactory() } };

    public static JsonElement ToElement(Geometry geometry) => JsonSerializer.SerializeToElement(geometry, Options);
}
