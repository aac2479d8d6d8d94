using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Community360.Cases;

internal sealed class CaseConfiguration : IEntityTypeConfiguration<Case>
{
    public void Configure(EntityTypeBuilder<Case> builder)
    {
        builder.Property(c => c.Number).HasMaxLength(20);
        builder.Property(c => c.ExternalReference).HasMaxLength(64);
        builder.Property(c => c.Title).HasMaxLength(CaseRules.TitleMax);
        builder.Property(c => c.Description).HasMaxLength(CaseRules.DescriptionMax);
        builder.Property(c => c.Address).HasMaxLength(200);
        builder.Property(c => c.PlaceKey).HasMaxLength(120);
        builder.Property(c => c.ScopePath).HasMaxLength(400);
        builder.Property(c => c.ComplainantName).HasMaxLength(50);
        builder.Property(c => c.ComplainantPhone).HasMaxLength(32);
        builder.Property(c => c.ComplainantPhoneHash).HasMaxLength(64);
        builder.Property(c => c.HandlingUnitName).HasMaxLength(100);
        builder.Property(c => c.ResultSummary).HasMaxLength(CaseRules.NoteMax);
        builder.Property(c => c.LeaderInChargeName).HasMaxLength(50);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasIndex(c => c.Number).IsUnique();
        // A redelivered ticket finds its case instead of creating another.
        builder.HasIndex(c => new { c.Channel, c.ExternalReference }).IsUnique();
        builder.HasIndex(c => new { c.ScopePath, c.State });
        builder.HasIndex(c => new { c.State, c.ReceivedAt });
        builder.HasIndex(c => new { c.HandlingUnitId, c.State });
        builder.HasIndex(c => c.ReceivedAt);
        builder.HasIndex(c => c.RepeatClusterId);
        builder.HasMany(c => c.Events).WithOne().HasForeignKey(e => e.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(c => c.Assignments).WithOne().HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.Navigation(c => c.Events).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Navigation(c => c.Assignments).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasOne<CaseCategory>().WithMany().HasForeignKey(c => c.CategoryId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CaseEventConfiguration : IEntityTypeConfiguration<CaseEvent>
{
    public void Configure(EntityTypeBuilder<CaseEvent> builder)
    {
        // Keys are set by the aggregate; appended through the case's navigation they must be inserted, not updated.
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.ActorName).HasMaxLength(100);
        builder.Property(e => e.ActorUnitName).HasMaxLength(100);
        builder.Property(e => e.Note).HasMaxLength(CaseRules.NoteMax);
        builder.Property(e => e.PlaceScopePath).HasMaxLength(400);
        builder.HasIndex(e => new { e.CaseId, e.OccurredAt });
        builder.HasIndex(e => new { e.Action, e.OccurredAt });
    }
}

internal sealed class CaseAssignmentConfiguration : IEntityTypeConfiguration<CaseAssignment>
{
    public void Configure(EntityTypeBuilder<CaseAssignment> builder)
    {
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.UnitName).HasMaxLength(100);
        builder.Property(a => a.UnitScopePath).HasMaxLength(400);
        builder.HasIndex(a => new { a.UnitScopePath, a.EndedAt });
        builder.HasIndex(a => new { a.UnitId, a.EndedAt });
    }
}

internal sealed class CaseCategoryConfiguration : IEntityTypeConfiguration<CaseCategory>
{
    public void Configure(EntityTypeBuilder<CaseCategory> builder)
    {
        builder.Property(c => c.Code).HasMaxLength(16);
        builder.Property(c => c.Name).HasMaxLength(50);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasIndex(c => c.Code).IsUnique();
        builder.HasOne(c => c.Parent).WithMany().HasForeignKey(c => c.ParentId).OnDelete(DeleteBehavior.Restrict);
        builder.OwnsMany(c => c.TimeLimits, l => l.ToJson());
    }
}

internal sealed class CaseTypeConfigConfiguration : IEntityTypeConfiguration<CaseTypeConfig>
{
    public void Configure(EntityTypeBuilder<CaseTypeConfig> builder)
    {
        builder.HasKey(c => c.Type);
        builder.Property(c => c.Version).IsConcurrencyToken();
    }
}

internal sealed class CaseNumberCounterConfiguration : IEntityTypeConfiguration<CaseNumberCounter>
{
    public void Configure(EntityTypeBuilder<CaseNumberCounter> builder)
    {
        builder.ToTable("CaseNumberCounters");
        builder.HasKey(c => c.Day);
        builder.Property(c => c.Day).HasMaxLength(8);
    }
}

/// <summary>The last number given out on one local day; incremented atomically by intake.</summary>
public sealed class CaseNumberCounter : Common.IHasOwnEventLog
{
    public required string Day { get; init; }
    public int Last { get; set; }
}
