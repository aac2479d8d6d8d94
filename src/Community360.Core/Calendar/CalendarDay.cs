using Community360.Common;

namespace Community360.Calendar;

public enum CalendarDayKind
{
    /// <summary>A day off (法定节假日), weekend days inside a holiday block included.</summary>
    Holiday = 1,

    /// <summary>A Saturday or Sunday that is worked to make up for a holiday (调休上班).</summary>
    AdjustedWorkday = 2,
}

/// <summary>
/// A date that departs from the ordinary week: a holiday or an adjusted workday. Every other Monday–Friday is a
/// working day and every other Saturday and Sunday a rest day, so only the exceptions are stored.
/// </summary>
public sealed class CalendarDay : IVersioned, ITimestamped
{
    public required DateOnly Date { get; init; }
    public required CalendarDayKind Kind { get; set; }
    public required string Name { get; set; }
    public Guid Version { get; set; } = Guid.NewGuid();
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public const int NameMax = 20;

    public static string DisplayName(CalendarDayKind kind) => kind switch
    {
        CalendarDayKind.Holiday => "节假日",
        CalendarDayKind.AdjustedWorkday => "调休上班",
        _ => kind.ToString(),
    };

    public static string WeekdayName(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => "星期一",
        DayOfWeek.Tuesday => "星期二",
        DayOfWeek.Wednesday => "星期三",
        DayOfWeek.Thursday => "星期四",
        DayOfWeek.Friday => "星期五",
        DayOfWeek.Saturday => "星期六",
        DayOfWeek.Sunday => "星期日",
        _ => day.ToString(),
    };
}
