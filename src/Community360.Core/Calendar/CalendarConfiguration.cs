using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Community360.Calendar;

internal sealed class CalendarDayConfiguration : IEntityTypeConfiguration<CalendarDay>
{
    public void Configure(EntityTypeBuilder<CalendarDay> builder)
    {
        // Named explicitly: without a DbSet the table would be named after the class.
        builder.ToTable("CalendarDays");
        builder.HasKey(d => d.Date);
        builder.Property(d => d.Date).ValueGeneratedNever();
        builder.Property(d => d.Name).HasMaxLength(CalendarDay.NameMax);
        builder.Property(d => d.Version).IsConcurrencyToken();
    }
}

internal sealed class OfficeHoursConfiguration : IEntityTypeConfiguration<OfficeHours>
{
    public void Configure(EntityTypeBuilder<OfficeHours> builder)
    {
        builder.ToTable("OfficeHours");
        builder.HasKey(o => o.Year);
        // An int key would otherwise become an identity column; the year is the key, chosen by us.
        builder.Property(o => o.Year).ValueGeneratedNever();
        builder.Property(o => o.Version).IsConcurrencyToken();
        builder.Ignore(o => o.Schedule);
    }
}
