using Community360.Auditing;
using Community360.Calendar;
using Community360.Data;
using Microsoft.EntityFrameworkCore;

namespace Community360.Cases;

public sealed record DeadlineSweepResult(int DueSoon, int Overdue, bool Skipped);

/// <summary>
/// Marks open cases whose deadline is near (临期) or past (超期), once per deadline, with a timeline event that is the
/// supervision notice. Several app nodes may sweep at once: on PostgreSQL one takes a transaction-level advisory lock
/// and the others skip; on any database a case's version token makes a second mark of the same case impossible.
/// </summary>
public sealed class CaseDeadlineSweep(AppDbContext db, WorkingCalendarProvider calendars)
{
    /// <summary>
    /// "Due soon" is the last four working hours, or the last quarter of the time given, whichever is shorter: a
    /// four-hour elder alert is not "due soon" the moment it is dispatched.
    /// </summary>
    public static readonly TimeSpan DueSoonWorkingTime = TimeSpan.FromHours(4);
    private const int BatchSize = 500;

    public async Task<DeadlineSweepResult> RunAsync(CancellationToken ct)
    {
        var now = AuditChain.Truncate(db.Clock.GetUtcNow().UtcDateTime);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (db.Database.IsNpgsql()
            && !(await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock(360360002) AS \"Value\"").ToListAsync(ct))[0])
        {
            return new DeadlineSweepResult(0, 0, Skipped: true);
        }
        var calendar = await calendars.GetAsync(db, ct);
        var horizon = calendar.AddWorkingTime(now, DueSoonWorkingTime);
        var candidates = await db.Cases
            .Where(c => c.State != CaseState.Closed && c.State != CaseState.Voided && c.State != CaseState.Suspended && c.CompletedAt == null
                && c.CompletionDueAt != null && c.CompletionDueAt <= horizon
                && (c.OverdueNotifiedAt == null || c.DueSoonNotifiedAt == null && c.CompletionDueAt > now))
            .OrderBy(c => c.CompletionDueAt)
            .Take(BatchSize)
            .ToListAsync(ct);
        int dueSoon = 0, overdue = 0;
        foreach (var @case in candidates)
        {
            if (@case.CompletionDueAt <= now)
            {
                overdue += @case.MarkOverdue(now, "办理时限") ? 1 : 0;
            }
            else if (IsDueSoon(calendar, @case, now))
            {
                dueSoon += @case.MarkDueSoon(now, "办理时限") ? 1 : 0;
            }
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(CancellationToken.None);
        return new DeadlineSweepResult(dueSoon, overdue, Skipped: false);
    }

    private static bool IsDueSoon(WorkingCalendar calendar, Case @case, DateTime now)
    {
        var unit = @case.CompletionLimitUnit ?? TimeLimitUnit.WorkingHours;
        var due = @case.CompletionDueAt!.Value;
        var given = calendar.Remaining(@case.FirstDispatchedAt ?? @case.ReceivedAt, due, unit);
        var threshold = TimeSpan.FromTicks(Math.Min(DueSoonWorkingTime.Ticks, given.Ticks / 4));
        return calendar.Remaining(now, due, unit) <= threshold;
    }
}
