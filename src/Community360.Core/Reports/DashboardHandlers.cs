using Community360.Cases;
using Community360.Common;
using Community360.Data;
using Community360.Identity;
using Community360.Organization;
using Microsoft.EntityFrameworkCore;

namespace Community360.Reports;

/// <summary>
/// 工作台 / 领导驾驶舱: what came in, what went out, what is late, and how the complainants judged it, within the
/// caller's scope. Every number is counted on <see cref="CaseHandlers.MatchingAsync"/> with the query it carries, so a
/// click on it opens a list of exactly that many cases.
/// </summary>
public sealed class DashboardHandlers(AppDbContext db, CaseHandlers cases, CaseRepeats repeats, ICaseRates rates)
{
    private const int MaxDays = 366;
    private const int TopCategories = 10;
    private const int TopClusters = 5;

    public async Task<DashboardDto> DashboardAsync(Caller caller, DashboardQuery query, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(ChinaTime.ToLocal(now));
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        var (from, to) = Period(query, monthStart, today);

        var todayCounts = await PeriodCountsAsync(caller, "今日", today, today, ct);
        var monthCounts = await PeriodCountsAsync(caller, "本月", monthStart, monthStart.AddMonths(1).AddDays(-1), ct);
        var overdueNow = await CountAsync(caller, new CaseQuery(Overdue: true), ct);
        var periodRates = await rates.ComputeAsync(caller, from, to, ct);
        var trend = await TrendAsync(caller, from, to, ct);
        var communities = await CommunitiesAsync(caller, from, to, ct);
        var categories = await CategoriesAsync(caller, from, to, ct);
        var clusters = (await repeats.UnsatisfiedClustersAsync(cases.VisibleCases(caller), ct)).Take(TopClusters)
            .Select(c => new DashboardRepeatCluster(c, DashboardCount.Of(c.CaseCount, new CaseQuery(RepeatClusterId: c.ClusterId))))
            .ToList();
        return new DashboardDto(from, to, now, todayCounts, monthCounts, overdueNow, periodRates, trend, communities, categories, clusters);
    }

    private static (DateOnly From, DateOnly To) Period(DashboardQuery query, DateOnly monthStart, DateOnly today)
    {
        var from = query.From ?? (query.To is { } end ? new DateOnly(end.Year, end.Month, 1) : monthStart);
        var to = query.To ?? today;
        if (to < from)
        {
            throw ValidationException.For("to", "结束日期不能早于开始日期。");
        }
        if (to.DayNumber - from.DayNumber + 1 > MaxDays)
        {
            throw ValidationException.For("from", $"统计区间最长 {MaxDays} 天，请缩短时间范围。");
        }
        return (from, to);
    }

    private async Task<DashboardPeriodCounts> PeriodCountsAsync(Caller caller, string label, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var period = DashboardPeriod.Query(from, to);
        return new DashboardPeriodCounts(label, from, to,
            await CountAsync(caller, period, ct),
            await CountAsync(caller, period with { DateBasis = CaseDateBasis.Dispatched }, ct),
            await CountAsync(caller, period with { DateBasis = CaseDateBasis.Completed }, ct),
            await CountAsync(caller, period with { DateBasis = CaseDateBasis.Due, Overdue = true }, ct));
    }

    /// <summary>Per Beijing day: the instants of the period are read once per series and counted by day here.</summary>
    private async Task<IReadOnlyList<DashboardTrendPoint>> TrendAsync(Caller caller, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var period = DashboardPeriod.Query(from, to);
        var received = await (await cases.MatchingAsync(caller, period, ct)).Select(c => c.ReceivedAt).ToListAsync(ct);
        var completedQuery = period with { DateBasis = CaseDateBasis.Completed };
        var completed = await (await cases.MatchingAsync(caller, completedQuery, ct)).Select(c => c.CompletedAt!.Value).ToListAsync(ct);
        var receivedByDay = received.CountBy(LocalDay).ToDictionary();
        var completedByDay = completed.CountBy(LocalDay).ToDictionary();
        var points = new List<DashboardTrendPoint>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var one = DashboardPeriod.Query(day, day);
            points.Add(new DashboardTrendPoint(day,
                DashboardCount.Of(receivedByDay.GetValueOrDefault(day), one),
                DashboardCount.Of(completedByDay.GetValueOrDefault(day), one with { DateBasis = CaseDateBasis.Completed })));
        }
        return points;
    }

    private async Task<IReadOnlyList<DashboardCommunityRow>> CommunitiesAsync(Caller caller, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var received = DashboardPeriod.Query(from, to);
        var open = new CaseQuery(Open: true);
        var overdue = new CaseQuery(Overdue: true);
        var receivedBy = await ByCommunityAsync(caller, received, ct);
        var openBy = await ByCommunityAsync(caller, open, ct);
        var overdueBy = await ByCommunityAsync(caller, overdue, ct);
        var seen = receivedBy.Keys.Concat(openBy.Keys).Concat(overdueBy.Keys).ToList();
        var communities = await db.OrgUnits.AsNoTracking()
            .Where(o => o.Kind == OrgUnitKind.Community && (seen.Contains(o.Id) || !o.IsRetired && db.OrgUnits.InScopeOf(caller).Any(s => s.Id == o.Id)))
            .OrderBy(o => o.SortOrder).ThenBy(o => o.Code)
            .Select(o => new { o.Id, o.Name })
            .ToListAsync(ct);
        return communities.ConvertAll(c => new DashboardCommunityRow(c.Id, c.Name,
            DashboardCount.Of(receivedBy.GetValueOrDefault(c.Id), received with { CommunityId = c.Id }),
            DashboardCount.Of(openBy.GetValueOrDefault(c.Id), open with { CommunityId = c.Id }),
            DashboardCount.Of(overdueBy.GetValueOrDefault(c.Id), overdue with { CommunityId = c.Id })));
    }

    private async Task<Dictionary<Guid, int>> ByCommunityAsync(Caller caller, CaseQuery query, CancellationToken ct) =>
        await (await cases.MatchingAsync(caller, query, ct))
            .Where(c => c.CommunityId != null)
            .GroupBy(c => c.CommunityId!.Value)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);

    private async Task<IReadOnlyList<DashboardCategoryRow>> CategoriesAsync(Caller caller, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var received = DashboardPeriod.Query(from, to);
        // A case is filed under a subcategory; the list's category filter takes a top-level category with its children.
        var top = await (await cases.MatchingAsync(caller, received, ct))
            .Join(db.CaseCategories, c => c.CategoryId, k => k.Id, (c, k) => k.ParentId ?? k.Id)
            .GroupBy(id => id)
            .Select(g => new { Id = g.Key, Count = g.Count() })
            .OrderByDescending(g => g.Count)
            .Take(TopCategories)
            .ToListAsync(ct);
        var ids = top.Select(t => t.Id).ToList();
        var names = await db.CaseCategories.AsNoTracking().Where(k => ids.Contains(k.Id)).ToDictionaryAsync(k => k.Id, k => k.Name, ct);
        return top.OrderByDescending(t => t.Count).ThenBy(t => names.GetValueOrDefault(t.Id), StringComparer.Ordinal)
            .Select(t => new DashboardCategoryRow(t.Id, names.GetValueOrDefault(t.Id) ?? "—", DashboardCount.Of(t.Count, received with { CategoryId = t.Id })))
            .ToList();
    }

    private async Task<DashboardCount> CountAsync(Caller caller, CaseQuery query, CancellationToken ct) =>
        DashboardCount.Of(await cases.CountAsync(caller, query, ct), query);

    private static DateOnly LocalDay(DateTime utc) => DateOnly.FromDateTime(ChinaTime.ToLocal(utc));
}

/// <summary>A period of Beijing dates (both ends included) as the list's From/To (To exclusive, at midnight).</summary>
public static class DashboardPeriod
{
    public static CaseQuery Query(DateOnly from, DateOnly to) =>
        new(From: from.ToDateTime(TimeOnly.MinValue), To: to.AddDays(1).ToDateTime(TimeOnly.MinValue), DateBasis: CaseDateBasis.Received);
}
