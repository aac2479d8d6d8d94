using System.Net;
using System.Text.Json;
using Community360.Calendar;
using Community360.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Community360.Tests.Calendar;

/// <summary>
/// /api/calendar on both databases. The host seeds the official 2026 arrangement at start. Edits go to years
/// no other test reads (2030, 2031), so the tests of a class may run in any order.
/// </summary>
public abstract class CalendarApiTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : Community360App
{
    [Fact]
    public async Task The_seeded_2026_calendar_has_the_official_holidays_and_adjusted_workdays()
    {
        var client = await app.ClientForAsync("worker1");

        var year = await (await client.GetAsync("/api/calendar/2026")).ShouldBeOkAsync<CalendarYearView>();

        Assert.Equal(33, year.Days.Count(d => d.Kind == "Holiday"));
        Assert.Equal(6, year.Days.Count(d => d.Kind == "AdjustedWorkday"));
        Assert.Equal(year.Days.Select(d => d.Date).Order(), year.Days.Select(d => d.Date));
        var adjusted = year.Days.Single(d => d.Date == new DateOnly(2026, 2, 14));
        Assert.Equal(("调休上班", "星期六", "调休上班"), (adjusted.Name, adjusted.Weekday, adjusted.KindName));
        Assert.Equal("国庆节", year.Days.Single(d => d.Date == new DateOnly(2026, 10, 1)).Name);
        Assert.Equal(new TimeOnly(9, 0), year.OfficeHours.MorningStart);
        Assert.Equal(new TimeOnly(17, 30), year.OfficeHours.AfternoonEnd);
        Assert.Equal(7, year.OfficeHours.WorkingHoursPerDay);
        Assert.NotNull(year.Version);
        Assert.False(year.CanEdit);
    }

    [Fact]
    public async Task A_year_nobody_maintained_has_default_office_hours_and_no_days()
    {
        var client = await app.ClientForAsync("sysadmin");

        var year = await (await client.GetAsync("/api/calendar/2040")).ShouldBeOkAsync<CalendarYearView>();

        Assert.Empty(year.Days);
        Assert.True(year.OfficeHours.IsDefault);
        Assert.Equal(new TimeOnly(13, 30), year.OfficeHours.AfternoonStart);
        Assert.Null(year.Version);
        Assert.True(year.CanEdit);
    }

    [Fact]
    public async Task A_system_admin_replaces_a_year_and_every_change_is_audited()
    {
        var admin = await app.ClientForAsync("sysadmin");
        var provider = app.Services.GetRequiredService<WorkingCalendarProvider>();
        await using (var db = app.CreateDbContext())
        {
            // Caches a snapshot, which the edits below must invalidate.
            Assert.True((await provider.GetAsync(db, CancellationToken.None)).IsWorkingDay(new DateOnly(2030, 1, 2)));
        }
        var auditTail = await AuditTailAsync();

        var created = await (await admin.PutJsonAsync("/api/calendar/2030", new
        {
            officeHours = new { morningStart = "08:30", morningEnd = "12:00", afternoonStart = "14:00", afternoonEnd = "17:30" },
            days = new object[]
            {
                new { date = "2030-01-02", kind = "Holiday", name = "元旦" },
                new { date = "2030-01-01", kind = "Holiday", name = "元旦" },
                new { date = "2030-01-05", kind = "AdjustedWorkday", name = "调休上班" },
            },
        })).ShouldBeOkAsync<CalendarYearView>();

        Assert.Equal([new DateOnly(2030, 1, 1), new DateOnly(2030, 1, 2), new DateOnly(2030, 1, 5)], created.Days.Select(d => d.Date));
        Assert.Equal(new TimeOnly(8, 30), created.OfficeHours.MorningStart);
        Assert.False(created.OfficeHours.IsDefault);
        Assert.NotNull(created.Version);

        var replaced = await (await admin.PutJsonAsync("/api/calendar/2030", new
        {
            officeHours = new { morningStart = "09:00:00", morningEnd = "12:00:00", afternoonStart = "13:30:00", afternoonEnd = "17:30:00" },
            days = new object[]
            {
                new { date = "2030-01-01", kind = "Holiday", name = "新年" },
                new { date = "2030-01-05", kind = "AdjustedWorkday", name = "调休上班" },
                new { date = "2030-05-01", kind = "Holiday", name = "劳动节" },
            },
            version = created.Version,
        })).ShouldBeOkAsync<CalendarYearView>();

        Assert.Equal(["新年", "调休上班", "劳动节"], replaced.Days.Select(d => d.Name));
        Assert.NotEqual(created.Version, replaced.Version);
        var read = await (await admin.GetAsync("/api/calendar/2030")).ShouldBeOkAsync<CalendarYearView>();
        Assert.Equal(replaced.Days, read.Days);
        Assert.Equal(replaced.Version, read.Version);
        Assert.Equal(new TimeOnly(9, 0), read.OfficeHours.MorningStart);

        await using (var db = app.CreateDbContext())
        {
            var audit = await db.AuditEntries.AsNoTracking().Where(e => e.Sequence > auditTail && e.EntityType == nameof(CalendarDay)).ToListAsync();
            Assert.All(audit, e => Assert.Equal("sysadmin", e.ActorName));
            // First save: three days created. Second: 01-01 renamed, 05-01 created, 01-02 deleted; 01-05 unchanged.
            Assert.Equal(4, audit.Count(e => e.Action == "entity.created"));
            Assert.Single(audit, e => e.Action == "entity.updated" && e.Details.Contains("新年", StringComparison.Ordinal));
            // Dates are filed as ISO dates, not in a culture's short format.
            Assert.Equal("2030-01-02", Assert.Single(audit, e => e.Action == "entity.deleted").EntityId);
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Sequence > auditTail && e.EntityType == nameof(OfficeHours) && e.EntityId == "2030"));

            var calendar = await provider.GetAsync(db, CancellationToken.None);
            Assert.True(calendar.IsWorkingDay(new DateOnly(2030, 1, 2)));
            Assert.False(calendar.IsWorkingDay(new DateOnly(2030, 5, 1)));
            Assert.True(calendar.IsWorkingDay(new DateOnly(2030, 1, 5)));
        }

        // The version read before the second save is stale now.
        var stale = await (await admin.PutJsonAsync("/api/calendar/2030", new
        {
            officeHours = new { morningStart = "09:00", morningEnd = "12:00", afternoonStart = "13:30", afternoonEnd = "17:30" },
            days = Array.Empty<object>(),
            version = created.Version,
        })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("已被他人修改", stale.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, (await (await admin.GetAsync("/api/calendar/2030")).ShouldBeOkAsync<CalendarYearView>()).Days.Count);
    }

    [Fact]
    public async Task An_emptied_year_stays_empty()
    {
        var admin = await app.ClientForAsync("sysadmin");
        var first = await (await admin.PutJsonAsync("/api/calendar/2031", new
        {
            officeHours = new { morningStart = "09:00", morningEnd = "12:00", afternoonStart = "12:00", afternoonEnd = "17:00" },
            days = new object[] { new { date = "2031-01-01", kind = "Holiday", name = "元旦" } },
        })).ShouldBeOkAsync<CalendarYearView>();

        var emptied = await (await admin.PutJsonAsync("/api/calendar/2031", new
        {
            officeHours = new { morningStart = "09:00", morningEnd = "12:00", afternoonStart = "12:00", afternoonEnd = "17:00" },
            days = Array.Empty<object>(),
            version = first.Version,
        })).ShouldBeOkAsync<CalendarYearView>();

        Assert.Empty(emptied.Days);
        Assert.Equal(8, emptied.OfficeHours.WorkingHoursPerDay);
        await using var db = app.CreateDbContext();
        await CalendarSeeder.SeedAsync(db, CancellationToken.None);
        Assert.Empty((await (await admin.GetAsync("/api/calendar/2031")).ShouldBeOkAsync<CalendarYearView>()).Days);
        Assert.Equal(39, await db.Set<CalendarDay>().CountAsync(d => d.Date >= new DateOnly(2026, 1, 1) && d.Date <= new DateOnly(2026, 12, 31)));
    }

    [Fact]
    public async Task A_community_worker_may_read_but_not_replace_the_calendar()
    {
        var worker = await app.ClientForAsync("worker1");
        var before = await worker.GetStringAsync("/api/calendar/2026");

        var problem = await (await worker.PutJsonAsync("/api/calendar/2026", new
        {
            officeHours = new { morningStart = "09:00", morningEnd = "12:00", afternoonStart = "13:30", afternoonEnd = "17:30" },
            days = Array.Empty<object>(),
        })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal("无权操作", problem.GetProperty("title").GetString());
        Assert.Equal(before, await worker.GetStringAsync("/api/calendar/2026"));
    }

    [Fact]
    public async Task Anonymous_callers_get_401()
    {
        var anonymous = app.CreateClient();

        await (await anonymous.GetAsync("/api/calendar/2026")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    private const string Hours = """{"morningStart":"09:00","morningEnd":"12:00","afternoonStart":"13:30","afternoonEnd":"17:30"}""";

    public static TheoryData<string, string, string> BadInputs => new()
    {
        // url, body ({version} is 2026's current version), field expected in errors
        { "/api/calendar/2026", """{"days":[],"version":"{version}"}""", "officeHours" },
        { "/api/calendar/2026", $$"""{"officeHours":{{Hours}},"version":"{version}"}""", "days" },
        { "/api/calendar/2026", $$"""{"officeHours":{{Hours}},"days":[]}""", "version" },
        { "/api/calendar/2026", """{"officeHours":{"morningStart":"12:00","morningEnd":"09:00","afternoonStart":"13:30","afternoonEnd":"17:30"},"days":[],"version":"{version}"}""", "officeHours.morningEnd" },
        { "/api/calendar/2026", """{"officeHours":{"morningStart":"09:00","morningEnd":"12:00","afternoonStart":"11:30","afternoonEnd":"17:30"},"days":[],"version":"{version}"}""", "officeHours.afternoonStart" },
        { "/api/calendar/2026", """{"officeHours":{"morningStart":"09:00","morningEnd":"12:00","afternoonStart":"13:30"},"days":[],"version":"{version}"}""", "officeHours.afternoonEnd" },
        { "/api/calendar/2026", """{"officeHours":{"morningStart":"09:00:30","morningEnd":"12:00","afternoonStart":"13:30","afternoonEnd":"17:30"},"days":[],"version":"{version}"}""", "officeHours.morningStart" },
        { "/api/calendar/2026", """{"officeHours":{"morningStart":"9 点","morningEnd":"12:00","afternoonStart":"13:30","afternoonEnd":"17:30"},"days":[],"version":"{version}"}""", "officeHours.morningStart" },
        { "/api/calendar/2026", $$"""{"officeHours":{{Hours}},"days":[{"date":"2027-01-01","kind":"Holiday","name":"元旦"}],"version":"{version}"}""", "days[0].date" },
        { "/api/calendar/2026", $$"""{"officeHours":{{Hours}},"days":[{"date":"2026-01-01","kind":"Holiday","name":"元旦"},{"date":"2026-01-01","kind":"Holiday","name":"元旦"}],"version":"{version}"}""", "days[1].date" },
        { "/api/calendar/2026", $$"""{"officeHours":{{Hours}},"days":[{"date":"2026-03-02","kind":"AdjustedWorkday","name":"调休上班"}],"version":"{version}"}""", "days[0].date" },
        { "/api/calendar/2026", $$"""{"officeHours":{{Hours}},"days":[{"date":"2026-01-01","kind":"Holiday","name":"一二三四五六七八九十一二三四五六七八九十一"}],"version":"{version}"}""", "days[0].name" },
        { "/api/calendar/2026", $$"""{"officeHours":{{Hours}},"days":[{"date":"2026-01-01","kind":"Holiday","name":" "}],"version":"{version}"}""", "days[0].name" },
        { "/api/calendar/2026", $$"""{"officeHours":{{Hours}},"days":[{"date":"2026-01-01","name":"元旦"}],"version":"{version}"}""", "days[0].kind" },
        { "/api/calendar/2026", $$"""{"officeHours":{{Hours}},"days":[{"date":"2026-01-01","kind":"Festival","name":"元旦"}],"version":"{version}"}""", "days[0].kind" },
        { "/api/calendar/2026", $$"""{"officeHours":{{Hours}},"days":[{"kind":"Holiday","name":"元旦"}],"version":"{version}"}""", "days[0].date" },
        { "/api/calendar/2026", $$"""{"officeHours":{{Hours}},"days":[{"date":"2026-01-01","kind":"Holiday","name":"元旦"},{"date":"2026-02-30","kind":"Holiday","name":"春节"}],"version":"{version}"}""", "days[1].date" },
        { "/api/calendar/1999", $$"""{"officeHours":{{Hours}},"days":[],"version":"{version}"}""", "year" },
        { "/api/calendar/2101", $$"""{"officeHours":{{Hours}},"days":[],"version":"{version}"}""", "year" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_gets_a_chinese_problem_naming_the_field_and_changes_nothing(string url, string body, string field)
    {
        var admin = await app.ClientForAsync("sysadmin");
        var before = await admin.GetStringAsync("/api/calendar/2026");
        var version = JsonDocument.Parse(before).RootElement.GetProperty("version").GetString()!;
        var auditTail = await AuditTailAsync();

        var problem = await (await admin.SendRawAsync(HttpMethod.Put, url, body.Replace("{version}", version, StringComparison.Ordinal)))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors(field));
        Assert.Equal(before, await admin.GetStringAsync("/api/calendar/2026"));
        Assert.Equal(auditTail, await AuditTailAsync());
    }

    [Fact]
    public async Task A_year_outside_2000_to_2100_cannot_be_read()
    {
        var client = await app.ClientForAsync("worker1");

        var problem = await (await client.GetAsync("/api/calendar/1999")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("2000", problem.FieldErrors("year").Single(), StringComparison.Ordinal);
    }

    private async Task<long> AuditTailAsync()
    {
        await using var db = app.CreateDbContext();
        // Sign-ins add audit rows; what must not move is everything else.
        return await db.AuditEntries.Where(e => !e.Action.StartsWith("signin")).MaxAsync(e => e.Sequence);
    }
}

public sealed record CalendarYearView(int Year, OfficeHoursView OfficeHours, List<CalendarDayView> Days, Guid? Version, bool CanEdit);

public sealed record OfficeHoursView(TimeOnly MorningStart, TimeOnly MorningEnd, TimeOnly AfternoonStart, TimeOnly AfternoonEnd, double WorkingHoursPerDay, bool IsDefault);

public sealed record CalendarDayView(DateOnly Date, string Weekday, string Kind, string KindName, string Name);

public sealed class CalendarApiTestsOnSqlite(SqliteApp app) : CalendarApiTests<SqliteApp>(app);

public sealed class CalendarApiTestsOnPostgres(PostgresApp app) : CalendarApiTests<PostgresApp>(app);
