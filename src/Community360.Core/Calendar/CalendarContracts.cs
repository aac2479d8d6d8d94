namespace Community360.Calendar;

/// <summary>
/// One year of the working calendar. <paramref name="Version"/> is null while the year has never been saved
/// (default office hours, no days); send it back with <see cref="CalendarYearInput"/>. <paramref name="CanEdit"/>
/// tells a page whether to offer editing.
/// </summary>
public sealed record CalendarYearDto(int Year, OfficeHoursDto OfficeHours, IReadOnlyList<CalendarDayDto> Days, Guid? Version, bool CanEdit);

public sealed record OfficeHoursDto(
    TimeOnly MorningStart,
    TimeOnly MorningEnd,
    TimeOnly AfternoonStart,
    TimeOnly AfternoonEnd,
    double WorkingHoursPerDay,
    bool IsDefault)
{
    public static OfficeHoursDto From(DailyOfficeHours hours, bool isDefault) => new(
        hours.MorningStart, hours.MorningEnd, hours.AfternoonStart, hours.AfternoonEnd, hours.WorkingTimePerDay.TotalHours, isDefault);
}

public sealed record CalendarDayDto(DateOnly Date, string Weekday, CalendarDayKind Kind, string KindName, string Name)
{
    public static CalendarDayDto From(CalendarDay day) => new(
        day.Date, CalendarDay.WeekdayName(day.Date.DayOfWeek), day.Kind, CalendarDay.DisplayName(day.Kind), day.Name);
}

/// <summary>Replaces a whole year: its office hours and every holiday and adjusted workday (an empty list clears them).</summary>
public sealed record CalendarYearInput(OfficeHoursInput? OfficeHours, IReadOnlyList<CalendarDayInput?>? Days, Guid? Version);

public sealed record OfficeHoursInput(TimeOnly? MorningStart, TimeOnly? MorningEnd, TimeOnly? AfternoonStart, TimeOnly? AfternoonEnd);

public sealed record CalendarDayInput(DateOnly? Date, CalendarDayKind? Kind, string? Name);
