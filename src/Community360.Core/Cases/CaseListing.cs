using System.Globalization;
using System.Linq.Expressions;
using Community360.Calendar;
using Community360.Common;
using Community360.Identity;
using Microsoft.EntityFrameworkCore;

namespace Community360.Cases;

/// <summary>Which instant of a case From/To apply to.</summary>
public enum CaseDateBasis
{
    /// <summary>受理时间.</summary>
    Received = 1,

    /// <summary>首次派单时间 (a case counts once however often it is reassigned).</summary>
    Dispatched = 2,

    /// <summary>办结时间 (cleared by rework and reopening).</summary>
    Completed = 3,

    /// <summary>结案时间 (closed cases only; voided and merged cases also end, but are not closed).</summary>
    Closed = 4,

    /// <summary>回访时间.</summary>
    Callback = 5,

    /// <summary>办理时限 (the completion deadline).</summary>
    Due = 6,
}

public enum CaseSort
{
    /// <summary>最新受理在前 (the default).</summary>
    NewestReceived = 1,

    /// <summary>最早受理在前.</summary>
    OldestReceived = 2,

    /// <summary>办理时限最近在前 (overdue first; cases without a deadline last).</summary>
    DueSoonest = 3,

    /// <summary>最近更新在前.</summary>
    RecentlyUpdated = 4,
}

public sealed partial class CaseHandlers
{
    /// <summary>
    /// The cases <see cref="ListAsync"/> shows for <paramref name="query"/> (paging aside), for counts composed elsewhere:
    /// a number computed on this query is the total of the list with the same query.
    /// </summary>
    public async Task<IQueryable<Case>> MatchingAsync(Caller caller, CaseQuery query, CancellationToken ct)
    {
        var context = await FilterContextAsync(query.Inbox is not null, ct);
        return Filter(caller, query, context);
    }

    public async Task<int> CountAsync(Caller caller, CaseQuery query, CancellationToken ct) =>
        await (await MatchingAsync(caller, query, ct)).CountAsync(ct);

    public async Task<CasePage> ListAsync(Caller caller, CaseQuery query, CancellationToken ct)
    {
        var limit = Math.Clamp(query.Limit ?? 20, 1, 200);
        var sort = query.Sort ?? CaseSort.NewestReceived;
        var after = CaseCursor.Read(query.After, sort);
        var context = await FilterContextAsync(query.Inbox is not null, ct);
        var cases = Filter(caller, query, context);
        int? total = query.IncludeTotal ? await cases.CountAsync(ct) : null;
        var rows = await Page(cases, sort, after)
            .Take(limit + 1)
            .Select(c => new
            {
                c.Id, c.Number, c.Type, c.Channel, c.Urgency, c.Title, c.State, c.HandlingUnitName, c.ReceivedAt,
                c.ResponseDueAt, c.CompletionDueAt, c.CompletionLimitUnit, c.CompletedAt, c.UpdatedAt, c.RepeatClusterId, c.NeedsManualRouting,
                c.IsConfidential, c.ComplainantName,
                CategoryName = db.CaseCategories.Where(k => k.Id == c.CategoryId).Select(k => k.Name).FirstOrDefault(),
                CommunityName = db.OrgUnits.Where(o => o.Id == c.CommunityId).Select(o => o.Name).FirstOrDefault(),
                GridName = db.Grids.Where(g => g.Id == c.GridId).Select(g => g.Name).FirstOrDefault(),
            })
            .ToListAsync(ct);
        string? next = null;
        if (rows.Count > limit)
        {
            var last = rows[limit - 1];
            next = CaseCursor.Write(sort, sort switch
            {
                CaseSort.DueSoonest => last.CompletionDueAt,
                CaseSort.RecentlyUpdated => last.UpdatedAt,
                _ => last.ReceivedAt,
            }, last.Id);
        }
        var now = context.Now;
        // As the detail does: handling units and grid workers see a confidential case's title without the complainant in it.
        var seesConfidential = CasePolicy.IsDispatchOffice(caller) || caller.IsInRole(Roles.StreetLeader);
        var items = rows.Take(limit).Select(r =>
        {
            var open = r.State is not (CaseState.Closed or CaseState.Voided) && r.CompletedAt is null;
            string? remaining = null;
            if (open && r.CompletionDueAt is { } due)
            {
                var unit = r.CompletionLimitUnit ?? TimeLimitUnit.WorkingHours;
                remaining = TimeLimit.DescribeRemaining(context.Calendar.Remaining(now, due, unit), unit);
            }
            return new CaseSummaryDto(r.Id, r.Number, r.Type, CaseNames.Of(r.Type), r.Channel, CaseNames.Of(r.Channel),
                r.CategoryName ?? "—", r.Urgency, CaseNames.Of(r.Urgency),
                r.IsConfidential && !seesConfidential ? CaseHandlers.Conceal(r.Title, r.ComplainantName)! : r.Title, r.State, CaseNames.Of(r.State), r.CommunityName,
                r.GridName, r.HandlingUnitName, r.ReceivedAt, r.ResponseDueAt, r.CompletionDueAt,
                open && r.CompletionDueAt < now, open && r.CompletionDueAt >= now && r.CompletionDueAt <= context.DueSoonBy,
                r.RepeatClusterId is not null, r.NeedsManualRouting, remaining);
        }).ToList();
        return new CasePage(items, total, next);
    }

    /// <summary>
    /// 待受理、待派单… with how many cases are overdue or due soon in each, in one grouped query (plus the small
    /// type-configuration read). Every count is the total of <see cref="ListAsync"/> with the same inbox (and overdue/dueSoon).
    /// </summary>
    public async Task<IReadOnlyList<InboxCountDto>> InboxCountsAsync(Caller caller, CancellationToken ct)
    {
        var inboxes = CaseInboxes.For(caller);
        if (inboxes.Count == 0)
        {
            return [];
        }
        var context = await FilterContextAsync(needsSteps: true, ct);
        var c = Expression.Parameter(typeof(Case), "c");
        var row = Expression.Lambda<Func<Case, InboxRow>>(Expression.MemberInit(Expression.New(typeof(InboxRow)),
            Expression.Bind(typeof(InboxRow).GetProperty(nameof(InboxRow.Inbox))!, CaseInboxes.Number(inboxes, caller, context.Steps!).Bind(c)),
            Expression.Bind(typeof(InboxRow).GetProperty(nameof(InboxRow.Overdue))!, CaseFilters.Overdue(context.Now).Bind(c)),
            Expression.Bind(typeof(InboxRow).GetProperty(nameof(InboxRow.DueSoon))!, CaseFilters.DueSoon(context.Now, context.DueSoonBy).Bind(c))), c);
        var counts = await Visible(caller).AsNoTracking()
            .Select(row)
            .Where(r => r.Inbox != 0)
            .GroupBy(r => r.Inbox)
            .Select(g => new { Inbox = g.Key, Total = g.Count(), Overdue = g.Count(r => r.Overdue), DueSoon = g.Count(r => r.DueSoon) })
            .ToListAsync(ct);
        return inboxes.Select(inbox =>
        {
            var count = counts.FirstOrDefault(x => x.Inbox == (int)inbox);
            return new InboxCountDto(inbox, CaseInboxes.Name(inbox), CaseInboxes.MainAction(inbox), count?.Total ?? 0, count?.Overdue ?? 0, count?.DueSoon ?? 0);
        }).ToList();
    }

    private sealed class InboxRow
    {
        public int Inbox { get; init; }
        public bool Overdue { get; init; }
        public bool DueSoon { get; init; }
    }

    private sealed record FilterContext(DateTime Now, DateTime DueSoonBy, WorkingCalendar Calendar, CaseTypeSteps? Steps);

    private async Task<FilterContext> FilterContextAsync(bool needsSteps, CancellationToken ct)
    {
        var now = Now();
        var calendar = await calendars.GetAsync(db, ct);
        var steps = needsSteps ? await CaseTypeSteps.LoadAsync(db, ct) : null;
        return new FilterContext(now, calendar.AddWorkingTime(now, CaseDeadlineSweep.DueSoonWorkingTime), calendar, steps);
    }

    private IQueryable<Case> Filter(Caller caller, CaseQuery query, FilterContext context)
    {
        var now = context.Now;
        var cases = Visible(caller).AsNoTracking();
        if (query.Inbox is { } inbox)
        {
            cases = cases.Where(CaseInboxes.Predicate(inbox, caller, context.Steps!));
        }
        if (query.State is { } state)
        {
            cases = cases.Where(c => c.State == state);
        }
        if (query.Type is { } type)
        {
            cases = cases.Where(c => c.Type == type);
        }
        if (query.Channel is { } channel)
        {
            cases = cases.Where(c => c.Channel == channel);
        }
        if (query.CategoryId is { } categoryId)
        {
            cases = cases.Where(c => c.CategoryId == categoryId || db.CaseCategories.Any(k => k.Id == c.CategoryId && k.ParentId == categoryId));
        }
        if (query.UnitId is { } unitId)
        {
            cases = cases.Where(c => c.HandlingUnitId == unitId);
        }
        if (query.GridId is { } gridId)
        {
            cases = cases.Where(c => c.GridId == gridId);
        }
        if (query.CommunityId is { } communityId)
        {
            cases = cases.Where(c => c.CommunityId == communityId);
        }
        if (query.Open is { } open)
        {
            cases = open ? cases.Where(CaseFilters.Open) : cases.Where(c => c.State == CaseState.Closed || c.State == CaseState.Voided);
        }
        if (query.Overdue is { } overdue)
        {
            cases = cases.Where(overdue ? CaseFilters.Overdue(now) : CaseFilters.Overdue(now).Not());
        }
        if (query.DueSoon is { } dueSoon)
        {
            cases = cases.Where(dueSoon ? CaseFilters.DueSoon(now, context.DueSoonBy) : CaseFilters.DueSoon(now, context.DueSoonBy).Not());
        }
        if (query.Repeat is { } repeat)
        {
            cases = repeat ? cases.Where(c => c.RepeatClusterId != null) : cases.Where(c => c.RepeatClusterId == null);
        }
        if (query.RepeatClusterId is { } clusterId)
        {
            cases = cases.Where(c => c.RepeatClusterId == clusterId);
        }
        if (query.Responded is { } responded)
        {
            cases = cases.Where(responded ? CaseFilters.Responded : CaseFilters.Responded.Not());
        }
        if (query.CallbackContact is { } contact)
        {
            cases = cases.Where(c => c.CallbackContact == contact);
        }
        if (query.Resolved is { } resolved)
        {
            cases = cases.Where(c => c.CallbackResolved == resolved);
        }
        if (query.Satisfaction is { } satisfaction)
        {
            cases = cases.Where(c => c.CallbackSatisfaction == satisfaction);
        }
        cases = InPeriod(cases, query.DateBasis ?? CaseDateBasis.Received, query.From is { } from ? ChinaTime.ToUtc(from) : null,
            query.To is { } to ? ChinaTime.ToUtc(to) : null);
        if (Paging.ContainsPattern(query.Text) is { } pattern)
        {
            cases = cases.Where(c => EF.Functions.Like(c.Title, pattern, Paging.LikeEscape)
                || EF.Functions.Like(c.Description, pattern, Paging.LikeEscape)
                || EF.Functions.Like(c.Number, pattern, Paging.LikeEscape));
        }
        return cases;
    }

    private static IQueryable<Case> InPeriod(IQueryable<Case> cases, CaseDateBasis basis, DateTime? from, DateTime? to)
    {
        if (from is null && to is null)
        {
            return cases;
        }
        if (basis == CaseDateBasis.Received)
        {
            if (from is { } receivedFrom)
            {
                cases = cases.Where(c => c.ReceivedAt >= receivedFrom);
            }
            if (to is { } receivedTo)
            {
                cases = cases.Where(c => c.ReceivedAt < receivedTo);
            }
            return cases;
        }
        Expression<Func<Case, DateTime?>> instant = basis switch
        {
            CaseDateBasis.Dispatched => c => c.FirstDispatchedAt,
            CaseDateBasis.Completed => c => c.CompletedAt,
            CaseDateBasis.Closed => c => c.ClosedAt,
            CaseDateBasis.Callback => c => c.CalledBackAt,
            CaseDateBasis.Due => c => c.CompletionDueAt,
            _ => throw ValidationException.For("dateBasis", "时间口径无效。"),
        };
        if (basis == CaseDateBasis.Closed)
        {
            cases = cases.Where(c => c.State == CaseState.Closed);
        }
        var parameter = instant.Parameters[0];
        var value = instant.Body;
        Expression condition = Expression.NotEqual(value, Expression.Constant(null, typeof(DateTime?)));
        if (from is not null)
        {
            condition = Expression.AndAlso(condition, Expression.GreaterThanOrEqual(value, Captured(from)));
        }
        if (to is not null)
        {
            condition = Expression.AndAlso(condition, Expression.LessThan(value, Captured(to)));
        }
        return cases.Where(Expression.Lambda<Func<Case, bool>>(condition, parameter));
    }

    /// <summary>A value as a closure member, so EF sends it as a parameter rather than inlining a literal.</summary>
    private static MemberExpression Captured(DateTime? value) =>
        Expression.Property(Expression.Constant(new StrongBox(value)), nameof(StrongBox.Value));

    private sealed class StrongBox(DateTime? value)
    {
        public DateTime? Value { get; } = value;
    }

    private static IQueryable<Case> Page(IQueryable<Case> cases, CaseSort sort, CaseCursor.Position? after)
    {
        switch (sort)
        {
            case CaseSort.OldestReceived:
                if (after is { Key: { } received, Id: var oldestId })
                {
                    cases = cases.Where(c => c.ReceivedAt > received || c.ReceivedAt == received && c.Id.CompareTo(oldestId) > 0);
                }
                return cases.OrderBy(c => c.ReceivedAt).ThenBy(c => c.Id);
            case CaseSort.DueSoonest:
                if (after is { } position)
                {
                    var key = position.Key;
                    var dueId = position.Id;
                    cases = key is null
                        ? cases.Where(c => c.CompletionDueAt == null && c.Id.CompareTo(dueId) > 0)
                        : cases.Where(c => c.CompletionDueAt > key || c.CompletionDueAt == key && c.Id.CompareTo(dueId) > 0 || c.CompletionDueAt == null);
                }
                return cases.OrderBy(c => c.CompletionDueAt == null).ThenBy(c => c.CompletionDueAt).ThenBy(c => c.Id);
            case CaseSort.RecentlyUpdated:
                if (after is { Key: { } updated, Id: var updatedId })
                {
                    cases = cases.Where(c => c.UpdatedAt < updated || c.UpdatedAt == updated && c.Id.CompareTo(updatedId) < 0);
                }
                return cases.OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id);
            default:
                if (after is { Key: { } newest, Id: var newestId })
                {
                    cases = cases.Where(c => c.ReceivedAt < newest || c.ReceivedAt == newest && c.Id.CompareTo(newestId) < 0);
                }
                return cases.OrderByDescending(c => c.ReceivedAt).ThenByDescending(c => c.Id);
        }
    }
}

/// <summary>The conditions the list, the inbox counts and the dashboard share, so that they count the same cases.</summary>
internal static class CaseFilters
{
    public static readonly Expression<Func<Case, bool>> Open = c => c.State != CaseState.Closed && c.State != CaseState.Voided;

    /// <summary>Accepted and the complainant contacted within the response limit (响应率的分子).</summary>
    public static readonly Expression<Func<Case, bool>> Responded = c =>
        c.ResponseDueAt != null && c.AcceptedAt != null && c.AcceptedAt <= c.ResponseDueAt && c.ContactedAt != null && c.ContactedAt <= c.ResponseDueAt;

    /// <summary>Open, not completed, and past the completion deadline (超期).</summary>
    public static Expression<Func<Case, bool>> Overdue(DateTime now) => c =>
        c.State != CaseState.Closed && c.State != CaseState.Voided && c.CompletedAt == null && c.CompletionDueAt < now;

    /// <summary>Open, not completed, and the completion deadline within the next four working hours (临期).</summary>
    public static Expression<Func<Case, bool>> DueSoon(DateTime now, DateTime dueSoonBy) => c =>
        c.State != CaseState.Closed && c.State != CaseState.Voided && c.CompletedAt == null && c.CompletionDueAt >= now && c.CompletionDueAt <= dueSoonBy;

    public static Expression<Func<Case, bool>> Not(this Expression<Func<Case, bool>> predicate) =>
        Expression.Lambda<Func<Case, bool>>(Expression.Not(predicate.Body), predicate.Parameters);
}

/// <summary>Keyset cursor over (sort key, id), naming its sort; opaque to clients.</summary>
internal static class CaseCursor
{
    internal sealed record Position(DateTime? Key, Guid Id);

    public static string Write(CaseSort sort, DateTime? key, Guid id) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"{(int)sort}:{(key is { } k ? k.Ticks.ToString(CultureInfo.InvariantCulture) : "n")}:{id:N}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Null for the first page; a cursor that is garbled or belongs to another sort is a 400.</summary>
    public static Position? Read(string? cursor, CaseSort sort)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }
        if (Parse(cursor) is not { } parsed)
        {
            throw ValidationException.For("after", "翻页游标无效，请从第一页重新查询。");
        }
        if (parsed.Sort != sort)
        {
            throw ValidationException.For("after", "翻页游标属于另一种排序方式，请从第一页重新查询。");
        }
        return parsed.Position;
    }

    private static (CaseSort Sort, Position Position)? Parse(string cursor)
    {
        if (cursor.Length > 100)
        {
            return null;
        }
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var parts = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split(':');
            // Cursors written before sorts existed were "ticks:id", newest first.
            var (sortText, keyText, idText) = parts.Length switch
            {
                2 => ("1", parts[0], parts[1]),
                3 => (parts[0], parts[1], parts[2]),
                _ => (string.Empty, string.Empty, string.Empty),
            };
            if (!int.TryParse(sortText, NumberStyles.None, CultureInfo.InvariantCulture, out var sortNumber) || !Enum.IsDefined((CaseSort)sortNumber)
                || !Guid.TryParseExact(idText, "N", out var id))
            {
                return null;
            }
            var sort = (CaseSort)sortNumber;
            if (keyText == "n" && sort == CaseSort.DueSoonest)
            {
                return (sort, new Position(null, id));
            }
            if (long.TryParse(keyText, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks is > 0 and < 3155378975999999999)
            {
                return (sort, new Position(new DateTime(ticks, DateTimeKind.Utc), id));
            }
        }
        catch (FormatException)
        {
        }
        return null;
    }
}
