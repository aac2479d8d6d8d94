using System.Text.Json;
using Community360.Organization;

namespace Community360.Geography;

public sealed record GridQuery(
    Guid? CommunityId = null,
    GridType? Type = null,
    string? Search = null,
    bool IncludeRetired = false,
    int? Page = null,
    int? PageSize = null);

public sealed record GridResponsibilityInput(WorkLine? WorkLine, string? PersonName, string? PersonPhone, Guid? UserId);

/// <summary><see cref="Boundary"/> is a GeoJSON Polygon or MultiPolygon (or a Feature holding one), WGS84.</summary>
public sealed record GridInput(
    Guid? CommunityId,
    string? Code,
    string? Name,
    GridType? Type,
    JsonElement? Boundary,
    IReadOnlyList<GridResponsibilityInput>? Responsibilities,
    Guid? Version);

public sealed record GridResponsibilityDto(WorkLine WorkLine, string WorkLineName, string PersonName, string? PersonPhone, Guid? UserId);

public sealed record GridSummaryDto(
    Guid Id, Guid CommunityId, string CommunityName, string Code, string Name, GridType Type, string TypeName,
    double AreaSquareMeters, bool IsRetired, Guid Version);

public sealed record GridDto(
    Guid Id, Guid CommunityId, string CommunityName, string Code, string Name, GridType Type, string TypeName,
    double AreaSquareMeters, JsonElement Boundary, IReadOnlyList<GridResponsibilityDto> Responsibilities,
    bool IsRetired, Guid Version)
{
    public static GridDto From(Grid grid, string communityName) => new(
        grid.Id, grid.CommunityId, communityName, grid.Code, grid.Name, grid.Type, Grid.GridTypeName(grid.Type),
        Math.Round(grid.AreaSquareMeters, 1), GeoJsonSerialization.ToElement(grid.Boundary),
        grid.Responsibilities
            .OrderBy(r => r.WorkLine)
            .Select(r => new GridResponsibilityDto(r.WorkLine, WorkLines.DisplayName(r.WorkLine), r.PersonName,
                Common.Masking.Phone(r.PersonPhone), r.UserId))
            .ToList(),
        grid.IsRetired, grid.Version);
}

public sealed record CompoundQuery(
    Guid? GridId = null,
    Guid? CommunityId = null,
    string? Search = null,
    bool IncludeRetired = false,
    int? Page = null,
    int? PageSize = null);

public sealed record CompoundInput(
    Guid? GridId,
    string? Name,
    CompoundKind? Kind,
    string? Address,
    double? Longitude,
    double? Latitude,
    string? PropertyCompany,
    Guid? Version);

public sealed record CompoundDto(
    Guid Id, Guid GridId, string GridName, string Name, CompoundKind Kind, string KindName, string? Address,
    double? Longitude, double? Latitude, string? PropertyCompany, bool IsRetired, Guid Version);

public sealed record BuildingQuery(
    Guid? CompoundId = null,
    string? Search = null,
    bool IncludeRetired = false,
    int? Page = null,
    int? PageSize = null);

public sealed record BuildingInput(
    Guid? CompoundId,
    string? Name,
    int? Floors,
    int? Entrances,
    int? Households,
    int? BuiltYear,
    Guid? Version);

public sealed record BuildingDto(
    Guid Id, Guid CompoundId, string CompoundName, string Name, int Floors, int Entrances, int Households,
    int? BuiltYear, bool IsRetired, Guid Version);

public sealed record LocateResult(Guid GridId, string GridCode, string GridName, Guid CommunityId, string CommunityName);
