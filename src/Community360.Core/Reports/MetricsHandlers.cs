using System.Globalization;
using System.Linq.Expressions;
using Community360.Cases;
using Community360.Common;
using Community360.Data;
using Community360.Identity;
using Community360.Organization;
using Microsoft.EntityFrameworkCore;

namespace Community360.Reports;

/// <summary>
/// 指标: the rates of DESIGN §4 summed from <see cref="CaseMetricDay"/> rows, within the caller's scope (the place of the
/// case, or a handling unit in the caller's subtree). Each day counts under the rule set in force on that day.
/// </summary>
public sealed class MetricsHandlers(AppDbContext db)
{
    public const int MaxDays = 366 * 5;
    public static readonly DateOnly DefaultRuleStart = new(2000, 1, 1);

    public async Task<MetricReport> QueryAsync(Caller caller, MetricQuery query, CancellationToken ct)
    {
        if (query.To < query.From)
        {
            throw ValidationException.For("to", "结束日期不能早于开始日期。");
        }
        if (query.To.DayNumber - query.From.DayNumber + 1 > MaxDays)
        {
            throw ValidationException.For("from", $"统计区间最长 {MaxDays} 天，请缩短时间范围。");
        }
        if (!Enum.IsDefined(query.By))
        {
            throw ValidationException.For("by", "不支持的分组方式。");
        }
        var segments = await SegmentsAsync(query.From, query.To, ct);
        var scoped = await ScopedAsync(caller, ct);
        var groups = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
        var total = new Accumulator();
        foreach (var (rule, from, to) in segments)
        {
            var facts = scoped.Where(f => f.Day >= from && f.Day <= to);
            foreach (var (key, sums) in await SumByAsync(facts, query.By, ct))
            {
                var bucket = await BucketAsync(query, key, ct);
                if (!groups.TryGetValue(bucket, out var accumulator))
                {
                    groups[bucket] = accumulator = new Accumulator();
                }
                accumulator.Add(sums, rule);
                total.Add(sums, rule);
            }
        }
        var labels = await LabelsAsync(query, groups.Keys, ct);
        var rows = groups
            .Select(g => Row(g.Key, labels.GetValueOrDefault(g.Key, (g.Key, query.From, query.To)), g.Value))
            .OrderBy(r => query.By is MetricGrouping.Day or MetricGrouping.Week or MetricGrouping.Month ? r.From.DayNumber : 0)
            .ThenByDescending(r => r.Counts.Received)
            .ThenBy(r => r.Label, StringComparer.Ordinal)
            .ToList();
        var rules = segments.Select(s => s.Rule).DistinctBy(r => r.Id)
            .Select(r => new MetricRuleDto(r.Id, r.EffectiveFrom, r.Name, r.BasicallySatisfiedWeight, r.UnreachableIsValid, r.RefusedIsValid)).ToList();
        return new MetricReport(query.From, query.To, query.By, rules, rows, Row("total", ("合计", query.From, query.To), total));
    }

    /// <summary>The rule sets, oldest first; the seeded default when none is stored.</summary>
    public async Task<IReadOnlyList<MetricRuleSet>> RulesAsync(CancellationToken ct)
    {
        var rules = await db.MetricRuleSets.AsNoTracking().Where(r => !r.IsRetired).OrderBy(r => r.EffectiveFrom).ToListAsync(ct);
        return rules.Count > 0 ? rules : [DefaultRule()];
    }

    public static MetricRuleSet DefaultRule() => new()
    {
        EffectiveFrom = DefaultRuleStart,
        Name = "默认口径",
        BasicallySatisfiedWeight = 0.8,
        UnreachableIsValid = false,
        RefusedIsValid = false,
    };

    /// <summary>Seeds the default rule set on a database that has none; safe at every start.</summary>
    public static async Task SeedAsync(AppDbContext db, CancellationToken ct)
    {
        if (!await db.MetricRuleSets.AnyAsync(ct))
        {
            db.MetricRuleSets.Add(DefaultRule());
        }
    }

    /// <summary>The range cut where a rule set takes over; days before the first rule count under the first.</summary>
    private async Task<List<(MetricRuleSet Rule, DateOnly From, DateOnly To)>> SegmentsAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        var rules = await RulesAsync(ct);
        var segments = new List<(MetricRuleSet, DateOnly, DateOnly)>();
        for (var i = 0; i < rules.Count; i++)
        {
            var start = i == 0 ? DateOnly.MinValue : rules[i].EffectiveFrom;
            var end = i + 1 < rules.Count ? rules[i + 1].EffectiveFrom.AddDays(-1) : DateOnly.MaxValue;
            var (segmentFrom, segmentTo) = (start > from ? start : from, end < to ? end : to);
            if (segmentFrom <= segmentTo)
            {
                segments.Add((rules[i], segmentFrom, segmentTo));
            }
        }
        return segments;
    }

    /// <summary>
    /// Rows whose place lies in the caller's subtree (a community sees its community, a grid worker their grid). A
    /// department or partner unit handles cases located elsewhere: it also sees the rows of the units in its subtree.
    /// </summary>
    private async Task<IQueryable<CaseMetricDay>> ScopedAsync(Caller caller, CancellationToken ct)
    {
        var facts = db.CaseMetricDays.AsNoTracking();
        if (caller.ScopePath == ScopePaths.Root)
        {
            return facts;
        }
        var prefix = caller.ScopePath + "%";
        var kind = await db.OrgUnits.Where(o => o.Id == caller.UnitId).Select(o => (OrgUnitKind?)o.Kind).FirstOrDefaultAsync(ct);
        if (kind is not (OrgUnitKind.Department or OrgUnitKind.PartnerUnit))
        {
            return facts.Where(f => EF.Functions.Like(f.ScopePath, prefix));
        }
        var units = db.OrgUnits.InScopeOf(caller).Select(o => o.Id);
        return facts.Where(f => EF.Functions.Like(f.ScopePath, prefix) || units.Contains(f.HandlingUnitId));
    }

    private static Task<List<(string Key, MetricSums Sums)>> SumByAsync(IQueryable<CaseMetricDay> facts, MetricGrouping by, CancellationToken ct) => by switch
    {
        MetricGrouping.Total => SumByAsync(facts, f => 1, _ => "total", ct),
        MetricGrouping.Street => SumByAsync(facts, f => f.StreetId, Id, ct),
        MetricGrouping.Community => SumByAsync(facts, f => f.CommunityId, Id, ct),
        MetricGrouping.Grid => SumByAsync(facts, f => f.GridId, Id, ct),
        MetricGrouping.HandlingUnit => SumByAsync(facts, f => f.HandlingUnitId, Id, ct),
        MetricGrouping.Category => SumByAsync(facts, f => f.CategoryId, Id, ct),
        MetricGrouping.Type => SumByAsync(facts, f => f.Type, t => t.ToString(), ct),
        MetricGrouping.Channel => SumByAsync(facts, f => f.Channel, c => c.ToString(), ct),
        _ => SumByAsync(facts, f => f.Day, d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ct),
    };

    private static string Id(Guid id) => id.ToString();

    private static async Task<List<(string Key, MetricSums Sums)>> SumByAsync<TKey>(
        IQueryable<CaseMetricDay> facts, Expression<Func<CaseMetricDay, TKey>> key, Func<TKey, string> format, CancellationToken ct)
    {
        var rows = await facts.GroupBy(key).Select(g => new MetricSums
        {
            Key = g.Key,
            Received = g.Sum(f => f.Received),
            Dispatched = g.Sum(f => f.Dispatched),
            RespondedInTime = g.Sum(f => f.RespondedInTime),
            Returned = g.Sum(f => f.Returned),
            Reassigned = g.Sum(f => f.Reassigned),
            Completed = g.Sum(f => f.Completed),
            CompletedOnTime = g.Sum(f => f.CompletedOnTime),
            HandlingMinutes = g.Sum(f => f.HandlingMinutes),
            Reworked = g.Sum(f => f.Reworked),
            Reopened = g.Sum(f => f.Reopened),
            Closed = g.Sum(f => f.Closed),
            WentOverdue = g.Sum(f => f.WentOverdue),
            CallbacksReached = g.Sum(f => f.CallbacksReached),
            CallbacksUnreachable = g.Sum(f => f.CallbacksUnreachable),
            CallbacksRefused = g.Sum(f => f.CallbacksRefused),
            Resolved = g.Sum(f => f.Resolved),
            Satisfied = g.Sum(f => f.Satisfied),
            BasicallySatisfied = g.Sum(f => f.BasicallySatisfied),
            Unsatisfied = g.Sum(f => f.Unsatisfied),
            InRepeatCluster = g.Sum(f => f.InRepeatCluster),
        }).ToListAsync(ct);
        return rows.ConvertAll(r => (format((TKey)r.Key!), r));
    }

    /// <summary>Weeks and months are folded from days; subcategories into their top-level category.</summary>
    private async Task<string> BucketAsync(MetricQuery query, string key, CancellationToken ct)
    {
        switch (query.By)
        {
            case MetricGrouping.Week or MetricGrouping.Month:
            {
                var day = DateOnly.ParseExact(key, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                var start = query.By == MetricGrouping.Week ? day.AddDays(-(((int)day.DayOfWeek + 6) % 7)) : new DateOnly(day.Year, day.Month, 1);
                return (start < query.From ? query.From : start).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            }
            case MetricGrouping.Category:
            {
                _parents ??= await db.CaseCategories.AsNoTracking().ToDictionaryAsync(c => c.Id.ToString(), c => (c.ParentId ?? c.Id).ToString(), StringComparer.Ordinal, ct);
                return _parents.GetValueOrDefault(key, key);
            }
            default:
                return key;
        }
    }

    private Dictionary<string, string>? _parents;

    private async Task<Dictionary<string, (string Label, DateOnly From, DateOnly To)>> LabelsAsync(MetricQuery query, IEnumerable<string> keys, CancellationToken ct)
    {
        var list = keys.ToList();
        var labels = new Dictionary<string, (string, DateOnly, DateOnly)>(StringComparer.Ordinal);
        switch (query.By)
        {
            case MetricGrouping.Street or MetricGrouping.Community or MetricGrouping.HandlingUnit or MetricGrouping.Grid or MetricGrouping.Category:
            {
                var ids = list.Select(System.Guid.Parse).ToList();
                var names = query.By switch
                {
                    MetricGrouping.Grid => await db.Grids.AsNoTracking().Where(g => ids.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Name, ct),
                    MetricGrouping.Category => await db.CaseCategories.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct),
                    _ => await db.OrgUnits.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct),
                };
                var none = query.By switch
                {
                    MetricGrouping.Community => "（未落地到社区）",
                    MetricGrouping.Grid => "（不在网格内）",
                    MetricGrouping.HandlingUnit => "（未派单）",
                    _ => "—",
                };
                foreach (var id in ids)
                {
                    labels[id.ToString()] = (id == System.Guid.Empty ? none : names.GetValueOrDefault(id) ?? "—", query.From, query.To);
                }
                break;
            }
            case MetricGrouping.Type:
                list.ForEach(k => labels[k] = (CaseNames.Of(Enum.Parse<CaseType>(k)), query.From, query.To));
                break;
            case MetricGrouping.Channel:
                list.ForEach(k => labels[k] = (CaseNames.Of(Enum.Parse<CaseChannel>(k)), query.From, query.To));
                break;
            case MetricGrouping.Day or MetricGrouping.Week or MetricGrouping.Month:
                foreach (var key in list)
                {
                    var start = DateOnly.ParseExact(key, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                    var end = query.By switch
                    {
                        MetricGrouping.Day => start,
                        MetricGrouping.Week => start.AddDays(6 - (((int)start.DayOfWeek + 6) % 7)),
                        _ => new DateOnly(start.Year, start.Month, 1).AddMonths(1).AddDays(-1),
                    };
                    end = end > query.To ? query.To : end;
                    var label = query.By switch
                    {
                        MetricGrouping.Day => key,
                        MetricGrouping.Month => start.ToString("yyyy年M月", CultureInfo.InvariantCulture),
                        _ => string.Create(CultureInfo.InvariantCulture, $"{start:yyyy-MM-dd} 至 {end:yyyy-MM-dd}"),
                    };
                    labels[key] = (label, start, end);
                }
                break;
            default:
                list.ForEach(k => labels[k] = ("合计", query.From, query.To));
                break;
        }
        return labels;
    }

    private static MetricRow Row(string key, (string Label, DateOnly From, DateOnly To) label, Accumulator a)
    {
        var s = a.Sums;
        var counts = new MetricCounts(s.Received, s.Dispatched, s.RespondedInTime, s.Returned, s.Reassigned, s.Completed, s.CompletedOnTime,
            s.HandlingMinutes, s.Reworked, s.Reopened, s.Closed, s.WentOverdue, s.CallbacksReached, s.CallbacksUnreachable, s.CallbacksRefused,
            s.Resolved, s.Satisfied, s.BasicallySatisfied, s.Unsatisfied, s.InRepeatCluster, a.ValidCallbacks, Math.Round(a.WeightedSatisfied, 4));
        IReadOnlyList<MetricValue> metrics =
        [
            Rate("ResponseRate", "响应率", s.RespondedInTime, s.Dispatched),
            Rate("ResolutionRate", "解决率", s.Resolved, a.ValidCallbacks),
            Rate("SatisfactionRate", "满意率", a.WeightedSatisfied, a.ValidCallbacks),
            Rate("OnTimeRate", "按期办结率", s.CompletedOnTime, s.Completed),
            Rate("ReworkRate", "返工率", s.Reworked, s.Completed),
            Rate("DispatchAccuracy", "派单准确率", s.Dispatched - s.Returned - s.Reassigned, s.Dispatched),
            Rate("RepeatRate", "重复诉求率", s.InRepeatCluster, s.Received),
            Rate("AverageHandlingHours", "平均办理时长（小时）", s.HandlingMinutes / 60.0, s.Completed),
            Count("Received", "受理量", s.Received),
            Count("WentOverdue", "超期件数", s.WentOverdue),
            Count("CompletedLate", "超期办结件数", s.Completed - s.CompletedOnTime),
        ];
        return new MetricRow(key, label.Label, label.From, label.To, metrics, counts);
    }

    private static MetricValue Rate(string code, string name, double numerator, double denominator) =>
        new(code, name, denominator == 0 ? null : Math.Round(numerator / denominator, 4), Math.Round(numerator, 4), denominator);

    private static MetricValue Count(string code, string name, int value) => new(code, name, value, value, null);

    /// <summary>Sums of one group; Key is the grouping value.</summary>
    internal sealed class MetricSums
    {
        public object? Key { get; set; }
        public int Received { get; set; }
        public int Dispatched { get; set; }
        public int RespondedInTime { get; set; }
        public int Returned { get; set; }
        public int Reassigned { get; set; }
        public int Completed { get; set; }
        public int CompletedOnTime { get; set; }
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
        public int InRepeatCluster { get; set; }

        public void Add(MetricSums o)
        {
            Received += o.Received;
            Dispatched += o.Dispatched;
            RespondedInTime += o.RespondedInTime;
            Returned += o.Returned;
            Reassigned += o.Reassigned;
            Completed += o.Completed;
            CompletedOnTime += o.CompletedOnTime;
            HandlingMinutes += o.HandlingMinutes;
            Reworked += o.Reworked;
            Reopened += o.Reopened;
            Closed += o.Closed;
            WentOverdue += o.WentOverdue;
            CallbacksReached += o.CallbacksReached;
            CallbacksUnreachable += o.CallbacksUnreachable;
            CallbacksRefused += o.CallbacksRefused;
            Resolved += o.Resolved;
            Satisfied += o.Satisfied;
            BasicallySatisfied += o.BasicallySatisfied;
            Unsatisfied += o.Unsatisfied;
            InRepeatCluster += o.InRepeatCluster;
        }
    }

    /// <summary>The sums of a group plus the two terms that depend on the rule of each day.</summary>
    internal sealed class Accumulator
    {
        public MetricSums Sums { get; } = new();
        public double ValidCallbacks { get; private set; }
        public double WeightedSatisfied { get; private set; }

        public void Add(MetricSums sums, MetricRuleSet rule)
        {
            Sums.Add(sums);
            ValidCallbacks += sums.CallbacksReached + (rule.UnreachableIsValid ? sums.CallbacksUnreachable : 0) + (rule.RefusedIsValid ? sums.CallbacksRefused : 0);
            WeightedSatisfied += sums.Satisfied + rule.BasicallySatisfiedWeight * sums.BasicallySatisfied;
        }
    }
}
