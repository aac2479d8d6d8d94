using Community360.Data;
using Microsoft.EntityFrameworkCore;

namespace Community360.Calendar;

/// <summary>
/// Loads each shipped official arrangement (<see cref="OfficialHolidays"/>) into a year nobody has maintained yet:
/// a year with no calendar day and no office-hours row. Safe to run at every start; a year an administrator has
/// saved (even emptied) is never touched again.
/// </summary>
public static class CalendarSeeder
{
    public static async Task SeedAsync(AppDbContext db, CancellationToken ct)
    {
        var seeded = false;
        foreach (var year in OfficialHolidays.Years)
        {
            var (first, last) = (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
            if (await db.Set<CalendarDay>().AnyAsync(d => d.Date >= first && d.Date <= last, ct)
                || await db.Set<OfficeHours>().AnyAsync(o => o.Year == year, ct))
            {
                continue;
            }
            db.Set<CalendarDay>().AddRange(OfficialHolidays.Load(year));
            var hours = new OfficeHours { Year = year };
            hours.Apply(DailyOfficeHours.Default);
            db.Set<OfficeHours>().Add(hours);
            seeded = true;
        }
        if (seeded)
        {
            await db.SaveChangesAsync(ct);
        }
    }
}
