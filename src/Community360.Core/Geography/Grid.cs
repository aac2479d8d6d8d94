using Community360.Common;
using Community360.Organization;
using NetTopologySuite.Geometries;

namespace Community360.Geography;

public enum GridType
{
    Residential = 1,
    Commercial = 2,
    Industrial = 3,
    Campus = 4,
    Mixed = 5,
}

/// <summary>网格: always inside one community, bounded by a WGS84 polygon.</summary>
public sealed class Grid : EditableEntity, IScoped
{
    public required Guid CommunityId { get; init; }
    public OrgUnit? Community { get; init; }

    /// <summary>15 digits: 6-digit area + 3-digit street + 3-digit community + 3-digit sequence.</summary>
    public required string Code { get; set; }
    public required string Name { get; set; }
    public GridType Type { get; set; } = GridType.Residential;

    /// <summary>WGS84 (SRID 4326) Polygon or MultiPolygon.</summary>
    public required Geometry Boundary { get; set; }

    /// <summary>Geodesic area of <see cref="Boundary"/> in square metres, computed on save.</summary>
    public double AreaSquareMeters { get; set; }

    public string ScopePath { get; private set; } = string.Empty;

    public List<GridResponsibility> Responsibilities { get; init; } = [];

    public void PlaceUnder(OrgUnit community) => ScopePath = ScopePaths.Child(community.ScopePath, Id);

    /// <summary>
    /// Updates the people in charge in place: unchanged lines stay untouched, so the audit trail shows only what
    /// changed and the grid's version moves only when something did.
    /// </summary>
    public void SetResponsibilities(IReadOnlyList<GridResponsibility> wanted)
    {
        Responsibilities.RemoveAll(current => wanted.All(w => w.WorkLine != current.WorkLine));
        foreach (var line in wanted)
        {
            var current = Responsibilities.FirstOrDefault(r => r.WorkLine == line.WorkLine);
            if (current is null)
            {
                Responsibilities.Add(line);
                continue;
            }
            if (current.PersonName != line.PersonName)
            {
                current.PersonName = line.PersonName;
            }
            if (current.PersonPhone != line.PersonPhone)
            {
                current.PersonPhone = line.PersonPhone;
            }
            if (current.UserId != line.UserId)
            {
                current.UserId = line.UserId;
            }
        }
    }

    public static string GridTypeName(GridType type) => type switch
    {
        GridType.Residential => "居民区网格",
        GridType.Commercial => "商务楼宇网格",
        GridType.Industrial => "园区网格",
        GridType.Campus => "校园医院专属网格",
        GridType.Mixed => "混合网格",
    };
}

/// <summary>The person in charge of one work line in one grid (网格长, 网格员 or a line's specialist).</summary>
public sealed class GridResponsibility
{
    public required WorkLine WorkLine { get; set; }
    public required string PersonName { get; set; }

    [Sensitive]
    public string? PersonPhone { get; set; }

    public Guid? UserId { get; set; }
}
