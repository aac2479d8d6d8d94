using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Community360.Auditing;
using Community360.Data;
using Community360.Geography;
using Community360.Organization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace Community360.Tests.Geography;

/// <summary>Small geometries and GeoJSON documents near Beijing (lat 39.9) for the geography tests.</summary>
internal static class GeographyTestData
{
    public const string StreetCode = "110105001";
    public const string CommunityA = "110105001001";
    public const string CommunityB = "110105001002";

    public static Polygon Rectangle(double west, double south, double east, double north) =>
        GeometryFactories.Wgs84.CreatePolygon(
        [
            new Coordinate(west, south), new Coordinate(east, south), new Coordinate(east, north),
            new Coordinate(west, north), new Coordinate(west, south),
        ]);

    public static Polygon RectangleWithHole(double west, double south, double east, double north,
        double holeWest, double holeSouth, double holeEast, double holeNorth) =>
        GeometryFactories.Wgs84.CreatePolygon(
            GeometryFactories.Wgs84.CreateLinearRing(Rectangle(west, south, east, north).ExteriorRing.Coordinates),
            [GeometryFactories.Wgs84.CreateLinearRing(Rectangle(holeWest, holeSouth, holeEast, holeNorth).ExteriorRing.Coordinates)]);

    /// <summary>[[lon, lat], …] rings as GeoJSON Polygon coordinates.</summary>
    public static JsonArray Rings(params double[][][] rings)
    {
        var result = new JsonArray();
        foreach (var ring in rings)
        {
            var array = new JsonArray();
            foreach (var position in ring)
            {
                var p = new JsonArray();
                foreach (var value in position)
                {
                    p.Add(value);
                }
                array.Add(p);
            }
            result.Add(array);
        }
        return result;
    }

    public static double[][] Box(double west, double south, double east, double north) =>
        [[west, south], [east, south], [east, north], [west, north], [west, south]];

    public static JsonObject PolygonGeometry(params double[][][] rings) =>
        new() { ["type"] = "Polygon", ["coordinates"] = Rings(rings) };

    public static JsonObject Feature(string? kind, string? code, string? name, JsonNode? geometry, string? type = null, string? communityCode = null)
    {
        var properties = new JsonObject();
        if (kind is not null)
        {
            properties["kind"] = kind;
        }
        if (code is not null)
        {
            properties["code"] = code;
        }
        if (name is not null)
        {
            properties["name"] = name;
        }
        if (type is not null)
        {
            properties["type"] = type;
        }
        if (communityCode is not null)
        {
            properties["communityCode"] = communityCode;
        }
        return new JsonObject { ["type"] = "Feature", ["properties"] = properties, ["geometry"] = geometry?.DeepClone() };
    }

    public static JsonObject Community(string code, string name, double west, double south, double east, double north) =>
        Feature("community", code, name, PolygonGeometry(Box(west, south, east, north)));

    public static JsonObject GridFeature(string code, string name, double west, double south, double east, double north, string? type = null) =>
        Feature("grid", code, name, PolygonGeometry(Box(west, south, east, north)), type);

    public static string Collection(params JsonNode[] features)
    {
        var array = new JsonArray();
        foreach (var feature in features)
        {
            array.Add(feature.DeepClone());
        }
        return new JsonObject { ["type"] = "FeatureCollection", ["features"] = array }.ToJsonString(new JsonSerializerOptions
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
    }

    /// <summary>Community A is 116.40–116.42 E, community B 116.42–116.44 E, both 39.90–39.92 N; two grids each.</summary>
    public static JsonObject[] StandardFeatures(string suffix = "") =>
    [
        Community(CommunityA, "和平社区" + suffix, 116.40, 39.90, 116.42, 39.92),
        Community(CommunityB, "安康社区" + suffix, 116.42, 39.90, 116.44, 39.92),
        GridFeature(CommunityA + "001", "和平一网格" + suffix, 116.40, 39.90, 116.41, 39.92),
        GridFeature(CommunityA + "002", "和平二网格" + suffix, 116.41, 39.90, 116.42, 39.92, "Commercial"),
        GridFeature(CommunityB + "001", "安康一网格" + suffix, 116.42, 39.90, 116.43, 39.92),
        GridFeature(CommunityB + "002", "安康二网格" + suffix, 116.43, 39.90, 116.44, 39.92, "混合网格"),
    ];

    public static string Ordinal(int index) => string.Create(CultureInfo.InvariantCulture, $"第 {index + 1} 个要素");
}

/// <summary>A throw-away SQLite file with the full schema and one street.</summary>
internal sealed class GeographyTestDatabase : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "c360-geo-" + Guid.NewGuid().ToString("N"));
    private readonly DbContextOptions<AppDbContext> _options;

    private GeographyTestDatabase()
    {
        Directory.CreateDirectory(_folder);
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        builder.UseCommunity360Database(new DatabaseOptions
        {
            Provider = DatabaseProvider.Sqlite,
            ConnectionString = $"Data Source={Path.Combine(_folder, "geo.db")}",
        });
        _options = builder.Options;
    }

    public OrgUnit Street { get; private set; } = null!;

    public static async Task<GeographyTestDatabase> CreateAsync(CancellationToken ct)
    {
        var database = new GeographyTestDatabase();
        await using var db = database.NewContext();
        await db.Database.EnsureCreatedAsync(ct);
        var district = new OrgUnit { Kind = OrgUnitKind.District, Name = "示例区", Code = "110105" };
        district.PlaceUnder(null);
        var street = new OrgUnit { Kind = OrgUnitKind.Street, Name = "示例街道", Code = GeographyTestData.StreetCode, ParentId = district.Id };
        street.PlaceUnder(district);
        db.OrgUnits.AddRange(district, street);
        await db.SaveChangesAsync(ct);
        database.Street = street;
        return database;
    }

    public AppDbContext NewContext() => new(_options, TimeProvider.System, SystemAuditActor.Instance);

    public async Task<OrgUnit> AddStreetAsync(string code, string name, CancellationToken ct)
    {
        await using var db = NewContext();
        var street = new OrgUnit { Kind = OrgUnitKind.Street, Name = name, Code = code };
        street.PlaceUnder(null);
        db.OrgUnits.Add(street);
        await db.SaveChangesAsync(ct);
        return street;
    }

    public async Task<RowCounts> CountAsync(CancellationToken ct)
    {
        await using var db = NewContext();
        return new RowCounts(
            await db.OrgUnits.CountAsync(ct),
            await db.Grids.CountAsync(ct),
            await db.Set<CommunityBoundary>().CountAsync(ct),
            await db.AuditEntries.CountAsync(ct));
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}

internal sealed record RowCounts(int OrgUnits, int Grids, int CommunityBoundaries, int AuditEntries);
