using Community360.Common;
using Community360.Organization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NetTopologySuite.Geometries;

namespace Community360.Geography;

/// <summary>
/// The boundary of a community (社区), kept beside the org tree rather than on <see cref="OrgUnit"/> because only
/// communities have one and it is large; at most one per community.
/// </summary>
public sealed class CommunityBoundary : IVersioned, ITimestamped
{
    public required Guid CommunityId { get; init; }
    public OrgUnit? Community { get; init; }

    /// <summary>WGS84 (SRID 4326) Polygon or MultiPolygon.</summary>
    public required Geometry Boundary { get; set; }

    /// <summary>Geodesic area of <see cref="Boundary"/> in square metres.</summary>
    public double AreaSquareMeters { get; set; }

    public Guid Version { get; set; } = Guid.NewGuid();
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class CommunityBoundaryConfiguration : IEntityTypeConfiguration<CommunityBoundary>
{
    public void Configure(EntityTypeBuilder<CommunityBoundary> builder)
    {
        builder.HasKey(b => b.CommunityId);
        builder.Property(b => b.CommunityId).ValueGeneratedNever();
        builder.Property(b => b.Version).IsConcurrencyToken();
        builder.HasOne(b => b.Community)
            .WithOne()
            .HasForeignKey<CommunityBoundary>(b => b.CommunityId)
            .OnDelete(DeleteBehavior.Restrict);
    }
}
