namespace Community360.Reports;

/// <summary>How the rows of a metrics query are cut: one row for the whole range, per place, unit, kind, or per period.</summary>
public enum MetricGrouping
{
    Total = 1,
    Street = 2,
    Community = 3,
    Grid = 4,
    HandlingUnit = 5,

    /// <summary>Per top-level category (大类); a case is filed under a subcategory.</summary>
    Category = 6,
    Type = 7,
    Channel = 8,
    Day = 9,

    /// <summary>Monday to Sunday, cut at the ends of the range.</summary>
    Week = 10,

    /// <summary>Calendar months, cut at the ends of the range.</summary>
    Month = 11,
}

/// <summary>A range of Beijing dates, both ends included.</summary>
public sealed record MetricQuery(DateOnly From, DateOnly To, MetricGrouping By = MetricGrouping.Total);

/// <summary>
/// One metric of a row. Rates: <see cref="Value"/> = <see cref="Numerator"/> ÷ <see cref="Denominator"/>, null when the
/// denominator is 0. Counts (受理量、超期): Value = Numerator and no denominator.
/// </summary>
public sealed record MetricValue(string Code, string Name, double? Value, double Numerator, double? Denominator);

/// <summary>The additive counters a row is computed from (see docs/metrics.md).</summary>
public sealed record MetricCounts(
    int Received, int Dispatched, int RespondedInTime, int Returned, int Reassigned, int Completed, int CompletedOnTime,
    long HandlingMinutes, int Reworked, int Reopened, int Closed, int WentOverdue, int CallbacksReached, int CallbacksUnreachable,
    int CallbacksRefused, int Resolved, int Satisfied, int BasicallySatisfied, int Unsatisfied, int InRepeatCluster,
    double ValidCallbacks, double WeightedSatisfied);

/// <summary>
/// A row: <see cref="Key"/> is the id (unit, grid, category), the enum name (type, channel) or the first date (day, week,
/// month) of the group, "total" for the whole range; <see cref="Guid.Empty"/> stands for "none yet" (未落地、未派单).
/// </summary>
public sealed record MetricRow(string Key, string Label, DateOnly From, DateOnly To, IReadOnlyList<MetricValue> Metrics, MetricCounts Counts);

/// <summary>A rule set that applied to some of the days of the range.</summary>
public sealed record MetricRuleDto(Guid Id, DateOnly EffectiveFrom, string Name, double BasicallySatisfiedWeight, bool UnreachableIsValid, bool RefusedIsValid);

public sealed record MetricReport(DateOnly From, DateOnly To, MetricGrouping By, IReadOnlyList<MetricRuleDto> Rules, IReadOnlyList<MetricRow> Rows, MetricRow Total);
