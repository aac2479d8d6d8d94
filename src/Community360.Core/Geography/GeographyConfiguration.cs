using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Community360.Geography;

internal sealed class GridConfiguration : IEntityTypeConfiguration<Grid>
{
    public void Configure(EntityTypeBuilder<Grid> builder)
    {
        builder.Property(g => g.Code).HasMaxLength(15).IsFixedLength(false);
        builder.Property(g => g.Name).HasMaxLength(100);
        builder.Property(g => g.ScopePath).HasMaxLength(400);
        builder.Property(g => g.Version).IsConcurrencyToken();
        builder.HasIndex(g => g.Code).IsUnique();
        builder.HasIndex(g => g.ScopePath).IsUnique();
        builder.HasIndex(g => g.CommunityId);
        builder.HasOne(g => g.Community).WithMany().HasForeignKey(g => g.CommunityId).OnDelete(DeleteBehavior.Restrict);
        builder.OwnsMany(g => g.Responsibilities, r =>
        {
            r.ToJson();
            r.Property(x => x.PersonName).HasMaxLength(50);
            r.Property(x => x.PersonPhone).HasMaxLength(32);
        });
    }
}

internal sealed class CompoundConfiguration : IEntityTypeConfiguration<Compound>
{
    public void Configure(EntityTypeBuilder<Compound> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(100);
        builder.Property(c => c.Address).HasMaxLength(200);
        builder.Property(c => c.PropertyCompany).HasMaxLength(100);
        builder.Property(c => c.ScopePath).HasMaxLength(400);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasIndex(c => c.ScopePath).IsUnique();
        builder.HasIndex(c => new { c.GridId, c.Name }).IsUnique();
        builder.HasOne(c => c.Grid).WithMany().HasForeignKey(c => c.GridId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class BuildingConfiguration : IEntityTypeConfiguration<Building>
{
    public void Configure(EntityTypeBuilder<Building> builder)
    {
        builder.Property(b => b.Name).HasMaxLength(50);
        builder.Property(b => b.ScopePath).HasMaxLength(400);
        builder.Property(b => b.Version).IsConcurrencyToken();
        builder.HasIndex(b => b.ScopePath).IsUnique();
        builder.HasIndex(b => new { b.CompoundId, b.Name }).IsUnique();
        builder.HasOne(b => b.Compound).WithMany().HasForeignKey(b => b.CompoundId).OnDelete(DeleteBehavior.Restrict);
    }
}
