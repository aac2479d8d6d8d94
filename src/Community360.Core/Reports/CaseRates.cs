using System.Globalization;
using Community360.Cases;
using Community360.Identity;

namespace Community360.Reports;

/// <summary>Options of the rates (DESIGN §4), bound from the configuration section "Metrics".</summary>
public sealed class MetricsSettings
{
    public const string Section = "Metrics";

    /// <summary>w in 满意率 = (满意 + w·基本满意) ÷ 有效回访.</summary>
    public double BasicallySatisfiedWeight { get; set; } = 0.8;

    public void Validate()
    {
        if (!double.IsFinite(BasicallySatisfiedWeight) || BasicallySatisfiedWeight is < 0 or > 1)
        {
            throw new InvalidOperationException($"Metrics:BasicallySatisfiedWeight must be between 0 and 1, not {BasicallySatisfiedWeight}.");
        }
    }
}

/// <summary>响应率、解决率、满意率 of a period, within the caller's scope. The event-sourced metrics engine replaces this.</summary>
public interface ICaseRates
{
    Task<DashboardRates> ComputeAsync(Caller caller, DateOnly from, DateOnly to, CancellationToken ct);
}

/// <summary>
/// The rates counted on the cases as they stand now, so that every term is a case list. A reopened case has lost its
/// earlier callback, and a returned case its response deadline: the event log keeps both, the snapshot does not.
/// </summary>
public sealed class SnapshotCaseRates(CaseHandlers cases, MetricsSettings settings) : ICaseRates
{
    public async Task<DashboardRates> ComputeAsync(Caller caller, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var period = DashboardPeriod.Query(from, to);
        var dispatched = period with { DateBasis = CaseDateBasis.Dispatched };
        var called = period with { DateBasis = CaseDateBasis.Callback, CallbackContact = CallbackContact.Reached };

        var dispatchedCount = await CountAsync(caller, dispatched, ct);
        var responded = await CountAsync(caller, dispatched with { Responded = true }, ct);
        var valid = await CountAsync(caller, called, ct);
        var resolved = await CountAsync(caller, called with { Resolved = true }, ct);
        var satisfied = await CountAsync(caller, called with { Satisfaction = Satisfaction.Satisfied }, ct);
        var basically = await CountAsync(caller, called with { Satisfaction = Satisfaction.BasicallySatisfied }, ct);
        var w = settings.BasicallySatisfiedWeight;

        return new DashboardRates(
            Rate("响应率", "按时签收并联系诉求人的工单 ÷ 派单工单", dispatchedCount, [new("按时响应", 1, responded)]),
            Rate("解决率", "回访认定已解决 ÷ 有效回访（无法联系、拒绝回访不计）", valid, [new("已解决", 1, resolved)]),
            Rate("满意率", string.Create(CultureInfo.InvariantCulture, $"（满意 + {w:0.##}×基本满意）÷ 有效回访"), valid,
                [new("满意", 1, satisfied), new(CaseNames.Of(Satisfaction.BasicallySatisfied), w, basically)]));
    }

    private async Task<DashboardCount> CountAsync(Caller caller, CaseQuery query, CancellationToken ct) =>
        DashboardCount.Of(await cases.CountAsync(caller, query, ct), query);

    private static DashboardRate Rate(string name, string formula, DashboardCount denominator, IReadOnlyList<DashboardRatePart> parts)
    {
        var numerator = Math.Round(parts.Sum(p => p.Weight * p.Count.Value), 4);
        return new DashboardRate(name, formula, denominator.Value == 0 ? null : Math.Round(numerator / denominator.Value, 4), numerator, denominator, parts);
    }
}
