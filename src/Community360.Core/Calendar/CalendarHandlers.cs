using System.Globalization;
using Community360.Common;
using Community360.Data;
using Community360.Identity;
using Microsoft.EntityFrameworkCore;

namespace Community360.Calendar;

/// <summary>Reads and replaces one year of the working calendar. Any staff member may read; only system administrators edit.</summary>
public sealed class CalendarHandlers(AppDbContext db, WorkingCalendarProvider provider)
{
    private const string What = "工作日历";
    public const int MinYear = 2000;
    public const int MaxYear = 2100;

    public async Task<CalendarYearDto> GetYearAsync(Caller caller, int year, CancellationToken ct)
    {
        CheckYear(year);
        var (first, last) = Bounds(year);
        var days = await db.Set<CalendarDay>().AsNoTracking()
            .Where(d => d.Date >= first && d.Date <= last)
            .OrderBy(d => d.Date)
            .ToListAsync(ct);
        var hours = await db.Set<OfficeHours>().AsNoTracking().FirstOrDefaultAsync(o => o.Year == year, ct);
        return ToDto(caller, year, hours, days);
    }

    /// <summary>
    /// Replaces the year's office hours and its whole list of holidays and adjusted workdays in one save. Rows are
    /// matched by date, so the audit trail shows exactly which days were added, changed and removed.
    /// </summary>
    public async Task<CalendarYearDto> ReplaceYearAsync(Caller caller, int year, CalendarYearInput input, CancellationToken ct)
    {
        if (!caller.Has(Permission.ManageOrganization))
        {
            throw new ForbiddenException("只有系统管理员可以维护工作日历。");
        }
        CheckYear(year);
        var errors = new FieldErrors();
        var schedule = ValidateOfficeHours(errors, input.OfficeHours);
        var wanted = ValidateDays(errors, year, input.Days);
        errors.ThrowIfAny();

        var hours = await db.Set<OfficeHours>().FirstOrDefaultAsync(o => o.Year == year, ct);
        if (hours is null)
        {
            // Two first saves of the same year race on the primary key; the loser gets a 409.
            hours = new OfficeHours { Year = year };
            db.Set<OfficeHours>().Add(hours);
        }
        else
        {
            db.ExpectVersion(hours, input.Version, What);
            // The row's version stands for the whole year, so it changes even when only days changed.
            hours.Version = Guid.NewGuid();
        }
        hours.Apply(schedule);

        var (first, last) = Bounds(year);
        var existing = (await db.Set<CalendarDay>().Where(d => d.Date >= first && d.Date <= last).ToListAsync(ct))
            .ToDictionary(d => d.Date);
        foreach (var day in wanted)
        {
            if (existing.Remove(day.Date, out var row))
            {
                row.Kind = day.Kind;
                row.Name = day.Name;
            }
            else
            {
                db.Set<CalendarDay>().Add(new CalendarDay { Date = day.Date, Kind = day.Kind, Name = day.Name });
            }
        }
        db.Set<CalendarDay>().RemoveRange(existing.Values);
        await db.SaveChangesAsync(ct);
        provider.Invalidate();

        return ToDto(caller, year, hours, wanted.Select(d => new CalendarDay { Date = d.Date, Kind = d.Kind, Name = d.Name }).ToList());
    }

    private static void CheckYear(int year)
    {
        var errors = new FieldErrors();
        errors.Range("year", "年份", year, MinYear, MaxYear);
        errors.ThrowIfAny();
    }

    private static (DateOnly First, DateOnly Last) Bounds(int year) => (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));

    private static CalendarYearDto ToDto(Caller caller, int year, OfficeHours? hours, IReadOnlyList<CalendarDay> days) => new(
        year,
        OfficeHoursDto.From(hours?.Schedule ?? DailyOfficeHours.Default, isDefault: hours is null),
        days.Select(CalendarDayDto.From).ToList(),
        hours?.Version,
        caller.Has(Permission.ManageOrganization));

    private static DailyOfficeHours ValidateOfficeHours(FieldErrors errors, OfficeHoursInput? input)
    {
        if (input is null)
        {
            errors.Add("officeHours", "请填写办公时间。");
            return default;
        }
        var morningStart = Time(errors, "officeHours.morningStart", "上午上班时间", input.MorningStart);
        var morningEnd = Time(errors, "officeHours.morningEnd", "上午下班时间", input.MorningEnd);
        var afternoonStart = Time(errors, "officeHours.afternoonStart", "下午上班时间", input.AfternoonStart);
        var afternoonEnd = Time(errors, "officeHours.afternoonEnd", "下午下班时间", input.AfternoonEnd);
        if (morningStart is null || morningEnd is null || afternoonStart is null || afternoonEnd is null)
        {
            return default;
        }
        if (morningEnd <= morningStart)
        {
            errors.Add("officeHours.morningEnd", "上午下班时间应晚于上午上班时间。");
        }
        if (afternoonStart < morningEnd)
        {
            errors.Add("officeHours.afternoonStart", "下午上班时间不能早于上午下班时间。");
        }
        if (afternoonEnd <= afternoonStart)
        {
            errors.Add("officeHours.afternoonEnd", "下午下班时间应晚于下午上班时间。");
        }
        return new DailyOfficeHours(morningStart.Value, morningEnd.Value, afternoonStart.Value, afternoonEnd.Value);
    }

    private static TimeOnly? Time(FieldErrors errors, string field, string label, TimeOnly? value)
    {
        if (value is null)
        {
            errors.Add(field, $"请填写{label}。");
            return null;
        }
        if (value.Value.Second != 0 || value.Value.Millisecond != 0 || value.Value.Microsecond != 0 || value.Value.Nanosecond != 0)
        {
            errors.Add(field, $"{label}请精确到分钟，例如 09:00。");
            return null;
        }
        return value;
    }

    private static List<ValidDay> ValidateDays(FieldErrors errors, int year, IReadOnlyList<CalendarDayInput?>? days)
    {
        var valid = new List<ValidDay>();
        if (days is null)
        {
            errors.Add("days", "请提供节假日和调休上班日列表；没有时请提交空列表。");
            return valid;
        }
        if (days.Count > 366)
        {
            errors.Add("days", string.Create(CultureInfo.InvariantCulture, $"一年最多 366 天，当前提交了 {days.Count} 条。"));
            return valid;
        }
        var seen = new Dictionary<DateOnly, int>();
        for (var i = 0; i < days.Count; i++)
        {
            var field = string.Create(CultureInfo.InvariantCulture, $"days[{i}]");
            var day = days[i];
            if (day is null)
            {
                errors.Add(field, "该条内容为空。");
                continue;
            }
            var date = errors.Required($"{field}.date", "日期", day.Date);
            var kind = errors.Enum($"{field}.kind", "类型（节假日或调休上班）", day.Kind);
            var name = errors.Text($"{field}.name", "名称", day.Name, CalendarDay.NameMax);
            if (day.Date is null)
            {
                continue;
            }
            var text = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (date.Year != year)
            {
                errors.Add($"{field}.date", string.Create(CultureInfo.InvariantCulture, $"日期 {text} 不在 {year} 年内。"));
            }
            else if (seen.TryGetValue(date, out var earlier))
            {
                errors.Add($"{field}.date", string.Create(CultureInfo.InvariantCulture, $"日期 {text} 重复，与第 {earlier + 1} 条相同。"));
            }
            else
            {
                seen[date] = i;
            }
            if (day.Kind == CalendarDayKind.AdjustedWorkday && date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                errors.Add($"{field}.date", $"调休上班日应为周六或周日，{text} 是{CalendarDay.WeekdayName(date.DayOfWeek)}。");
            }
            valid.Add(new ValidDay(date, kind, name));
        }
        valid.Sort((a, b) => a.Date.CompareTo(b.Date));
        return valid;
    }

    private sealed record ValidDay(DateOnly Date, CalendarDayKind Kind, string Name);
}
