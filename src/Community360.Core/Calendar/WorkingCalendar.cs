using Community360.Common;
using System.Collections.Frozen;

namespace Community360.Calendar;

/// <summary>
/// An immutable snapshot of the working calendar (holidays, adjusted workdays, office hours by year) that turns
/// time limits into deadlines. Pure and thread-safe: build it once, share it, replace it when the calendar is edited.
/// Every instant in and out is UTC; days and office hours are read on the Asia/Shanghai wall clock.
/// A date is a working day if it is an adjusted workday, or a Monday–Friday that is not a holiday.
/// Work is done per office-hour interval and per day (two intervals a day, one hash lookup), never per minute.
/// </summary>
public sealed class WorkingCalendar
{
    private readonly FrozenSet<DateOnly> _holidays;
    private readonly FrozenSet<DateOnly> _adjustedWorkdays;
    private readonly FrozenDictionary<int, DailyOfficeHours> _officeHours;

    public WorkingCalendar(
        IEnumerable<DateOnly> holidays,
        IEnumerable<DateOnly> adjustedWorkdays,
        IReadOnlyDictionary<int, DailyOfficeHours> officeHoursByYear)
    {
        _holidays = holidays.ToFrozenSet();
        _adjustedWorkdays = adjustedWorkdays.ToFrozenSet();
        foreach (var (year, hours) in officeHoursByYear)
        {
            if (!hours.IsOrdered)
            {
                throw new ArgumentException($"The office hours of {year} are not in order: {hours}.", nameof(officeHoursByYear));
            }
        }
        _officeHours = officeHoursByYear.ToFrozenDictionary();
    }

    public static TimeZoneInfo TimeZone => ChinaTime.Zone;

    /// <summary>No holidays, no adjusted workdays, default office hours: Monday–Friday, 09:00–12:00 and 13:30–17:30.</summary>
    public static WorkingCalendar Plain { get; } = new([], [], new Dictionary<int, DailyOfficeHours>());

    public static WorkingCalendar From(IEnumerable<CalendarDay> days, IEnumerable<OfficeHours> officeHours)
    {
        var list = days as IReadOnlyCollection<CalendarDay> ?? days.ToList();
        return new WorkingCalendar(
            list.Where(d => d.Kind == CalendarDayKind.Holiday).Select(d => d.Date),
            list.Where(d => d.Kind == CalendarDayKind.AdjustedWorkday).Select(d => d.Date),
            officeHours.ToDictionary(o => o.Year, o => o.Schedule));
    }

    public IReadOnlySet<DateOnly> Holidays => _holidays;

    public IReadOnlySet<DateOnly> AdjustedWorkdays => _adjustedWorkdays;

    public DailyOfficeHours OfficeHoursFor(int year) =>
        _officeHours.TryGetValue(year, out var hours) ? hours : DailyOfficeHours.Default;

    public bool IsWorkingDay(DateOnly date) =>
        _adjustedWorkdays.Contains(date)
        || date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !_holidays.Contains(date);

    /// <summary>
    /// The instant at which <paramref name="workingTime"/> of office time has passed since <paramref name="startUtc"/>.
    /// A start outside office hours (evening, lunch, weekend, holiday) counts from the next opening; a span that ends
    /// exactly at a closing returns that closing. Zero returns the start unchanged.
    /// </summary>
    public DateTime AddWorkingTime(DateTime startUtc, TimeSpan workingTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workingTime, TimeSpan.Zero);
        var start = AsUtc(startUtc);
        if (workingTime == TimeSpan.Zero)
        {
            return start;
        }
        var local = ToLocal(start);
        var date = DateOnly.FromDateTime(local);
        var cursor = local.TimeOfDay;
        var remaining = workingTime;
        while (true)
        {
            if (IsWorkingDay(date))
            {
                var hours = OfficeHoursFor(date.Year);
                var midnight = date.ToDateTime(TimeOnly.MinValue);
                for (var sitting = 0; sitting < 2; sitting++)
                {
                    var (open, close) = Sitting(hours, sitting);
                    if (cursor >= close)
                    {
                        continue;
                    }
                    var from = cursor > open ? cursor : open;
                    var available = close - from;
                    if (remaining <= available)
                    {
                        return ToUtc(midnight + from + remaining);
                    }
                    remaining -= available;
                }
            }
            date = date.AddDays(1);
            cursor = TimeSpan.Zero;
        }
    }

    /// <summary>Office time between two instants; negative when <paramref name="toUtc"/> is before <paramref name="fromUtc"/>.</summary>
    public TimeSpan WorkingTimeBetween(DateTime fromUtc, DateTime toUtc)
    {
        var from = AsUtc(fromUtc);
        var to = AsUtc(toUtc);
        if (to < from)
        {
            return -WorkingTimeBetween(to, from);
        }
        var a = ToLocal(from);
        var b = ToLocal(to);
        var total = TimeSpan.Zero;
        var last = DateOnly.FromDateTime(b);
        for (var date = DateOnly.FromDateTime(a); date <= last; date = date.AddDays(1))
        {
            if (!IsWorkingDay(date))
            {
                continue;
            }
            var midnight = date.ToDateTime(TimeOnly.MinValue);
            var hours = OfficeHoursFor(date.Year);
            for (var sitting = 0; sitting < 2; sitting++)
            {
                var (open, close) = Sitting(hours, sitting);
                var start = a > midnight + open ? a : midnight + open;
                var end = b < midnight + close ? b : midnight + close;
                if (end > start)
                {
                    total += end - start;
                }
            }
        }
        return total;
    }

    /// <summary>
    /// The deadline of <paramref name="limit"/> for a case received at <paramref name="startUtc"/>:
    /// <list type="bullet">
    /// <item>WorkingHours: <see cref="AddWorkingTime"/> — a case received outside office hours starts at the next opening.</item>
    /// <item>NaturalHours: start plus that many hours of wall-clock time, nights, weekends and holidays included
    /// (urgent cases count natural time).</item>
    /// <item>WorkingDays N: the close of office hours (afternoon end) on the N-th working day strictly after the local
    /// (Asia/Shanghai) date of receipt. The day of receipt is never counted, whatever the hour (受理次日起算): a case
    /// received on Friday at 10:00 with 1 working day is due on the next working day at 17:30.</item>
    /// </list>
    /// </summary>
    public DateTime Due(DateTime startUtc, TimeLimit limit)
    {
        if (!limit.IsValid)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The time limit must be 1..10000 of a known unit.");
        }
        switch (limit.Unit)
        {
            case TimeLimitUnit.WorkingHours:
                return AddWorkingTime(startUtc, TimeSpan.FromHours(limit.Value));
            case TimeLimitUnit.NaturalHours:
                return AsUtc(startUtc).AddHours(limit.Value);
            default:
                var date = DateOnly.FromDateTime(ToLocal(AsUtc(startUtc)));
                for (var counted = 0; counted < limit.Value;)
                {
                    date = date.AddDays(1);
                    if (IsWorkingDay(date))
                    {
                        counted++;
                    }
                }
                return ToUtc(date.ToDateTime(OfficeHoursFor(date.Year).AfternoonEnd));
        }
    }

    /// <summary>
    /// A suspension (挂起) stops the clock: the deadline moves by the office time that passed while suspended
    /// (working-time units), or by the suspension's wall-clock length (natural hours).
    /// </summary>
    public DateTime ExtendForPause(DateTime dueUtc, DateTime pausedAtUtc, DateTime resumedAtUtc, TimeLimitUnit unit)
    {
        var due = AsUtc(dueUtc);
        var paused = AsUtc(pausedAtUtc);
        var resumed = AsUtc(resumedAtUtc);
        if (resumed <= paused)
        {
            return due;
        }
        return unit == TimeLimitUnit.NaturalHours
            ? due + (resumed - paused)
            : AddWorkingTime(due, WorkingTimeBetween(paused, resumed));
    }

    /// <summary>
    /// Office time (or, for natural hours, wall-clock time) left until <paramref name="dueUtc"/>, for "剩余 3.5 工作小时".
    /// Negative when overdue — strictly, even when no office time has passed since the deadline (overdue since Friday
    /// 17:30, looked at on Saturday, is one tick below zero), so <c>&lt; TimeSpan.Zero</c> always means overdue.
    /// </summary>
    public TimeSpan Remaining(DateTime nowUtc, DateTime dueUtc, TimeLimitUnit unit)
    {
        var now = AsUtc(nowUtc);
        var due = AsUtc(dueUtc);
        if (unit == TimeLimitUnit.NaturalHours)
        {
            return due - now;
        }
        var left = WorkingTimeBetween(now, due);
        return now > due && left == TimeSpan.Zero ? -TimeSpan.FromTicks(1) : left;
    }

    /// <summary>The Asia/Shanghai wall-clock time of a UTC instant.</summary>
    public static DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(AsUtc(utc), TimeZone);

    /// <summary>The UTC instant of an Asia/Shanghai wall-clock time.</summary>
    public static DateTime ToUtc(DateTime local) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), TimeZone);

    private static DateTime AsUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        // Read back from a database without its kind; instants are stored as UTC.
        DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        _ => throw new ArgumentException("Instants must be UTC, not the server's local time.", nameof(value)),
    };

    private static (TimeSpan Open, TimeSpan Close) Sitting(DailyOfficeHours hours, int index) => index == 0
        ? (hours.MorningStart.ToTimeSpan(), hours.MorningEnd.ToTimeSpan())
        : (hours.AfternoonStart.ToTimeSpan(), hours.AfternoonEnd.ToTimeSpan());
}
