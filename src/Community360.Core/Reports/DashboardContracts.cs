using Community360.Cases;

namespace Community360.Reports;

/// <summary>The period of the dashboard's rates, trend and breakdowns, in Beijing dates, both ends included; this month by default.</summary>
public sealed record DashboardQuery(DateOnly? From = null, DateOnly? To = null);

/// <summary>
/// A number on the dashboard and the case list it counts: <see cref="CaseHandlers.ListAsync"/> with <see cref="Query"/>
/// (or GET /api/cases?<see cref="QueryString"/>) shows exactly <see cref="Value"/> cases.
/// </summary>
public sealed record DashboardCount(int Value, CaseQuery Query, string QueryString)
{
    public static DashboardCount Of(int value, CaseQuery query) => new(value, query, CaseQueryString.Format(query));
}

/// <summary>受理、派单、办结、超期 of one period (today, this month); Overdue = still open and past a deadline that fell in the period.</summary>
public sealed record DashboardPeriodCounts(
    string Label, DateOnly From, DateOnly To, DashboardCount Received, DashboardCount Dispatched, DashboardCount Completed, DashboardCount Overdue);

/// <summary>One term of a rate's numerator: the count of cases and the weight it is counted with (基本满意 × 0.8).</summary>
public sealed record DashboardRatePart(string Label, double Weight, DashboardCount Count);

/// <summary>A rate: <see cref="Value"/> = <see cref="Numerator"/> ÷ Denominator.Value, null when nothing is in the denominator.</summary>
public sealed record DashboardRate(
    string Name, string Formula, double? Value, double Numerator, DashboardCount Denominator, IReadOnlyList<DashboardRatePart> NumeratorParts);

public sealed record DashboardRates(DashboardRate Response, DashboardRate Resolution, DashboardRate Satisfaction);

public sealed record DashboardTrendPoint(DateOnly Day, DashboardCount Received, DashboardCount Completed);

/// <summary>Per community: received in the period, open now, overdue now.</summary>
public sealed record DashboardCommunityRow(Guid CommunityId, string CommunityName, DashboardCount Received, DashboardCount Open, DashboardCount Overdue);

/// <summary>Per top-level category: received in the period.</summary>
public sealed record DashboardCategoryRow(Guid CategoryId, string CategoryName, DashboardCount Received);

/// <summary>反复反映且不满意: a cluster and the list of its cases.</summary>
public sealed record DashboardRepeatCluster(RepeatClusterDto Cluster, DashboardCount Cases);

public sealed record DashboardDto(
    DateOnly From,
    DateOnly To,
    DateTime GeneratedAt,
    DashboardPeriodCounts Today,
    DashboardPeriodCounts ThisMonth,
    DashboardCount OverdueNow,
    DashboardRates Rates,
    IReadOnlyList<DashboardTrendPoint> Trend,
    IReadOnlyList<DashboardCommunityRow> Communities,
    IReadOnlyList<DashboardCategoryRow> Categories,
    IReadOnlyList<DashboardRepeatCluster> RepeatClusters);
