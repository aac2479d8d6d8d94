using Community360.Common;

namespace Community360.Calendar;

/// <summary>The office hours of one year (Asia/Shanghai wall clock); a year without a row uses <see cref="DailyOfficeHours.Default"/>.</summary>
public sealed class OfficeHours : IVersioned, ITimestamped
{
    public required int Year { get; init; }
    public TimeOnly MorningStart { get; set; }
    public TimeOnly MorningEnd { get; set; }
    public TimeOnly AfternoonStart { get; set; }
    public TimeOnly AfternoonEnd { get; set; }
    public Guid Version { get; set; } = Guid.NewGuid();
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public DailyOfficeHours Schedule => new(MorningStart, MorningEnd, AfternoonStart, AfternoonEnd);

    public void Apply(DailyOfficeHours schedule)
    {
        MorningStart = schedule.MorningStart;
        MorningEnd = schedule.MorningEnd;
        AfternoonStart = schedule.AfternoonStart;
        AfternoonEnd = schedule.AfternoonEnd;
    }
}

/// <summary>
/// A working day's two sittings, morning and afternoon. Valid when
/// MorningStart &lt; MorningEnd ≤ AfternoonStart &lt; AfternoonEnd (no lunch break when the middle two are equal).
/// </summary>
public readonly record struct DailyOfficeHours(TimeOnly MorningStart, TimeOnly MorningEnd, TimeOnly AfternoonStart, TimeOnly AfternoonEnd)
{
    /// <summary>09:00–12:00 and 13:30–17:30, the usual hours of a street office.</summary>
    public static DailyOfficeHours Default { get; } = new(new TimeOnly(9, 0), new TimeOnly(12, 0), new TimeOnly(13, 30), new TimeOnly(17, 30));

    public bool IsOrdered => MorningStart < MorningEnd && MorningEnd <= AfternoonStart && AfternoonStart < AfternoonEnd;

    public TimeSpan WorkingTimePerDay => (MorningEnd - MorningStart) + (AfternoonEnd - AfternoonStart);
}
