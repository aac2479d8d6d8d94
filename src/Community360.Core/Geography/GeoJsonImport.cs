using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Community360.Auditing;
using Community360.Common;
using Community360.Data;
using Community360.Identity;
using Community360.Organization;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Operation.Valid;

namespace Community360.Geography;

public sealed record GeoJsonImportResult(int CommunitiesCreated, int CommunitiesUpdated, int GridsCreated, int GridsUpdated);

/// <summary>
/// How much of a grid may lie outside its community, or overlap a neighbour, before it is refused.
/// Borders digitised twice (the community layer and the grid layer, often by different people) never coincide
/// exactly, so thin slivers along a shared border are noise, not a mistake; a grid drawn in the wrong place
/// leaves most of its area outside. The defaults accept a stray part up to the larger of 50 m² and 1% of the
/// grid: a 2 m digitising offset along a 300 m border of a 10 ha grid (600 m²) passes, a grid drawn a street
/// away does not. Set both to 0 to demand exact topology.
/// </summary>
public sealed record GridBoundaryTolerance
{
    public const double DefaultMaxStraySquareMeters = 50;
    public const double DefaultMaxStrayFraction = 0.01;

    public static GridBoundaryTolerance Default { get; } = new();

    /// <summary>Absolute allowance for the part outside the community, or shared with a neighbour.</summary>
    public double MaxStraySquareMeters { get; init; } = DefaultMaxStraySquareMeters;

    /// <summary>Allowance relative to the area of the (smaller) grid concerned.</summary>
    public double MaxStrayFraction { get; init; } = DefaultMaxStrayFraction;

    /// <summary>The larger allowance applies: small grids get the absolute one, large grids the relative one.</summary>
    public double AllowedSquareMeters(double areaSquareMeters) =>
        Math.Max(MaxStraySquareMeters, MaxStrayFraction * areaSquareMeters);
}

/// <summary>
/// Reads GeoJSON geometries into WGS84 polygons. Written against <see cref="JsonDocument"/> rather than the
/// NetTopologySuite converters because those throw on the first unclosed ring, while an import must report
/// every problem of every feature at once, in Chinese, and say where it is.
/// </summary>
public static class GeoJsonGeometry
{
    /// <summary>
    /// Parses a GeoJSON Polygon or MultiPolygon, bare or as a Feature's geometry. Checks structure, coordinate
    /// ranges and ring closure; topology (self-intersection and the like) is <see cref="GridBoundaryRules"/>'s job.
    /// </summary>
    public static bool TryParse(
        string geoJsonGeometryOrFeature,
        [NotNullWhen(true)] out Geometry? geometry,
        [NotNullWhen(false)] out string? error)
    {
        geometry = null;
        if (!TryParseDocument(geoJsonGeometryOrFeature, out var document, out error))
        {
            return false;
        }
        using (document)
        {
            var root = document.RootElement;
            var problems = new List<string>();
            if (root.ValueKind == JsonValueKind.Object && TypeOf(root) == "Feature")
            {
                geometry = Read(root.TryGetProperty("geometry", out var inner) ? inner : default, problems);
            }
            else if (root.ValueKind == JsonValueKind.Object && TypeOf(root) == "FeatureCollection")
            {
                problems.Add("应为单个面（Polygon/MultiPolygon）或单个要素（Feature），而不是要素集合。");
            }
            else
            {
                geometry = Read(root, problems);
            }
            if (problems.Count > 0 || geometry is null)
            {
                geometry = null;
                error = string.Concat(problems);
                return false;
            }
            error = null;
            return true;
        }
    }

    internal static bool TryParseDocument(string? text, [NotNullWhen(true)] out JsonDocument? document, [NotNullWhen(false)] out string? error)
    {
        document = null;
        var trimmed = (text ?? string.Empty).TrimStart('\uFEFF').Trim();
        if (trimmed.Length == 0)
        {
            error = "GeoJSON 格式无法解析：内容为空。";
            return false;
        }
        try
        {
            document = JsonDocument.Parse(trimmed, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line
                ? string.Create(CultureInfo.InvariantCulture, $"第 {line + 1} 行第 {(ex.BytePositionInLine ?? 0) + 1} 个字节附近")
                : "某处";
            error = $"GeoJSON 格式无法解析：{where}不是合法的 JSON（请检查括号、引号和逗号）。";
            return false;
        }
    }

    internal static string? TypeOf(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty("type", out var type)
        && type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : null;

    /// <summary>Reads a geometry object; adds zh-CN problems (each ending in "。") and returns null on failure.</summary>
    internal static Geometry? Read(JsonElement element, List<string> problems)
    {
        if (element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            problems.Add("缺少几何（geometry）。");
            return null;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add("几何（geometry）应为 JSON 对象。");
            return null;
        }
        var type = TypeOf(element);
        if (type is not ("Polygon" or "MultiPolygon"))
        {
            problems.Add(type is null
                ? "几何缺少类型（type）。"
                : $"几何类型为 {type}，只支持面（Polygon 或 MultiPolygon）。");
            return null;
        }
        if (!element.TryGetProperty("coordinates", out var coordinates) || coordinates.ValueKind != JsonValueKind.Array)
        {
            problems.Add("几何缺少坐标（coordinates）。");
            return null;
        }

        var state = new ReadState(problems);
        if (type == "Polygon")
        {
            return ReadPolygon(coordinates, string.Empty, state);
        }

        if (coordinates.GetArrayLength() == 0)
        {
            problems.Add("MultiPolygon 中没有任何面。");
            return null;
        }
        var polygons = new List<Polygon>();
        var failed = false;
        var index = 0;
        foreach (var polygonElement in coordinates.EnumerateArray())
        {
            index++;
            var polygon = ReadPolygon(polygonElement, string.Create(CultureInfo.InvariantCulture, $"第 {index} 个面的"), state);
            if (polygon is null)
            {
                failed = true;
            }
            else
            {
                polygons.Add(polygon);
            }
        }
        return failed ? null : GeometryFactories.Wgs84.CreateMultiPolygon([.. polygons]);
    }

    private sealed class ReadState(List<string> problems)
    {
        public List<string> Problems { get; } = problems;

        /// <summary>One out-of-range message per geometry is enough: usually every coordinate shares the cause.</summary>
        public bool RangeReported { get; set; }
    }

    private static Polygon? ReadPolygon(JsonElement element, string prefix, ReadState state)
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0)
        {
            state.Problems.Add($"{prefix}坐标为空，面至少需要一个外边界环。");
            return null;
        }
        var rings = new List<LinearRing>();
        var failed = false;
        var index = 0;
        foreach (var ringElement in element.EnumerateArray())
        {
            var label = index == 0
                ? $"{prefix}外边界"
                : string.Create(CultureInfo.InvariantCulture, $"{prefix}第 {index} 个内环（洞）");
            var ring = ReadRing(ringElement, label, state);
            if (ring is null)
            {
                failed = true;
            }
            else
            {
                rings.Add(ring);
            }
            index++;
        }
        return failed ? null : GeometryFactories.Wgs84.CreatePolygon(rings[0], [.. rings.Skip(1)]);
    }

    private static LinearRing? ReadRing(JsonElement element, string label, ReadState state)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            state.Problems.Add($"{label}应为坐标数组。");
            return null;
        }
        var coordinates = new List<Coordinate>(element.GetArrayLength());
        var position = 0;
        var outOfRange = false;
        foreach (var positionElement in element.EnumerateArray())
        {
            position++;
            if (!TryReadPosition(positionElement, out var x, out var y))
            {
                state.Problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{label}的第 {position} 个坐标格式不正确，应为 [经度, 纬度] 两个数字。"));
                return null;
            }
            if (!GridBoundaryRules.IsInWgs84Range(x, y))
            {
                outOfRange = true;
                if (!state.RangeReported)
                {
                    state.RangeReported = true;
                    state.Problems.Add(GridBoundaryRules.OutOfRangeMessage(x, y));
                }
            }
            coordinates.Add(new Coordinate(x, y));
        }
        if (outOfRange)
        {
            return null;
        }
        if (coordinates.Count < 4)
        {
            state.Problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"{label}只有 {coordinates.Count} 个坐标点，闭合的环至少需要 4 个（首尾为同一点）。"));
            return null;
        }
        var first = coordinates[0];
        var last = coordinates[^1];
        if (!first.Equals2D(last))
        {
            state.Problems.Add($"{label}未闭合：第一个坐标 {GridBoundaryRules.Format(first)} 与最后一个坐标 {GridBoundaryRules.Format(last)} 不同。");
            return null;
        }
        return GeometryFactories.Wgs84.CreateLinearRing([.. coordinates]);
    }

    private static bool TryReadPosition(JsonElement element, out double x, out double y)
    {
        x = y = 0;
        return element.ValueKind == JsonValueKind.Array
            && element.GetArrayLength() >= 2
            && element[0].ValueKind == JsonValueKind.Number
            && element[1].ValueKind == JsonValueKind.Number
            && element[0].TryGetDouble(out x) && double.IsFinite(x)
            && element[1].TryGetDouble(out y) && double.IsFinite(y);
    }
}

/// <summary>
/// The rules every grid boundary obeys, whoever submits it (GeoJSON import, the grid form, the API), so that
/// point-in-polygon routing has exactly one answer. Messages are zh-CN sentences ending in "。".
/// </summary>
public static class GridBoundaryRules
{
    /// <summary>Below this a "polygon" is a line or a point drawn as a polygon.</summary>
    public const double MinimumAreaSquareMeters = 1;

    /// <summary>
    /// Shape alone: a WGS84 Polygon or MultiPolygon, coordinates in range, topologically valid (OGC rules, via
    /// NetTopologySuite's <see cref="IsValidOp"/>), with an area. Also applies to community boundaries.
    /// </summary>
    public static IReadOnlyList<string> ValidateShape(Geometry boundary)
    {
        var problems = new List<string>();
        if (boundary is not (Polygon or MultiPolygon))
        {
            problems.Add($"几何类型为 {boundary.GeometryType}，只支持面（Polygon 或 MultiPolygon）。");
            return problems;
        }
        if (boundary.SRID is not (0 or GeometryFactories.Wgs84Srid))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"坐标系为 EPSG:{boundary.SRID}，应为 WGS84 经纬度（EPSG:4326）。"));
            return problems;
        }
        if (boundary.IsEmpty)
        {
            problems.Add("边界为空。");
            return problems;
        }
        foreach (var coordinate in boundary.Coordinates)
        {
            if (!IsInWgs84Range(coordinate.X, coordinate.Y))
            {
                problems.Add(OutOfRangeMessage(coordinate.X, coordinate.Y));
                return problems;
            }
        }
        var validity = new IsValidOp(boundary).ValidationError;
        if (validity is not null)
        {
            problems.Add(Describe(validity, boundary is MultiPolygon));
            return problems;
        }
        if (GeodesicArea.SquareMeters(boundary) < MinimumAreaSquareMeters)
        {
            problems.Add("面积为 0：所有坐标点几乎重合或位于同一直线上。");
        }
        return problems;
    }

    /// <summary>
    /// A grid boundary against its community's boundary (if known) and the other grids it must not overlap.
    /// Neighbour labels name them in the messages, e.g. "网格 110105001001002 “二网格”".
    /// </summary>
    public static IReadOnlyList<string> Validate(
        Geometry boundary,
        Geometry? communityBoundary,
        IEnumerable<(string Label, Geometry Boundary)> neighbours,
        string communityLabel = "所属社区",
        GridBoundaryTolerance? tolerance = null)
    {
        tolerance ??= GridBoundaryTolerance.Default;
        var problems = ValidateShape(boundary).ToList();
        if (problems.Count > 0)
        {
            return problems;
        }
        var area = GeodesicArea.SquareMeters(boundary);
        // A community's own broken boundary is not this grid's fault; it is reported where it is edited.
        if (communityBoundary is not null && communityBoundary.IsValid
            && OutsideProblem(boundary, area, communityBoundary, null, communityLabel, tolerance) is { } outside)
        {
            problems.Add(outside);
        }
        var prepared = PreparedGeometryFactory.Prepare(boundary);
        foreach (var (label, other) in neighbours)
        {
            if (OverlapProblem(prepared, area, other, GeodesicArea.SquareMeters(other), label, tolerance) is { } overlap)
            {
                problems.Add(overlap);
            }
        }
        return problems;
    }

    /// <summary>Null when <paramref name="grid"/> lies inside <paramref name="community"/> within the tolerance.</summary>
    internal static string? OutsideProblem(
        Geometry grid, double gridArea, Geometry community, IPreparedGeometry? preparedCommunity,
        string communityLabel, GridBoundaryTolerance tolerance)
    {
        if ((preparedCommunity ?? PreparedGeometryFactory.Prepare(community)).Covers(grid))
        {
            return null;
        }
        Geometry outside;
        try
        {
            outside = OverlayNGRobust.Overlay(grid, community, SpatialFunction.Difference);
        }
        catch (TopologyException)
        {
            return $"无法判断是否位于{communityLabel}边界内（几何拓扑计算失败），请检查两者的边界。";
        }
        var outsideArea = GeodesicArea.SquareMeters(outside);
        var allowed = tolerance.AllowedSquareMeters(gridArea);
        if (outsideArea <= allowed)
        {
            return null;
        }
        return $"有约 {Area(outsideArea)} 平方米位于{communityLabel}边界之外（位置 {Format(LargestPartPoint(outside))}），超过允许的 {Area(allowed)} 平方米。";
    }

    /// <summary>Null when the two areas touch or overlap within the tolerance.</summary>
    internal static string? OverlapProblem(
        IPreparedGeometry grid, double gridArea, Geometry other, double otherArea, string otherLabel,
        GridBoundaryTolerance tolerance)
    {
        if (!grid.Geometry.EnvelopeInternal.Intersects(other.EnvelopeInternal) || !grid.Intersects(other))
        {
            return null;
        }
        Geometry shared;
        try
        {
            shared = OverlayNGRobust.Overlay(grid.Geometry, other, SpatialFunction.Intersection);
        }
        catch (TopologyException)
        {
            return $"无法计算与{otherLabel}的重叠部分（几何拓扑计算失败），请检查两者的边界。";
        }
        var sharedArea = GeodesicArea.SquareMeters(shared);
        var allowed = tolerance.AllowedSquareMeters(Math.Min(gridArea, otherArea));
        if (sharedArea <= allowed)
        {
            return null;
        }
        return $"与{otherLabel}重叠约 {Area(sharedArea)} 平方米（位置 {Format(LargestPartPoint(shared))}），超过允许的 {Area(allowed)} 平方米。";
    }

    internal static bool IsInWgs84Range(double longitude, double latitude) =>
        longitude is >= -180 and <= 180 && latitude is >= -90 and <= 90;

    internal static string OutOfRangeMessage(double x, double y)
    {
        var hint = Math.Abs(x) > 1000 && Math.Abs(y) > 1000
            ? "看起来是以米为单位的投影坐标，请先转换为 WGS84 经纬度"
            : Math.Abs(x) <= 90 && Math.Abs(y) is > 90 and <= 180
                ? "经纬度可能写反了，GeoJSON 的坐标顺序是 [经度, 纬度]"
                : "GeoJSON 的坐标应为 WGS84 经纬度 [经度, 纬度]";
        return $"坐标 {Format(x, y)} 超出 WGS84 经纬度范围（经度 -180～180，纬度 -90～90）：{hint}。";
    }

    internal static string Describe(TopologyValidationError error, bool isMulti)
    {
        var what = error.ErrorType switch
        {
            TopologyValidationErrors.SelfIntersection when isMulti => "边界自相交，或多个面之间相互重叠",
            TopologyValidationErrors.SelfIntersection => "边界自相交",
            TopologyValidationErrors.RingSelfIntersection => "边界环自相交（环在某一点上与自身相接或打结）",
            TopologyValidationErrors.HoleOutsideShell => "内环（洞）不在外边界之内",
            TopologyValidationErrors.NestedHoles => "内环（洞）相互嵌套",
            TopologyValidationErrors.DisconnectedInteriors => "内环把面分割成了互不相连的几块",
            TopologyValidationErrors.NestedShells => "一个面位于另一个面之内（面相互嵌套）",
            TopologyValidationErrors.DuplicateRings => "存在重复的环",
            TopologyValidationErrors.TooFewPoints => "环中不同的坐标点太少（至少需要 3 个不重复的点）",
            TopologyValidationErrors.InvalidCoordinate => "坐标无效（不是有限的数字）",
            TopologyValidationErrors.RingNotClosed => "环未闭合（首尾坐标不同）",
            _ => $"几何无效（{error.Message}）",
        };
        return error.Coordinate is { } at && double.IsFinite(at.X) && double.IsFinite(at.Y)
            ? $"{what}（位置 {Format(at)}）。"
            : $"{what}。";
    }

    internal static string Format(Coordinate coordinate) => Format(coordinate.X, coordinate.Y);

    internal static string Format(double x, double y) =>
        string.Create(CultureInfo.InvariantCulture, $"{x:0.######}, {y:0.######}");

    private static string Area(double squareMeters) =>
        squareMeters.ToString(squareMeters < 10 ? "0.#" : "N0", CultureInfo.InvariantCulture);

    /// <summary>A point inside the largest polygonal part: where a person should look on the map.</summary>
    private static Coordinate LargestPartPoint(Geometry geometry)
    {
        Geometry? largest = null;
        for (var i = 0; i < geometry.NumGeometries; i++)
        {
            var part = geometry.GetGeometryN(i);
            if (part is Polygon && (largest is null || part.Area > largest.Area))
            {
                largest = part;
            }
        }
        return (largest ?? geometry).InteriorPoint.Coordinate ?? geometry.EnvelopeInternal.Centre;
    }
}

/// <summary>
/// Imports community and grid boundaries for one street from a GeoJSON FeatureCollection (WGS84). Upserts by
/// code; refuses the whole file, naming every offending feature, if anything is wrong; writes in one save.
/// Features not in the file are left as they are: an import never retires anything.
/// </summary>
public sealed partial class GeoJsonImporter(AppDbContext db, GridLocator locator)
{
    public const int MaxNameLength = 100;
    private const string FileKey = "geoJson";

    public GridBoundaryTolerance Tolerance { get; init; } = GridBoundaryTolerance.Default;

    public async Task<GeoJsonImportResult> ImportAsync(Caller caller, Guid streetId, string geoJson, CancellationToken ct)
    {
        caller.Demand(Permission.ManageOrganization);
        var street = await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == streetId, ct);
        if (street is null || street.Kind != OrgUnitKind.Street || street.IsRetired || !caller.CanSee(street.ScopePath))
        {
            throw new NotFoundException("街道");
        }

        var problems = new Problems();
        var features = ReadFeatures(geoJson, street, problems);
        if (features is null)
        {
            throw problems.ToException();
        }
        CheckDuplicateCodes(features, problems);

        var existing = await LoadExistingAsync(street, features, ct);
        var communities = ResolveCommunities(features, existing, problems);
        ResolveGrids(features, existing, communities, problems);
        CheckCommunityOverlaps(features, existing, problems);
        CheckExistingGridsStayInside(features, existing, problems);
        CheckGridsInsideCommunities(features, communities, problems);
        CheckGridOverlaps(features, existing, problems);
        if (!problems.IsEmpty)
        {
            throw problems.ToException();
        }

        var result = Apply(street, features, existing, communities);
        db.Audit(new AuditFact(AuditActions.GeographyImported, "Street", streetId.ToString(), new
        {
            communitiesCreated = result.CommunitiesCreated,
            communitiesUpdated = result.CommunitiesUpdated,
            gridsCreated = result.GridsCreated,
            gridsUpdated = result.GridsUpdated,
        }));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw ConflictException.StaleVersion("社区或网格");
        }
        locator.Invalidate();
        return result;
    }

    private enum FeatureKind
    {
        Community = 1,
        Grid = 2,
    }

    /// <summary>One feature as read from the file; its boundary is kept only if it passed every shape check.</summary>
    private sealed class Feature(int index)
    {
        public int Index { get; } = index;
        public FeatureKind? Kind { get; set; }
        public string? Code { get; set; }
        public string? Name { get; set; }
        public GridType? Type { get; set; }
        public string? CommunityCode { get; set; }
        public Geometry? Boundary { get; set; }
        public double Area { get; set; }

        /// <summary>A later feature repeating an earlier code: reported once, then left out of cross-feature checks.</summary>
        public bool IsDuplicate { get; set; }

        /// <summary>Geometry usable for topology checks against other features.</summary>
        public bool HasSoundBoundary => Boundary is not null && Area > 0 && !IsDuplicate;

        public string Key => string.Create(CultureInfo.InvariantCulture, $"features[{Index}]");

        /// <summary>"第 4 个要素（网格 110105001001003 “一网格”）" with whatever is known.</summary>
        public string Label
        {
            get
            {
                var kind = Kind switch
                {
                    FeatureKind.Community => "社区",
                    FeatureKind.Grid => "网格",
                    _ => null,
                };
                var parts = new List<string>(3);
                if (kind is not null)
                {
                    parts.Add(kind);
                }
                if (!string.IsNullOrEmpty(Code))
                {
                    parts.Add(Code);
                }
                if (!string.IsNullOrEmpty(Name))
                {
                    parts.Add($"“{Name}”");
                }
                var ordinal = string.Create(CultureInfo.InvariantCulture, $"第 {Index + 1} 个要素");
                return parts.Count == 0 ? ordinal : $"{ordinal}（{string.Join(' ', parts)}）";
            }
        }
    }

    private sealed class Problems
    {
        private readonly Dictionary<string, List<string>> _byKey = new(StringComparer.Ordinal);
        private readonly List<string> _order = [];

        public bool IsEmpty => _order.Count == 0;

        public void File(string message) => Add(FileKey, message);

        public void Feature(Feature feature, string message)
        {
            Add(feature.Key, $"{feature.Label}：{message}");
        }

        private void Add(string key, string message)
        {
            if (!_byKey.TryGetValue(key, out var list))
            {
                list = [];
                _byKey[key] = list;
                _order.Add(key);
            }
            list.Add(message);
        }

        public ValidationException ToException()
        {
            var count = _byKey.Values.Sum(v => v.Count);
            var ordered = _order
                .OrderBy(k => k == FileKey ? -1 : int.Parse(k.AsSpan(9, k.Length - 10), CultureInfo.InvariantCulture))
                .ToDictionary(k => k, k => _byKey[k].ToArray(), StringComparer.Ordinal);
            return new ValidationException(ordered, string.Create(CultureInfo.InvariantCulture,
                $"GeoJSON 中发现 {count} 处问题，未导入任何数据。请修改后重新导入。"));
        }
    }

    private sealed record Existing(
        Dictionary<string, OrgUnit> CommunitiesByCode,
        Dictionary<string, OrgUnit> OtherUnitsByCode,
        Dictionary<Guid, CommunityBoundary> BoundariesByCommunity,
        Dictionary<string, Grid> GridsByCode,
        Dictionary<string, Grid> OtherGridsByCode);

    // ---- reading ----

    private static List<Feature>? ReadFeatures(string geoJson, OrgUnit street, Problems problems)
    {
        if (!GeoJsonGeometry.TryParseDocument(geoJson, out var document, out var error))
        {
            problems.File(error);
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            var type = GeoJsonGeometry.TypeOf(root);
            if (type != "FeatureCollection")
            {
                problems.File(type is null
                    ? "GeoJSON 顶层应为要素集合（\"type\": \"FeatureCollection\"）。"
                    : $"GeoJSON 顶层应为要素集合（FeatureCollection），实际为 {type}。");
                return null;
            }
            if (CrsProblem(root) is { } crs)
            {
                problems.File(crs);
                return null;
            }
            if (!root.TryGetProperty("features", out var array) || array.ValueKind != JsonValueKind.Array)
            {
                problems.File("要素集合缺少要素数组（features）。");
                return null;
            }
            if (array.GetArrayLength() == 0)
            {
                problems.File("GeoJSON 中没有任何要素。");
                return null;
            }
            var features = new List<Feature>(array.GetArrayLength());
            var index = 0;
            foreach (var element in array.EnumerateArray())
            {
                features.Add(ReadFeature(index++, element, street, problems));
            }
            return features;
        }
    }

    /// <summary>RFC 7946 dropped "crs"; old exporters still write it, and a projected one must not pass silently.</summary>
    private static string? CrsProblem(JsonElement root)
    {
        if (!root.TryGetProperty("crs", out var crs) || crs.ValueKind != JsonValueKind.Object
            || !crs.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object
            || !properties.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        var name = nameElement.GetString() ?? string.Empty;
        // CGCS2000 (EPSG:4490) differs from WGS84 by centimetres: harmless at grid scale.
        string[] accepted = ["CRS84", "EPSG::4326", "EPSG:4326", "EPSG::4490", "EPSG:4490"];
        return accepted.Any(a => name.EndsWith(a, StringComparison.OrdinalIgnoreCase))
            ? null
            : $"坐标参考系为 {name}，应为 WGS84 经纬度（EPSG:4326），请先转换坐标。";
    }

    private static Feature ReadFeature(int index, JsonElement element, OrgUnit street, Problems problems)
    {
        var feature = new Feature(index);
        if (element.ValueKind != JsonValueKind.Object || GeoJsonGeometry.TypeOf(element) != "Feature")
        {
            problems.Feature(feature, "不是 GeoJSON 要素（应为 \"type\": \"Feature\" 的对象）。");
            return feature;
        }

        if (!element.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            problems.Feature(feature, "缺少属性（properties），无法确定是社区还是网格。");
        }
        else
        {
            ReadProperties(feature, properties, street, problems);
        }

        var geometryProblems = new List<string>();
        var boundary = GeoJsonGeometry.Read(element.TryGetProperty("geometry", out var geometry) ? geometry : default, geometryProblems);
        if (boundary is not null)
        {
            geometryProblems.AddRange(GridBoundaryRules.ValidateShape(boundary));
        }
        foreach (var message in geometryProblems)
        {
            problems.Feature(feature, message);
        }
        if (boundary is not null && geometryProblems.Count == 0)
        {
            feature.Boundary = boundary;
            feature.Area = GeodesicArea.SquareMeters(boundary);
        }
        return feature;
    }

    private static void ReadProperties(Feature feature, JsonElement properties, OrgUnit street, Problems problems)
    {
        // Read code and name before reporting anything, so that every message can name the feature.
        var kindText = Text(properties, "kind");
        feature.Kind = kindText?.ToUpperInvariant() switch
        {
            "COMMUNITY" or "社区" => FeatureKind.Community,
            "GRID" or "网格" => FeatureKind.Grid,
            _ => null,
        };
        feature.Code = Text(properties, "code");
        feature.Name = Text(properties, "name");

        if (feature.Kind is null)
        {
            problems.Feature(feature, kindText is null
                ? "缺少类别属性 kind，应为 \"community\"（社区）或 \"grid\"（网格）。"
                : $"类别属性 kind 为 “{kindText}”，应为 \"community\"（社区）或 \"grid\"（网格）。");
        }

        if (feature.Name is null)
        {
            problems.Feature(feature, "缺少名称属性 name。");
        }
        else if (feature.Name.Length > MaxNameLength)
        {
            problems.Feature(feature, string.Create(CultureInfo.InvariantCulture,
                $"名称不能超过 {MaxNameLength} 个字符（当前 {feature.Name.Length} 个）。"));
        }

        if (feature.Code is null)
        {
            problems.Feature(feature, "缺少编码属性 code。");
        }
        else if (feature.Kind == FeatureKind.Community)
        {
            if (!CommunityCodePattern().IsMatch(feature.Code))
            {
                problems.Feature(feature, $"社区编码应为 12 位数字，实际为 “{feature.Code}”。");
            }
            else if (street.Code.Length == 9 && StreetCodePattern().IsMatch(street.Code)
                     && !feature.Code.StartsWith(street.Code, StringComparison.Ordinal))
            {
                problems.Feature(feature, $"社区编码应以本街道的编码 {street.Code} 开头。");
            }
        }
        else if (feature.Kind == FeatureKind.Grid)
        {
            if (!GridCodePattern().IsMatch(feature.Code))
            {
                problems.Feature(feature, $"网格编码应为 15 位数字（12 位社区编码 + 3 位序号），实际为 “{feature.Code}”。");
            }
            else
            {
                var prefix = feature.Code[..12];
                var communityCode = Text(properties, "communityCode");
                if (communityCode is not null && communityCode != prefix)
                {
                    problems.Feature(feature, $"所属社区编码 communityCode 为 “{communityCode}”，与网格编码的前 12 位 {prefix} 不一致。");
                }
                feature.CommunityCode = prefix;
            }
        }

        if (feature.Kind == FeatureKind.Grid && Text(properties, "type") is { } typeText)
        {
            feature.Type = ParseGridType(typeText);
            if (feature.Type is null)
            {
                problems.Feature(feature, $"网格类型 type 为 “{typeText}”，应为 Residential（居民区网格）、Commercial（商务楼宇网格）、Industrial（园区网格）、Campus（校园医院专属网格）或 Mixed（混合网格）。");
            }
        }
    }

    /// <summary>Trimmed string or integer property; null when absent or blank. Codes often arrive as numbers.</summary>
    private static string? Text(JsonElement properties, string name)
    {
        if (!properties.TryGetProperty(name, out var value))
        {
            return null;
        }
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => null,
        };
        text = text?.Trim();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    private static GridType? ParseGridType(string text)
    {
        foreach (var type in Enum.GetValues<GridType>())
        {
            if (string.Equals(type.ToString(), text, StringComparison.OrdinalIgnoreCase)
                || string.Equals(Grid.GridTypeName(type), text, StringComparison.Ordinal))
            {
                return type;
            }
        }
        return null;
    }

    private static void CheckDuplicateCodes(List<Feature> features, Problems problems)
    {
        var firstByCode = new Dictionary<string, Feature>(StringComparer.Ordinal);
        foreach (var feature in features.Where(f => f.Code is not null && f.Kind is not null))
        {
            if (firstByCode.TryGetValue(feature.Code!, out var first))
            {
                problems.Feature(feature, $"编码 {feature.Code} 与{first.Label}重复。");
                feature.IsDuplicate = true;
            }
            else
            {
                firstByCode[feature.Code!] = feature;
            }
        }
    }

    // ---- what the database already holds ----

    private async Task<Existing> LoadExistingAsync(OrgUnit street, List<Feature> features, CancellationToken ct)
    {
        var communityCodes = features
            .Select(f => f.Kind == FeatureKind.Community ? f.Code : f.CommunityCode)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var gridCodes = features
            .Where(f => f.Kind == FeatureKind.Grid)
            .Select(f => f.Code)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();

        // Tracked: the ones the file names are updated in place.
        var streetCommunities = await db.OrgUnits
            .Where(o => o.ParentId == street.Id && o.Kind == OrgUnitKind.Community)
            .ToListAsync(ct);
        var communityIds = streetCommunities.Select(c => c.Id).ToList();
        var otherUnits = await db.OrgUnits.AsNoTracking()
            .Where(o => communityCodes.Contains(o.Code) && !communityIds.Contains(o.Id))
            .ToListAsync(ct);
        var boundaries = await db.Set<CommunityBoundary>()
            .Where(b => communityIds.Contains(b.CommunityId))
            .ToListAsync(ct);
        var streetGrids = await db.Grids
            .Where(g => communityIds.Contains(g.CommunityId))
            .ToListAsync(ct);
        var otherGrids = await db.Grids.AsNoTracking()
            .Where(g => gridCodes.Contains(g.Code) && !communityIds.Contains(g.CommunityId))
            .ToListAsync(ct);

        return new Existing(
            streetCommunities.ToDictionary(c => c.Code, StringComparer.Ordinal),
            otherUnits.ToDictionary(o => o.Code, StringComparer.Ordinal),
            boundaries.ToDictionary(b => b.CommunityId),
            streetGrids.ToDictionary(g => g.Code, StringComparer.Ordinal),
            otherGrids.ToDictionary(g => g.Code, StringComparer.Ordinal));
    }

    /// <summary>Where each community code points: a feature of the file, a row of this street, or nowhere.</summary>
    private sealed record CommunityRef(string Code, string Label, Feature? Feature, OrgUnit? Unit, Geometry? Boundary);

    private static Dictionary<string, CommunityRef> ResolveCommunities(List<Feature> features, Existing existing, Problems problems)
    {
        var result = new Dictionary<string, CommunityRef>(StringComparer.Ordinal);
        foreach (var feature in features.Where(f => f.Kind == FeatureKind.Community && f.Code is not null))
        {
            var code = feature.Code!;
            if (existing.OtherUnitsByCode.TryGetValue(code, out var other))
            {
                problems.Feature(feature, other.Kind == OrgUnitKind.Community
                    ? $"社区编码 {code} 已被其他街道的社区使用。"
                    : $"编码 {code} 已被其他机构使用。");
                continue;
            }
            existing.CommunitiesByCode.TryGetValue(code, out var unit);
            // The first feature with a code wins; duplicates were reported already.
            result.TryAdd(code, new CommunityRef(code, feature.Label, feature, unit, feature.Boundary));
        }
        foreach (var (code, unit) in existing.CommunitiesByCode)
        {
            if (!result.ContainsKey(code))
            {
                existing.BoundariesByCommunity.TryGetValue(unit.Id, out var boundary);
                result[code] = new CommunityRef(code, $"社区 {code} “{unit.Name}”", null, unit, boundary?.Boundary);
            }
        }
        return result;
    }

    private static void ResolveGrids(List<Feature> features, Existing existing, Dictionary<string, CommunityRef> communities, Problems problems)
    {
        foreach (var grid in features.Where(f => f.Kind == FeatureKind.Grid && f.Code is not null && f.CommunityCode is not null && !f.IsDuplicate))
        {
            if (existing.OtherGridsByCode.ContainsKey(grid.Code!))
            {
                problems.Feature(grid, $"网格编码 {grid.Code} 已被其他街道的网格使用。");
                continue;
            }
            if (!communities.TryGetValue(grid.CommunityCode!, out var community))
            {
                problems.Feature(grid, existing.OtherUnitsByCode.ContainsKey(grid.CommunityCode!)
                    ? $"所属社区 {grid.CommunityCode} 不是本街道的社区。"
                    : $"所属社区 {grid.CommunityCode} 既不在本文件中，也不是本街道已有的社区。");
                continue;
            }
            if (community.Feature is null && community.Unit is { IsRetired: true })
            {
                problems.Feature(grid, $"所属{community.Label}已停用。");
                continue;
            }
            if (existing.GridsByCode.TryGetValue(grid.Code!, out var row) && row.CommunityId != community.Unit?.Id)
            {
                problems.Feature(grid, $"网格 {grid.Code} 已属于其他社区，网格不能通过导入改属{community.Label}。");
            }
        }
    }

    // ---- topology across features ----

    private void CheckCommunityOverlaps(List<Feature> features, Existing existing, Problems problems)
    {
        var fileCommunities = features
            .Where(f => f.Kind == FeatureKind.Community && f.HasSoundBoundary && f.Code is not null)
            .ToList();
        var replaced = fileCommunities.Select(f => f.Code!).ToHashSet(StringComparer.Ordinal);
        var kept = existing.CommunitiesByCode.Values
            .Where(c => !c.IsRetired && !replaced.Contains(c.Code) && existing.BoundariesByCommunity.ContainsKey(c.Id))
            .Select(c => new Shape($"已有社区 {c.Code} “{c.Name}”", existing.BoundariesByCommunity[c.Id].Boundary, null));
        CheckOverlaps(fileCommunities, kept, problems);
    }

    /// <summary>Replacing a community's boundary must not strand the grids of it that the file leaves alone.</summary>
    private void CheckExistingGridsStayInside(List<Feature> features, Existing existing, Problems problems)
    {
        var replacedGrids = features.Where(f => f.Kind == FeatureKind.Grid && f.Code is not null).Select(f => f.Code!).ToHashSet(StringComparer.Ordinal);
        foreach (var community in features.Where(f => f.Kind == FeatureKind.Community && f.HasSoundBoundary && f.Code is not null))
        {
            if (!existing.CommunitiesByCode.TryGetValue(community.Code!, out var unit))
            {
                continue;
            }
            var prepared = PreparedGeometryFactory.Prepare(community.Boundary!);
            foreach (var grid in existing.GridsByCode.Values.Where(g => g.CommunityId == unit.Id && !g.IsRetired && !replacedGrids.Contains(g.Code)))
            {
                if (GridBoundaryRules.OutsideProblem(grid.Boundary, GeodesicArea.SquareMeters(grid.Boundary), community.Boundary!, prepared, "新的社区", Tolerance) is { } outside)
                {
                    problems.Feature(community, $"本社区已有的网格 {grid.Code} “{grid.Name}”（未包含在本文件中）{outside}");
                }
            }
        }
    }

    private void CheckGridsInsideCommunities(List<Feature> features, Dictionary<string, CommunityRef> communities, Problems problems)
    {
        var prepared = new Dictionary<string, IPreparedGeometry>(StringComparer.Ordinal);
        foreach (var grid in features.Where(f => f.Kind == FeatureKind.Grid && f.HasSoundBoundary && f.CommunityCode is not null))
        {
            if (!communities.TryGetValue(grid.CommunityCode!, out var community) || community.Boundary is null)
            {
                continue;
            }
            if (!prepared.TryGetValue(community.Code, out var preparedCommunity))
            {
                preparedCommunity = PreparedGeometryFactory.Prepare(community.Boundary);
                prepared[community.Code] = preparedCommunity;
            }
            if (GridBoundaryRules.OutsideProblem(grid.Boundary!, grid.Area, community.Boundary, preparedCommunity, community.Label, Tolerance) is { } outside)
            {
                problems.Feature(grid, outside);
            }
        }
    }

    private void CheckGridOverlaps(List<Feature> features, Existing existing, Problems problems)
    {
        var fileGrids = features.Where(f => f.Kind == FeatureKind.Grid && f.HasSoundBoundary && f.Code is not null).ToList();
        var replaced = features.Where(f => f.Kind == FeatureKind.Grid && f.Code is not null).Select(f => f.Code!).ToHashSet(StringComparer.Ordinal);
        var kept = existing.GridsByCode.Values
            .Where(g => !g.IsRetired && !replaced.Contains(g.Code))
            .Select(g => new Shape($"已有网格 {g.Code} “{g.Name}”", g.Boundary, null));
        CheckOverlaps(fileGrids, kept, problems);
    }

    private sealed record Shape(string Label, Geometry Boundary, Feature? Feature);

    /// <summary>Pairs whose envelopes meet, found with an STRtree; each file pair is reported once, on the later feature.</summary>
    private void CheckOverlaps(List<Feature> fileShapes, IEnumerable<Shape> keptShapes, Problems problems)
    {
        var tree = new STRtree<Shape>();
        foreach (var shape in fileShapes.Select(f => new Shape(f.Label, f.Boundary!, f)).Concat(keptShapes))
        {
            tree.Insert(shape.Boundary.EnvelopeInternal, shape);
        }
        tree.Build();
        foreach (var feature in fileShapes)
        {
            var prepared = PreparedGeometryFactory.Prepare(feature.Boundary!);
            var candidates = tree.Query(feature.Boundary!.EnvelopeInternal)
                .Where(c => c.Feature is null || c.Feature.Index < feature.Index)
                .OrderBy(c => c.Feature?.Index ?? int.MaxValue);
            foreach (var other in candidates)
            {
                var otherArea = other.Feature?.Area ?? GeodesicArea.SquareMeters(other.Boundary);
                if (GridBoundaryRules.OverlapProblem(prepared, feature.Area, other.Boundary, otherArea, other.Label, Tolerance) is { } overlap)
                {
                    problems.Feature(feature, overlap);
                }
            }
        }
    }

    // ---- writing ----

    private GeoJsonImportResult Apply(OrgUnit street, List<Feature> features, Existing existing, Dictionary<string, CommunityRef> communities)
    {
        int communitiesCreated = 0, communitiesUpdated = 0, gridsCreated = 0, gridsUpdated = 0;
        var units = new Dictionary<string, OrgUnit>(StringComparer.Ordinal);
        foreach (var (code, community) in communities)
        {
            if (community.Unit is not null)
            {
                units[code] = community.Unit;
            }
        }

        foreach (var feature in features.Where(f => f.Kind == FeatureKind.Community))
        {
            var code = feature.Code!;
            if (existing.CommunitiesByCode.TryGetValue(code, out var unit))
            {
                unit.Name = feature.Name!;
                Revive(unit);
                communitiesUpdated++;
            }
            else
            {
                unit = new OrgUnit { Kind = OrgUnitKind.Community, Name = feature.Name!, Code = code, ParentId = street.Id };
                unit.PlaceUnder(street);
                db.OrgUnits.Add(unit);
                units[code] = unit;
                communitiesCreated++;
            }

            if (existing.BoundariesByCommunity.TryGetValue(unit.Id, out var boundary))
            {
                boundary.Boundary = feature.Boundary!;
                boundary.AreaSquareMeters = feature.Area;
            }
            else
            {
                db.Set<CommunityBoundary>().Add(new CommunityBoundary
                {
                    CommunityId = unit.Id,
                    Boundary = feature.Boundary!,
                    AreaSquareMeters = feature.Area,
                });
            }
        }

        foreach (var feature in features.Where(f => f.Kind == FeatureKind.Grid))
        {
            if (existing.GridsByCode.TryGetValue(feature.Code!, out var grid))
            {
                grid.Name = feature.Name!;
                grid.Boundary = feature.Boundary!;
                grid.AreaSquareMeters = feature.Area;
                if (feature.Type is { } type)
                {
                    grid.Type = type;
                }
                Revive(grid);
                gridsUpdated++;
            }
            else
            {
                var community = units[feature.CommunityCode!];
                grid = new Grid
                {
                    CommunityId = community.Id,
                    Code = feature.Code!,
                    Name = feature.Name!,
                    Type = feature.Type ?? GridType.Residential,
                    Boundary = feature.Boundary!,
                    AreaSquareMeters = feature.Area,
                };
                grid.PlaceUnder(community);
                db.Grids.Add(grid);
                gridsCreated++;
            }
        }
        return new GeoJsonImportResult(communitiesCreated, communitiesUpdated, gridsCreated, gridsUpdated);
    }

    /// <summary>A file that names a retired community or grid says it exists again; its code cannot be reused otherwise.</summary>
    private static void Revive(EditableEntity entity)
    {
        if (entity.IsRetired)
        {
            entity.IsRetired = false;
            entity.RetiredAt = null;
        }
    }

    [GeneratedRegex("^[0-9]{9}$")]
    private static partial Regex StreetCodePattern();

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex CommunityCodePattern();

    [GeneratedRegex("^[0-9]{15}$")]
    private static partial Regex GridCodePattern();
}
