using Community360.Calendar;
using Community360.Common;

namespace Community360.Tests.Calendar;

/// <summary>
/// The working calendar on the official 2026 arrangement, loaded the way the seeder loads it. Expected values are
/// worked out by hand: office hours 09:00–12:00 and 13:30–17:30 (7 working hours a day), Asia/Shanghai = UTC+8.
/// 2026 weekdays used below: 01-01 Thu, 02-13 Fri, 02-14 Sat (adjusted workday), 02-15..02-23 Spring Festival,
/// 02-24 Tue, 03-06 Fri, 03-09 Mon, 09-30 Wed, 10-01..10-07 National Day, 10-08 Thu, 10-10 Sat (adjusted), 12-31 Thu.
/// </summary>
public sealed class WorkingCalendarTests
{
    private static readonly WorkingCalendar Calendar2026 = WorkingCalendar.From(OfficialHolidays.Load(2026), []);

    /// <summary>A Beijing wall-clock time as the UTC instant the API works with (UTC+8, no DST).</summary>
    private static DateTime Local(int month, int day, int hour, int minute = 0, int year = 2026) =>
        new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Utc).AddHours(-8);

    [Fact]
    public void The_official_2026_file_has_33_holidays_and_6_adjusted_workdays()
    {
        var days = OfficialHolidays.Load(2026);

        Assert.Contains(2026, OfficialHolidays.Years);
        Assert.Equal(33, days.Count(d => d.Kind == CalendarDayKind.Holiday));
        Assert.Equal(6, days.Count(d => d.Kind == CalendarDayKind.AdjustedWorkday));
        Assert.Equal("春节", days.Single(d => d.Date == new DateOnly(2026, 2, 17)).Name);
        Assert.Equal("调休上班", days.Single(d => d.Date == new DateOnly(2026, 2, 14)).Name);
    }

    [Fact]
    public void Two_working_days_across_the_spring_festival_end_on_24_february_at_close()
    {
        // Received Fri 02-13 10:00; the day of receipt is not counted. 1st working day: Sat 02-14 (调休上班);
        // 02-15..02-23 are holidays; 2nd working day: Tue 02-24. Due at its close, 17:30.
        var due = Calendar2026.Due(Local(2, 13, 10), TimeLimit.WorkingDays(2));

        Assert.Equal(Local(2, 24, 17, 30), due);
        Assert.Equal(DateTimeKind.Utc, due.Kind);
    }

    [Fact]
    public void Working_hours_across_the_spring_festival_use_the_adjusted_saturday()
    {
        // 02-13 16:00 → 17:30 is 1.5 h (6.5 h left); Sat 02-14 09:00–12:00 is 3 h (3.5 h left); 13:30 + 3.5 h = 17:00.
        Assert.Equal(Local(2, 14, 17), Calendar2026.Due(Local(2, 13, 16), TimeLimit.WorkingHours(8)));
        // 16 h: 1.5 h on 02-13, 7 h on 02-14 (7.5 h left), holidays to 02-23, 7 h on 02-24 (0.5 h left), 02-25 09:30.
        Assert.Equal(Local(2, 25, 9, 30), Calendar2026.Due(Local(2, 13, 16), TimeLimit.WorkingHours(16)));
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(2, 14)]
    [InlineData(2, 28)]
    [InlineData(5, 9)]
    [InlineData(9, 20)]
    [InlineData(10, 10)]
    public void Adjusted_weekend_days_are_working_days(int month, int day)
    {
        var date = new DateOnly(2026, month, day);

        Assert.True(date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
        Assert.True(Calendar2026.IsWorkingDay(date));
    }

    [Theory]
    [InlineData(2, 7, false)]  // an ordinary Saturday
    [InlineData(2, 8, false)]  // an ordinary Sunday
    [InlineData(2, 16, false)] // Monday inside the Spring Festival
    [InlineData(1, 1, false)]  // Thursday, 元旦
    [InlineData(1, 5, true)]   // an ordinary Monday
    [InlineData(2, 24, true)]  // first Tuesday after the Spring Festival
    public void Ordinary_weeks_and_holidays(int month, int day, bool working) =>
        Assert.Equal(working, Calendar2026.IsWorkingDay(new DateOnly(2026, month, day)));

    [Fact]
    public void National_day_is_skipped()
    {
        for (var day = 1; day <= 7; day++)
        {
            Assert.False(Calendar2026.IsWorkingDay(new DateOnly(2026, 10, day)));
        }
        // Received Wed 09-30 15:00, 3 working days: 10-08 (Thu), 10-09 (Fri), 10-10 (Sat, 调休上班) → 10-10 17:30.
        Assert.Equal(Local(10, 10, 17, 30), Calendar2026.Due(Local(9, 30, 15), TimeLimit.WorkingDays(3)));
        // 09-30 17:00 + 4 h: 0.5 h on 09-30, then 10-08 09:00–12:00 (0.5 h left) → 10-08 14:00.
        Assert.Equal(Local(10, 8, 14), Calendar2026.Due(Local(9, 30, 17), TimeLimit.WorkingHours(4)));
    }

    [Fact]
    public void Working_days_count_from_the_day_after_receipt_whatever_the_hour()
    {
        // Saturday 03-07 is not a working day, but it is the day of receipt: Mon 03-09 is the 1st working day.
        Assert.Equal(Local(3, 9, 17, 30), Calendar2026.Due(Local(3, 7, 11), TimeLimit.WorkingDays(1)));
        // Fri 03-06 at 08:00 (before opening) and at 23:00 (after closing) are both due Mon 03-09 17:30.
        Assert.Equal(Local(3, 9, 17, 30), Calendar2026.Due(Local(3, 6, 8), TimeLimit.WorkingDays(1)));
        Assert.Equal(Local(3, 9, 17, 30), Calendar2026.Due(Local(3, 6, 23), TimeLimit.WorkingDays(1)));
        // 00:30 Beijing time on 03-06 is still 03-05 in UTC; the local date (03-06, Friday) is what counts.
        Assert.Equal(Local(3, 9, 17, 30), Calendar2026.Due(Local(3, 6, 0, 30), TimeLimit.WorkingDays(1)));
    }

    [Fact]
    public void A_suspension_over_a_weekend_moves_the_deadline_only_by_the_working_time_suspended()
    {
        // Suspended Fri 03-06 16:00, resumed Mon 03-09 10:00: 1.5 h (Fri) + 0 (weekend) + 1 h (Mon) = 2.5 h.
        // Due Tue 03-10 11:00 + 2.5 h: 11:00–12:00 is 1 h, 13:30 + 1.5 h = 15:00.
        var due = Local(3, 10, 11);
        var paused = Local(3, 6, 16);
        var resumed = Local(3, 9, 10);

        Assert.Equal(TimeSpan.FromHours(2.5), Calendar2026.WorkingTimeBetween(paused, resumed));
        Assert.Equal(Local(3, 10, 15), Calendar2026.ExtendForPause(due, paused, resumed, TimeLimitUnit.WorkingHours));
        Assert.Equal(Local(3, 10, 15), Calendar2026.ExtendForPause(due, paused, resumed, TimeLimitUnit.WorkingDays));
        // Natural hours: Fri 16:00 → Mon 10:00 is 66 h of wall-clock time.
        Assert.Equal(due.AddHours(66), Calendar2026.ExtendForPause(due, paused, resumed, TimeLimitUnit.NaturalHours));
        // Suspended only over the weekend: no working time passed, the deadline stays.
        Assert.Equal(due, Calendar2026.ExtendForPause(due, Local(3, 7, 9), Local(3, 8, 20), TimeLimitUnit.WorkingHours));
        Assert.Equal(due, Calendar2026.ExtendForPause(due, resumed, paused, TimeLimitUnit.WorkingHours));
    }

    [Theory]
    // Received Mon 03-09 with 4 working hours:
    [InlineData(17, 29, 10, 14, 29)] // 1 min today, 3 h 59 min tomorrow: 09:00–12:00, 13:30 + 59 min
    [InlineData(17, 31, 10, 14, 30)] // after closing: tomorrow 09:00–12:00 and 13:30–14:30
    [InlineData(17, 30, 10, 14, 30)] // exactly at closing: nothing left today
    [InlineData(8, 0, 9, 14, 30)]    // before opening: 09:00–12:00, 13:30–14:30
    [InlineData(12, 45, 9, 17, 30)]  // during lunch: starts 13:30, 4 h to the close
    [InlineData(10, 0, 9, 15, 30)]   // 10:00–12:00 is 2 h, 13:30 + 2 h
    public void Four_working_hours_from_different_times_of_day(int hour, int minute, int dueDay, int dueHour, int dueMinute) =>
        Assert.Equal(Local(3, dueDay, dueHour, dueMinute), Calendar2026.Due(Local(3, 9, hour, minute), TimeLimit.WorkingHours(4)));

    [Fact]
    public void A_span_that_ends_at_a_closing_returns_that_closing()
    {
        // 09:00 + 3 h ends exactly at 12:00, not at the 13:30 reopening.
        Assert.Equal(Local(3, 9, 12), Calendar2026.AddWorkingTime(Local(3, 9, 9), TimeSpan.FromHours(3)));
        Assert.Equal(Local(3, 9, 17, 30), Calendar2026.AddWorkingTime(Local(3, 9, 9), TimeSpan.FromHours(7)));
        // Zero leaves the start where it is, even outside office hours.
        Assert.Equal(Local(3, 7, 3), Calendar2026.AddWorkingTime(Local(3, 7, 3), TimeSpan.Zero));
    }

    [Fact]
    public void Natural_hours_ignore_holidays_nights_and_weekends()
    {
        Assert.Equal(Local(10, 1, 10), Calendar2026.Due(Local(10, 1, 8), TimeLimit.NaturalHours(2)));
        Assert.Equal(Local(2, 17, 20), Calendar2026.Due(Local(2, 16, 20), TimeLimit.NaturalHours(24)));
    }

    [Fact]
    public void Working_time_between_two_instants()
    {
        // 02-13 10:00 → 02-24 10:00: 02-13 2 h + 4 h, 02-14 7 h, holidays, 02-24 1 h = 14 h.
        Assert.Equal(TimeSpan.FromHours(14), Calendar2026.WorkingTimeBetween(Local(2, 13, 10), Local(2, 24, 10)));
        Assert.Equal(TimeSpan.FromHours(-14), Calendar2026.WorkingTimeBetween(Local(2, 24, 10), Local(2, 13, 10)));
        Assert.Equal(TimeSpan.Zero, Calendar2026.WorkingTimeBetween(Local(3, 9, 12, 5), Local(3, 9, 13, 25)));
        // 11:00 → 14:00 the same day: 1 h before lunch, 0.5 h after.
        Assert.Equal(TimeSpan.FromHours(1.5), Calendar2026.WorkingTimeBetween(Local(3, 9, 11), Local(3, 9, 14)));
    }

    [Fact]
    public void Remaining_is_working_time_left_and_negative_when_overdue()
    {
        var due = Local(2, 24, 17, 30);
        // 10:00 on the due day: 2 h before lunch + 4 h after = 6 h.
        Assert.Equal(TimeSpan.FromHours(6), Calendar2026.Remaining(Local(2, 24, 10), due, TimeLimitUnit.WorkingDays));
        Assert.Equal("剩余 6 工作小时", TimeLimit.DescribeRemaining(Calendar2026.Remaining(Local(2, 24, 10), due, TimeLimitUnit.WorkingDays), TimeLimitUnit.WorkingDays));
        // 02-25 10:00: overdue by all of 02-25 09:00–10:00 = 1 h.
        Assert.Equal(TimeSpan.FromHours(-1), Calendar2026.Remaining(Local(2, 25, 10), due, TimeLimitUnit.WorkingDays));
        // 13:00 on the due day with 3.5 h to go (13:30–17:00 of a 17:00 deadline).
        Assert.Equal("剩余 3.5 工作小时", TimeLimit.DescribeRemaining(Calendar2026.Remaining(Local(2, 24, 13), Local(2, 24, 17), TimeLimitUnit.WorkingHours), TimeLimitUnit.WorkingHours));
        Assert.Equal("已超期 1 工作小时", TimeLimit.DescribeRemaining(TimeSpan.FromHours(-1), TimeLimitUnit.WorkingHours));

        // Due Fri 03-06 17:30, looked at on Sat 03-07: no working time has passed, yet it is overdue.
        var weekend = Calendar2026.Remaining(Local(3, 7, 10), Local(3, 6, 17, 30), TimeLimitUnit.WorkingHours);
        Assert.True(weekend < TimeSpan.Zero);
        Assert.True(weekend > TimeSpan.FromSeconds(-1));
        // Natural time: 16.5 h past the deadline.
        Assert.Equal(TimeSpan.FromHours(-16.5), Calendar2026.Remaining(Local(3, 7, 10), Local(3, 6, 17, 30), TimeLimitUnit.NaturalHours));
    }

    [Fact]
    public void Working_time_crosses_into_a_year_without_rows_and_uses_default_office_hours()
    {
        // 2026 keeps 08:00–12:00 and 14:00–18:00; 2027 has no rows, so 09:00–12:00 and 13:30–17:30 and no holidays.
        var summer = new OfficeHours { Year = 2026 };
        summer.Apply(new DailyOfficeHours(new TimeOnly(8, 0), new TimeOnly(12, 0), new TimeOnly(14, 0), new TimeOnly(18, 0)));
        var calendar = WorkingCalendar.From(OfficialHolidays.Load(2026), [summer]);

        // Thu 2026-12-31 17:00 + 4.5 h: 1 h to 18:00; Fri 2027-01-01 (a working day: no 2027 rows) 09:00–12:00 is 3 h;
        // 13:30 + 0.5 h = 14:00 (2026's hours would have given 14:30).
        Assert.True(calendar.IsWorkingDay(new DateOnly(2027, 1, 1)));
        Assert.Equal(Local(1, 1, 14, year: 2027), calendar.AddWorkingTime(Local(12, 31, 17), TimeSpan.FromHours(4.5)));
        Assert.Equal(DailyOfficeHours.Default, calendar.OfficeHoursFor(2027));
        // And back: 2026-12-31 17:00 → 2027-01-01 14:00 is 1 h + 3 h + 0.5 h.
        Assert.Equal(TimeSpan.FromHours(4.5), calendar.WorkingTimeBetween(Local(12, 31, 17), Local(1, 1, 14, year: 2027)));
        // 1 working day from 12-31 ends at the 2027 default close.
        Assert.Equal(Local(1, 1, 17, 30, year: 2027), calendar.Due(Local(12, 31, 9), TimeLimit.WorkingDays(1)));
    }

    [Fact]
    public void Adding_working_time_and_measuring_it_agree()
    {
        var random = new Random(2026);
        for (var i = 0; i < 2000; i++)
        {
            var start = Local(1, 1, 0).AddMinutes(random.Next(0, 366 * 24 * 60));
            var span = TimeSpan.FromMinutes(random.Next(1, 200 * 60));

            var end = Calendar2026.AddWorkingTime(start, span);

            Assert.Equal(span, Calendar2026.WorkingTimeBetween(start, end));
        }
    }

    [Fact]
    public void The_largest_limits_complete()
    {
        var start = Local(3, 9, 10);

        var days = Calendar2026.Due(start, TimeLimit.WorkingDays(TimeLimit.MaxValue));
        var hours = Calendar2026.Due(start, TimeLimit.WorkingHours(TimeLimit.MaxValue));

        Assert.True(days > start.AddYears(38));
        Assert.Equal(TimeSpan.FromHours(TimeLimit.MaxValue), Calendar2026.WorkingTimeBetween(start, hours));
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar2026.Due(start, TimeLimit.WorkingDays(TimeLimit.MaxValue + 1)));
    }

    [Fact]
    public void Server_local_times_are_refused() =>
        Assert.Throws<ArgumentException>(() => Calendar2026.AddWorkingTime(new DateTime(2026, 3, 9, 10, 0, 0, DateTimeKind.Local), TimeSpan.FromHours(1)));

    [Fact]
    public void Limits_are_named_in_chinese_and_validated()
    {
        Assert.Equal("4 个工作小时", TimeLimit.WorkingHours(4).DisplayName);
        Assert.Equal("3 个工作日", TimeLimit.WorkingDays(3).DisplayName);
        Assert.Equal("2 小时（自然时）", TimeLimit.NaturalHours(2).DisplayName);

        var errors = new FieldErrors();
        TimeLimit.Read(errors, "limit", "办理时限", 0, TimeLimitUnit.WorkingHours);
        TimeLimit.Read(errors, "response", "响应时限", null, null);
        var ok = TimeLimit.Read(errors, "close", "办结时限", 10000, TimeLimitUnit.WorkingDays);
        var problem = Assert.Throws<ValidationException>(errors.ThrowIfAny);

        Assert.Equal(["limit.value", "response.unit", "response.value"], problem.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("办理时限应在 1 到 10000 之间。", problem.Errors["limit.value"].Single());
        Assert.True(ok.IsValid);
    }
}
