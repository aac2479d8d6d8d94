using Community360.Cases;
using Community360.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Community360.Reports;

/// <summary>
/// One China-local day of one cell (street × community × grid × handling unit × category × type × channel): additive
/// counters kept up to date in the transaction of every case event, so that any period and any grouping is a sum over
/// rows, never a scan of cases. "None" (no community, grid or unit yet) is <see cref="Guid.Empty"/>, so the key is unique.
/// </summary>
public sealed class CaseMetricDay : IHasOwnEventLog
{
    public DateOnly Day { get; set; }
    public Guid StreetId { get; set; }
    public Guid CommunityId { get; set; }
    public Guid GridId { get; set; }
    public Guid HandlingUnitId { get; set; }
    public Guid CategoryId { get; set; }
    public CaseType Type { get; set; }
    public CaseChannel Channel { get; set; }

    /// <summary>The place's path when the row was first written; scopes the row like a case.</summary>
    public string ScopePath { get; set; } = string.Empty;

    public int Received { get; set; }

    /// <summary>Hand-overs to a unit: dispatches (again after a return or reopening) and reassignments.</summary>
    public int Dispatched { get; set; }

    /// <summary>Of the hand-overs of this day: accepted and complainant contacted within the response limit.</summary>
    public int RespondedInTime { get; set; }
    public int Returned { get; set; }
    public int Reassigned { get; set; }
    public int Completed { get; set; }
    public int CompletedOnTime { get; set; }

    /// <summary>Minutes from the hand-over to the unit to its completion, summed over <see cref="Completed"/>.</summary>
    public long HandlingMinutes { get; set; }
    public int Reworked { get; set; }
    public int Reopened { get; set; }
    public int Closed { get; set; }
    public int WentOverdue { get; set; }
    public int CallbacksReached { get; set; }
    public int CallbacksUnreachable { get; set; }
    public int CallbacksRefused { get; set; }
    public int Resolved { get; set; }
    public int Satisfied { get; set; }
    public int BasicallySatisfied { get; set; }
    public int Unsatisfied { get; set; }

    /// <summary>Cases received this day that are now in a repeat cluster.</summary>
    public int InRepeatCluster { get; set; }
}

/// <summary>
/// 指标口径: the weights and denominators in force from <see cref="EffectiveFrom"/> (a China-local date) until the next
/// rule set. Each day of a period is counted under the rule in force on that day, so changing this year's rule never
/// changes last year's figures.
/// </summary>
public sealed class MetricRuleSet : EditableEntity
{
    public DateOnly EffectiveFrom { get; set; }
    public string Name { get; set; } = string.Empty;

    /// <summary>w in 满意率 = (满意 + w·基本满意) ÷ 有效回访.</summary>
    public double BasicallySatisfiedWeight { get; set; } = 0.8;

    /// <summary>Whether an unreachable complainant (无法联系) still counts as a valid callback (default: counted apart).</summary>
    public bool UnreachableIsValid { get; set; }

    /// <summary>Whether a refused callback (拒绝回访) still counts as a valid callback (default: counted apart).</summary>
    public bool RefusedIsValid { get; set; }
}

internal sealed class CaseMetricDayConfiguration : IEntityTypeConfiguration<CaseMetricDay>
{
    public void Configure(EntityTypeBuilder<CaseMetricDay> builder)
    {
        builder.HasKey(m => new { m.Day, m.StreetId, m.CommunityId, m.GridId, m.HandlingUnitId, m.CategoryId, m.Type, m.Channel });
        builder.Property(m => m.ScopePath).HasMaxLength(400);
        builder.HasIndex(m => new { m.ScopePath, m.Day });
        builder.HasIndex(m => new { m.HandlingUnitId, m.Day });
    }
}

internal sealed class MetricRuleSetConfiguration : IEntityTypeConfiguration<MetricRuleSet>
{
    public void Configure(EntityTypeBuilder<MetricRuleSet> builder)
    {
        builder.Property(r => r.Name).HasMaxLength(100);
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.HasIndex(r => r.EffectiveFrom).IsUnique();
    }
}
