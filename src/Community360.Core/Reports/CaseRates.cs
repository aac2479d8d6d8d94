using System.Globalization;
using Community360.Cases;
using Community360.Identity;

namespace Community360.Reports;

/// <summary>响应率、解决率、满意率 of a period, within the caller's scope.</summary>
public interface ICaseRates
{
    Task<DashboardRates> ComputeAsync(Caller caller, DateOnly from, DateOnly to, CancellationToken ct);
}

/// <summary>
/// The dashboard's rates read from the metric aggregates (<see cref="MetricsHandlers"/>), i.e. counted on events. Each
/// count still carries the case list that comes closest to it; the list is exact only while no case of the period was
/// returned, reassigned or reopened (the event log keeps a reopened case's earlier callback, the case no longer does),
/// and while the rule in force does not count unreachable or refused callbacks as valid.
/// </summary>
public sealed class AggregateCaseRates(MetricsHandlers metrics) : ICaseRates
{
    public async Task<DashboardRates> ComputeAsync(Caller caller, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var report = await metrics.QueryAsync(caller, new MetricQuery(from, to), ct);
        var c = report.Total.Counts;
        var period = DashboardPeriod.Query(from, to);
        var dispatched = period with { DateBasis = CaseDateBasis.Dispatched };
        var called = period with { DateBasis = CaseDateBasis.Callback, CallbackContact = CallbackContact.Reached };
        var validCount = (int)Math.Round(c.ValidCallbacks);
        var w = c.BasicallySatisfied == 0
            ? report.Rules[^1].BasicallySatisfiedWeight
            : Math.Round((c.WeightedSatisfied - c.Satisfied) / c.BasicallySatisfied, 4);
        var valid = DashboardCount.Of(validCount, called);
        return new DashboardRates(
            Rate("响应率", "按时签收并联系诉求人的派单 ÷ 派单（含改派）", DashboardCount.Of(c.Dispatched, dispatched),
                [new("按时响应", 1, DashboardCount.Of(c.RespondedInTime, dispatched with { Responded = true }))]),
            Rate("解决率", "回访认定已解决 ÷ 有效回访（按口径，默认不计无法联系、拒绝回访）", valid,
                [new("已解决", 1, DashboardCount.Of(c.Resolved, called with { Resolved = true }))]),
            Rate("满意率", string.Create(CultureInfo.InvariantCulture, $"（满意 + {w:0.##}×基本满意）÷ 有效回访"), valid,
                [new("满意", 1, DashboardCount.Of(c.Satisfied, called with { Satisfaction = Satisfaction.Satisfied })),
                 new(CaseNames.Of(Satisfaction.BasicallySatisfied), w, DashboardCount.Of(c.BasicallySatisfied, called with { Satisfaction = Satisfaction.BasicallySatisfied }))]));
    }

    private static DashboardRate Rate(string name, string formula, DashboardCount denominator, IReadOnlyList<DashboardRatePart> parts)
    {
        var numerator = Math.Round(parts.Sum(p => p.Weight * p.Count.Value), 4);
        return new DashboardRate(name, formula, denominator.Value == 0 ? null : Math.Round(numerator / denominator.Value, 4), numerator, denominator, parts);
    }
}
