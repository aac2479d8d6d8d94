using System.Text.Json;
using Community360.Cases;
using Community360.Organization;

namespace Community360.Geography;

public enum MapAreaKind
{
    Community = 1,
    Grid = 2,
}

/// <summary>
/// One shape on the grid map and what colours it. Open = not closed or voided; overdue = open, not completed and
/// past the completion deadline: the same rules as the case list's <c>overdue</c> filter, over the cases the caller sees.
/// </summary>
public sealed record MapAreaDto(
    Guid Id,
    MapAreaKind Kind,
    string Code,
    string Name,
    Guid? CommunityId,
    string? CommunityName,
    GridType? GridType,
    string? GridTypeName,
    int OpenCases,
    int OverdueCases,
    double AreaSquareKilometers,
    double? OpenCasesPerSquareKilometer,
    bool OutlineDerived);

/// <summary>WGS84 degrees; Leaflet's fitBounds takes [[South, West], [North, East]].</summary>
public sealed record MapBounds(double West, double South, double East, double North);

/// <summary>
/// <see cref="FeatureCollection"/> is a GeoJSON FeatureCollection of the same areas: each feature's id is the area id
/// and its properties are the <see cref="MapAreaDto"/> fields in camelCase (enums as names).
/// </summary>
public sealed record MapAreasDto(IReadOnlyList<MapAreaDto> Areas, JsonElement FeatureCollection, MapBounds? Bounds, DateTime AsOf);

public sealed record GridPersonInChargeDto(WorkLine WorkLine, string WorkLineName, string PersonName, string? PersonPhone);

public sealed record GridCardDto(
    Guid Id,
    string Code,
    string Name,
    GridType Type,
    string TypeName,
    Guid CommunityId,
    string CommunityName,
    double AreaSquareKilometers,
    IReadOnlyList<GridPersonInChargeDto> PeopleInCharge,
    int CompoundCount,
    int OpenCases,
    int OverdueCases,
    IReadOnlyList<CaseSummaryDto> Cases);

public sealed record CasePinQuery(bool OverdueOnly = false, Guid? CommunityId = null, int? Limit = null);

public sealed record CasePinDto(
    Guid Id,
    string Number,
    string Title,
    CaseState State,
    string StateName,
    Guid? GridId,
    double Longitude,
    double Latitude,
    bool IsOverdue,
    bool IsDueSoon);

/// <summary><see cref="Truncated"/>: more pins matched than <see cref="Limit"/>; overdue pins are kept first.</summary>
public sealed record CasePinsDto(IReadOnlyList<CasePinDto> Pins, bool Truncated, int Limit);
