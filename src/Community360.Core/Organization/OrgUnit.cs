using Community360.Common;

namespace Community360.Organization;

/// <summary>区 / 街道 / 社区 / 职能科室 / 共建单位: the org tree that handles work and bounds every data scope.</summary>
public enum OrgUnitKind
{
    District = 1,
    Street = 2,
    Community = 3,
    Department = 4,
    PartnerUnit = 5,
}

/// <summary>A node of the org tree. Its parent never changes, so <see cref="ScopePath"/> is stable.</summary>
public sealed class OrgUnit : EditableEntity, IScoped
{
    public required OrgUnitKind Kind { get; init; }
    public required string Name { get; set; }

    /// <summary>Administrative code: 6 digits (district), 9 (street), 12 (community); free for departments and partners.</summary>
    public required string Code { get; set; }

    public Guid? ParentId { get; init; }
    public OrgUnit? Parent { get; init; }

    /// <summary>"/{district}/{street}/{this}/": ids in "N" format, this node included.</summary>
    public string ScopePath { get; private set; } = string.Empty;

    /// <summary>For departments: the work line they lead (一网六线), if any.</summary>
    public WorkLine? WorkLine { get; set; }

    public string? ContactPerson { get; set; }

    [Sensitive]
    public string? ContactPhone { get; set; }

    public string? Address { get; set; }
    public int SortOrder { get; set; }

    public void PlaceUnder(OrgUnit? parent) =>
        ScopePath = ScopePaths.Child(parent?.ScopePath, Id);

    /// <summary>Which kinds may sit directly under which: the tree's shape rules.</summary>
    public static bool MayBeChildOf(OrgUnitKind kind, OrgUnitKind? parentKind) => (kind, parentKind) switch
    {
        (OrgUnitKind.District, null) => true,
        (OrgUnitKind.Street, null or OrgUnitKind.District) => true,
        (OrgUnitKind.Community, OrgUnitKind.Street) => true,
        (OrgUnitKind.Department, OrgUnitKind.Street or OrgUnitKind.District) => true,
        (OrgUnitKind.PartnerUnit, OrgUnitKind.Street or OrgUnitKind.Community) => true,
        _ => false,
    };

    public static string DisplayName(OrgUnitKind kind) => kind switch
    {
        OrgUnitKind.District => "区",
        OrgUnitKind.Street => "街道",
        OrgUnitKind.Community => "社区",
        OrgUnitKind.Department => "职能科室",
        OrgUnitKind.PartnerUnit => "共建单位",
    };
}
