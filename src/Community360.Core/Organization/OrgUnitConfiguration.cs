using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Community360.Organization;

internal sealed class OrgUnitConfiguration : IEntityTypeConfiguration<OrgUnit>
{
    public void Configure(EntityTypeBuilder<OrgUnit> builder)
    {
        builder.Property(o => o.Name).HasMaxLength(100);
        builder.Property(o => o.Code).HasMaxLength(32);
        builder.Property(o => o.ScopePath).HasMaxLength(400);
        builder.Property(o => o.ContactPerson).HasMaxLength(50);
        builder.Property(o => o.ContactPhone).HasMaxLength(32);
        builder.Property(o => o.Address).HasMaxLength(200);
        builder.Property(o => o.Version).IsConcurrencyToken();
        builder.HasIndex(o => o.Code).IsUnique();
        builder.HasIndex(o => o.ScopePath).IsUnique();
        builder.HasIndex(o => new { o.ParentId, o.Kind });
        builder.HasOne(o => o.Parent).WithMany().HasForeignKey(o => o.ParentId).OnDelete(DeleteBehavior.Restrict);
    }
}
