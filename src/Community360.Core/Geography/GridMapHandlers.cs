using System.Text.Json;
using System.Text.Json.Serialization;
using Community360.Auditing;
using Community360.Cases;
using Community360.Common;
using Community360.Data;
using Community360.Identity;
using Community360.Organization;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace Community360.Geography;

/// <summary>
/// The grid map: community and grid shapes coloured by the caller's open and overdue cases, one grid's card,
/// and case pins. Counts follow the case list's rules so the map and the list never disagree.
/// </summary>
public sealed class GridMapHandlers(AppDbContext db, CaseHandlers cases)
{
    public const int MaxPins = 5000;
    public const int CardCaseLimit = 20;

    private static readonly TimeSpan DueSoonWithin = TimeSpan.FromHours(4);

    private static readonly JsonSerializerOptions FeatureJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public async Task<MapAreasDto> AreasAsync(Caller caller, CancellationToken ct)
    {
        var now = Now();
        var grids = await db.Grids.AsNoTracking().InScopeOf(caller).Where(g => !g.IsRetired)
            .OrderBy(g => g.Code)
            .Select(g => new { g.Id, g.Code, g.Name, g.Type, g.CommunityId, CommunityName = g.Community!.Name, g.Boundary, g.AreaSquareMeters })
            .ToListAsync(ct);
        var communities = await db.OrgUnits.AsNoTracking().InScopeOf(caller)
            .Where(o => o.Kind == OrgUnitKind.Community && !o.IsRetired)
            .OrderBy(o => o.Code)
            .Select(o => new { o.Id, o.Code, o.Name })
            .ToListAsync(ct);
        var communityIds = communities.ConvertAll(c => c.Id);
        var outlines = await db.CommunityBoundaries.AsNoTracking()
            .Where(b => communityIds.Contains(b.CommunityId))
            .ToDictionaryAsync(b => b.CommunityId, ct);

        var counts = await OpenCases(caller)
            .Where(c => c.GridId != null || c.CommunityId != null)
            .GroupBy(c => new { c.CommunityId, c.GridId })
            .Select(g => new
            {
                g.Key.CommunityId,
                g.Key.GridId,
                Open = g.Count(),
                Overdue = g.Count(c => c.CompletedAt == null && c.CompletionDueAt < now),
            })
            .ToListAsync(ct);
        var byGrid = counts.Where(c => c.GridId is not null).GroupBy(c => c.GridId!.Value)
            .ToDictionary(g => g.Key, g => (Open: g.Sum(x => x.Open), Overdue: g.Sum(x => x.Overdue)));
        var byCommunity = counts.Where(c => c.CommunityId is not null).GroupBy(c => c.CommunityId!.Value)
            .ToDictionary(g => g.Key, g => (Open: g.Sum(x => x.Open), Overdue: g.Sum(x => x.Overdue)));

        var shapes = new List<(MapAreaDto Area, Geometry Outline)>();
        foreach (var community in communities)
        {
            Geometry? outline;
            double area;
            var derived = !outlines.TryGetValue(community.Id, out var stored);
            if (stored is not null)
            {
                (outline, area) = (stored.Boundary, stored.AreaSquareMeters);
            }
            else
            {
                outline = Union(grids.Where(g => g.CommunityId == community.Id).Select(g => g.Boundary).ToList());
                area = GeodesicArea.SquareMeters(outline);
            }
            if (outline is null)
            {
                // Neither a boundary of its own nor a grid yet: nothing to draw.
                continue;
            }
            var (open, overdue) = byCommunity.GetValueOrDefault(community.Id);
            shapes.Add((Area(community.Id, MapAreaKind.Community, community.Code, community.Name, null, null, null, open, overdue, area, derived), outline));
        }
        foreach (var grid in grids)
        {
            var (open, overdue) = byGrid.GetValueOrDefault(grid.Id);
            shapes.Add((Area(grid.Id, MapAreaKind.Grid, grid.Code, grid.Name, grid.CommunityId, grid.CommunityName, grid.Type, open, overdue,
                grid.AreaSquareMeters, derived: false), grid.Boundary));
        }

        var features = shapes.Select(s => new GeoJsonFeature(s.Area.Id, GeoJsonSerialization.ToElement(s.Outline), s.Area)).ToList();
        var collection = JsonSerializer.SerializeToElement(new GeoJsonFeatureCollection(features), FeatureJson);
        return new MapAreasDto(shapes.ConvertAll(s => s.Area), collection, Bounds(shapes.Select(s => s.Outline)), now);
    }

    public async Task<GridCardDto> GridCardAsync(Caller caller, Guid gridId, CancellationToken ct)
    {
        var grid = await db.Grids.AsNoTracking().Include(g => g.Community).FindInScopeAsync(caller, gridId, "网格", ct);
        var now = Now();
        var compounds = await db.Compounds.CountAsync(c => c.GridId == gridId && !c.IsRetired, ct);
        var open = OpenCases(caller).Where(c => c.GridId == gridId);
        var totals = await open
            .GroupBy(c => c.GridId)
            .Select(g => new { Open = g.Count(), Overdue = g.Count(c => c.CompletedAt == null && c.CompletionDueAt < now) })
            .FirstOrDefaultAsync(ct);
        var rows = await open
            // Most overdue first: the earliest completion deadline; cases not yet given one come last.
            .OrderBy(c => c.CompletionDueAt == null).ThenBy(c => c.CompletionDueAt).ThenBy(c => c.ReceivedAt).ThenBy(c => c.Id)
            .Take(CardCaseLimit)
            .Select(c => new
            {
                c.Id, c.Number, c.Type, c.Channel, c.Urgency, c.Title, c.State, c.HandlingUnitName, c.ReceivedAt,
                c.ResponseDueAt, c.CompletionDueAt, c.CompletedAt, c.RepeatClusterId, c.NeedsManualRouting, c.IsConfidential, c.ComplainantName,
                CategoryName = db.CaseCategories.Where(k => k.Id == c.CategoryId).Select(k => k.Name).FirstOrDefault(),
            })
            .ToListAsync(ct);
        var seesAll = SeesConfidential(caller);
        var dueSoonBy = now + DueSoonWithin;
        var items = rows.ConvertAll(r =>
        {
            var notCompleted = r.CompletedAt is null;
            return new CaseSummaryDto(r.Id, r.Number, r.Type, CaseNames.Of(r.Type), r.Channel, CaseNames.Of(r.Channel),
                r.CategoryName ?? "—", r.Urgency, CaseNames.Of(r.Urgency), Title(r.Title, r.IsConfidential && !seesAll, r.ComplainantName),
                r.State, CaseNames.Of(r.State), grid.Community!.Name, grid.Name, r.HandlingUnitName, r.ReceivedAt, r.ResponseDueAt, r.CompletionDueAt,
                notCompleted && r.CompletionDueAt < now, notCompleted && r.CompletionDueAt >= now && r.CompletionDueAt < dueSoonBy,
                r.RepeatClusterId is not null, r.NeedsManualRouting);
        });
        var people = grid.Responsibilities
            .OrderBy(r => r.WorkLine)
            .Select(r => new GridPersonInChargeDto(r.WorkLine, WorkLines.DisplayName(r.WorkLine), r.PersonName, Masking.Phone(r.PersonPhone)))
            .ToList();
        return new GridCardDto(grid.Id, grid.Code, grid.Name, grid.Type, Grid.GridTypeName(grid.Type), grid.CommunityId, grid.Community!.Name,
            SquareKilometers(grid.AreaSquareMeters), people, compounds, totals?.Open ?? 0, totals?.Overdue ?? 0, items);
    }

    public async Task<CasePinsDto> CasePinsAsync(Caller caller, CasePinQuery query, CancellationToken ct)
    {
        var limit = Math.Clamp(query.Limit ?? MaxPins, 1, MaxPins);
        var now = Now();
        var pins = OpenCases(caller).Where(c => c.Longitude != null && c.Latitude != null);
        if (query.OverdueOnly)
        {
            pins = pins.Where(c => c.CompletedAt == null && c.CompletionDueAt < now);
        }
        if (query.CommunityId is { } communityId)
        {
            pins = pins.Where(c => c.CommunityId == communityId);
        }
        var rows = await pins
            .OrderBy(c => c.CompletedAt == null && c.CompletionDueAt < now ? 0 : 1).ThenByDescending(c => c.ReceivedAt).ThenByDescending(c => c.Id)
            .Take(limit + 1)
            .Select(c => new
            {
                c.Id, c.Number, c.Title, c.State, c.GridId, c.Longitude, c.Latitude, c.CompletedAt, c.CompletionDueAt, c.IsConfidential, c.ComplainantName,
            })
            .ToListAsync(ct);
        var seesAll = SeesConfidential(caller);
        var dueSoonBy = now + DueSoonWithin;
        var items = rows.Take(limit).Select(r =>
        {
            var notCompleted = r.CompletedAt is null;
            return new CasePinDto(r.Id, r.Number, Title(r.Title, r.IsConfidential && !seesAll, r.ComplainantName), r.State, CaseNames.Of(r.State),
                r.GridId, r.Longitude!.Value, r.Latitude!.Value,
                notCompleted && r.CompletionDueAt < now, notCompleted && r.CompletionDueAt >= now && r.CompletionDueAt < dueSoonBy);
        }).ToList();
        return new CasePinsDto(items, rows.Count > limit, limit);
    }

    private IQueryable<Case> OpenCases(Caller caller) =>
        cases.VisibleCases(caller).AsNoTracking().Where(c => c.State != CaseState.Closed && c.State != CaseState.Voided);

    private static MapAreaDto Area(Guid id, MapAreaKind kind, string code, string name, Guid? communityId, string? communityName, GridType? type,
        int open, int overdue, double squareMeters, bool derived)
    {
        var squareKilometers = SquareKilometers(squareMeters);
        double? density = squareMeters > 0 ? Math.Round(open / (squareMeters / 1_000_000), 2) : null;
        return new MapAreaDto(id, kind, code, name, communityId, communityName, type, type is { } t ? Grid.GridTypeName(t) : null,
            open, overdue, squareKilometers, density, derived);
    }

    private static double SquareKilometers(double squareMeters) => Math.Round(squareMeters / 1_000_000, 4);

    /// <summary>A community without a stored boundary is drawn as the union of its grids.</summary>
    private static Geometry? Union(List<Geometry> parts)
    {
        if (parts.Count == 0)
        {
            return null;
        }
        try
        {
            return UnaryUnionOp.Union(parts);
        }
        catch (TopologyException)
        {
            // Grids that touch imprecisely can defeat the overlay; drawing them side by side still shows the community.
            return GeometryFactories.Wgs84.BuildGeometry(parts);
        }
    }

    private static MapBounds? Bounds(IEnumerable<Geometry> outlines)
    {
        var envelope = new Envelope();
        foreach (var outline in outlines)
        {
            envelope.ExpandToInclude(outline.EnvelopeInternal);
        }
        return envelope.IsNull ? null : new MapBounds(envelope.MinX, envelope.MinY, envelope.MaxX, envelope.MaxY);
    }

    private static bool SeesConfidential(Caller caller) => CasePolicy.IsDispatchOffice(caller) || caller.IsInRole(Roles.StreetLeader);

    /// <summary>As the case detail and list do: a confidential case's title may name the complainant.</summary>
    private static string Title(string title, bool conceal, string? complainantName) =>
        conceal ? CaseHandlers.Conceal(title, complainantName) ?? title : title;

    private DateTime Now() => AuditChain.Truncate(db.Clock.GetUtcNow().UtcDateTime);

    private sealed record GeoJsonFeature(Guid Id, JsonElement Geometry, MapAreaDto Properties)
    {
        [JsonPropertyOrder(-1)]
        public string Type { get; } = "Feature";
    }

    private sealed record GeoJsonFeatureCollection(IReadOnlyList<GeoJsonFeature> Features)
    {
        [JsonPropertyOrder(-1)]
        public string Type { get; } = "FeatureCollection";
    }
}
