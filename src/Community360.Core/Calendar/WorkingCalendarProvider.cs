using Community360.Data;
using Microsoft.EntityFrameworkCore;

namespace Community360.Calendar;

/// <summary>
/// Keeps one <see cref="WorkingCalendar"/> snapshot for the whole process (register as a singleton). Edits on this
/// node call <see cref="Invalidate"/>; the snapshot also expires after <see cref="MaxAge"/>, so that nodes behind a
/// load balancer pick up an edit made on another node.
/// </summary>
public sealed class WorkingCalendarProvider(TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly Lock _lock = new();
    private Snapshot? _current;
    private long _generation;

    public async Task<WorkingCalendar> GetAsync(AppDbContext db, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var current = Volatile.Read(ref _current);
        if (current is not null && now - current.LoadedAt < MaxAge)
        {
            return current.Calendar;
        }
        long generation;
        lock (_lock)
        {
            generation = _generation;
        }
        var days = await db.Set<CalendarDay>().AsNoTracking().ToListAsync(ct);
        var hours = await db.Set<OfficeHours>().AsNoTracking().ToListAsync(ct);
        var calendar = WorkingCalendar.From(days, hours);
        lock (_lock)
        {
            // An edit that landed while we were reading must not be hidden behind the older snapshot we read.
            if (_generation == generation)
            {
                Volatile.Write(ref _current, new Snapshot(calendar, now));
            }
        }
        return calendar;
    }

    public void Invalidate()
    {
        lock (_lock)
        {
            _generation++;
            Volatile.Write(ref _current, null);
        }
    }

    private sealed record Snapshot(WorkingCalendar Calendar, DateTimeOffset LoadedAt);
}
