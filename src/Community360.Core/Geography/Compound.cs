using Community360.Common;

namespace Community360.Geography;

public enum CompoundKind
{
    Commercial = 1,
    OldResidential = 2,
    WorkUnit = 3,
    Courtyard = 4,
    Resettlement = 5,
}

/// <summary>小区/院落: belongs to exactly one grid.</summary>
public sealed class Compound : EditableEntity, IScoped
{
    public required Guid GridId { get; init; }
    public Grid? Grid { get; init; }
    public required string Name { get; set; }
    public CompoundKind Kind { get; set; } = CompoundKind.Commercial;
    public string? Address { get; set; }
    public double? Longitude { get; set; }
    public double? Latitude { get; set; }
    public string? PropertyCompany { get; set; }
    public string ScopePath { get; private set; } = string.Empty;

    public void PlaceUnder(Grid grid) => ScopePath = ScopePaths.Child(grid.ScopePath, Id);

    public static string KindName(CompoundKind kind) => kind switch
    {
        CompoundKind.Commercial => "商品房小区",
        CompoundKind.OldResidential => "老旧小区",
        CompoundKind.WorkUnit => "单位院落",
        CompoundKind.Courtyard => "平房院落",
        CompoundKind.Resettlement => "回迁安置小区",
    };
}

/// <summary>楼栋: belongs to one compound (and so one grid).</summary>
public sealed class Building : EditableEntity, IScoped
{
    public required Guid CompoundId { get; init; }
    public Compound? Compound { get; init; }

    /// <summary>As residents say it: "3号楼", "12栋".</summary>
    public required string Name { get; set; }
    public int Floors { get; set; }
    public int Entrances { get; set; }
    public int Households { get; set; }
    public int? BuiltYear { get; set; }
    public string ScopePath { get; private set; } = string.Empty;

    public void PlaceUnder(Compound compound) => ScopePath = ScopePaths.Child(compound.ScopePath, Id);
}
