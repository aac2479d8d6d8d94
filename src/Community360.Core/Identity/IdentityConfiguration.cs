using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Community360.Identity;

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> builder)
    {
        builder.Property(u => u.DisplayName).HasMaxLength(50);
        builder.Property(u => u.ScopePath).HasMaxLength(400);
        builder.Property(u => u.Version).IsConcurrencyToken();
        builder.HasIndex(u => u.ScopePath);
        builder.HasIndex(u => u.UnitId);
    }
}
