namespace Community360.Organization;

public sealed record OrgUnitQuery(
    OrgUnitKind? Kind = null,
    Guid? ParentId = null,
    string? Search = null,
    bool IncludeRetired = false,
    int? Page = null,
    int? PageSize = null);

/// <summary>Create and update share one shape; Kind and ParentId are fixed at creation (the path never moves).</summary>
public sealed record OrgUnitInput(
    OrgUnitKind? Kind,
    string? Name,
    string? Code,
    Guid? ParentId,
    WorkLine? WorkLine,
    string? ContactPerson,
    string? ContactPhone,
    string? Address,
    int? SortOrder,
    Guid? Version);

public sealed record OrgUnitDto(
    Guid Id,
    OrgUnitKind Kind,
    string KindName,
    string Name,
    string Code,
    Guid? ParentId,
    WorkLine? WorkLine,
    string? WorkLineName,
    string? ContactPerson,
    string? ContactPhone,
    string? Address,
    int SortOrder,
    bool IsRetired,
    Guid Version)
{
    public static OrgUnitDto From(OrgUnit unit) => new(
        unit.Id, unit.Kind, OrgUnit.DisplayName(unit.Kind), unit.Name, unit.Code, unit.ParentId,
        unit.WorkLine, unit.WorkLine is { } line ? WorkLines.DisplayName(line) : null,
        unit.ContactPerson, Common.Masking.Phone(unit.ContactPhone), unit.Address, unit.SortOrder,
        unit.IsRetired, unit.Version);
}
