using System.Globalization;
using Community360.Common;

namespace Community360.Calendar;

/// <summary>How a time limit is counted: on the working calendar, or on the wall clock (urgent cases).</summary>
public enum TimeLimitUnit
{
    WorkingHours = 1,
    WorkingDays = 2,
    NaturalHours = 3,
}

/// <summary>A time limit (办理时限) such as "4 个工作小时"; <see cref="WorkingCalendar.Due"/> turns it into a deadline.</summary>
public readonly record struct TimeLimit(int Value, TimeLimitUnit Unit)
{
    public const int MinValue = 1;
    public const int MaxValue = 10000;

    public static TimeLimit WorkingHours(int value) => new(value, TimeLimitUnit.WorkingHours);

    public static TimeLimit WorkingDays(int value) => new(value, TimeLimitUnit.WorkingDays);

    public static TimeLimit NaturalHours(int value) => new(value, TimeLimitUnit.NaturalHours);

    public bool IsValid => Value is >= MinValue and <= MaxValue && Enum.IsDefined(Unit);

    public string DisplayName => Unit switch
    {
        TimeLimitUnit.WorkingHours => string.Create(CultureInfo.InvariantCulture, $"{Value} 个工作小时"),
        TimeLimitUnit.WorkingDays => string.Create(CultureInfo.InvariantCulture, $"{Value} 个工作日"),
        TimeLimitUnit.NaturalHours => string.Create(CultureInfo.InvariantCulture, $"{Value} 小时（自然时）"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Value}"),
    };

    public override string ToString() => DisplayName;

    public static string UnitName(TimeLimitUnit unit) => unit switch
    {
        TimeLimitUnit.WorkingHours => "工作小时",
        TimeLimitUnit.WorkingDays => "工作日",
        TimeLimitUnit.NaturalHours => "自然小时",
        _ => unit.ToString(),
    };

    /// <summary>
    /// Reads a limit from a form: value required and 1..10000, unit required and known. Errors are keyed
    /// "{field}.value" and "{field}.unit"; the result is meaningful only when no error was added.
    /// </summary>
    public static TimeLimit Read(FieldErrors errors, string field, string label, int? value, TimeLimitUnit? unit)
    {
        var checkedUnit = errors.Enum($"{field}.unit", $"{label}的计时方式", unit);
        if (value is null)
        {
            errors.Add($"{field}.value", $"请填写{label}。");
            return new TimeLimit(0, checkedUnit);
        }
        errors.Range($"{field}.value", label, value, MinValue, MaxValue);
        return new TimeLimit(value.Value, checkedUnit);
    }

    /// <summary>
    /// "剩余 3.5 工作小时" / "已超期 2 工作小时": what a case list shows beside the deadline, from
    /// <see cref="WorkingCalendar.Remaining"/>. Working-day limits are shown in working hours too.
    /// </summary>
    public static string DescribeRemaining(TimeSpan remaining, TimeLimitUnit unit)
    {
        var hoursUnit = unit == TimeLimitUnit.NaturalHours ? "小时" : "工作小时";
        var hours = Math.Round(Math.Abs(remaining.TotalHours), 1, MidpointRounding.AwayFromZero);
        var text = hours.ToString("0.#", CultureInfo.InvariantCulture);
        return remaining < TimeSpan.Zero ? $"已超期 {text} {hoursUnit}" : $"剩余 {text} {hoursUnit}";
    }
}
