using System.Globalization;
using System.Text.Json;

namespace Community360.Calendar;

/// <summary>
/// The State Council's holiday arrangements shipped with the product as Calendar/Data/cn-holidays-{year}.json
/// (embedded resources). The seeder and the tests both read them here, so they can never disagree.
/// </summary>
public static class OfficialHolidays
{
    private const string ResourcePrefix = "Community360.Calendar.Data.cn-holidays-";
    private const string ResourceSuffix = ".json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The years for which an official arrangement ships.</summary>
    public static IReadOnlyList<int> Years { get; } = typeof(OfficialHolidays).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(ResourceSuffix, StringComparison.Ordinal))
        .Select(n => int.Parse(n.AsSpan(ResourcePrefix.Length, n.Length - ResourcePrefix.Length - ResourceSuffix.Length), NumberStyles.None, CultureInfo.InvariantCulture))
        .Order()
        .ToList();

    /// <summary>New (untracked) rows for the holidays and adjusted workdays of <paramref name="year"/>, in date order.</summary>
    public static IReadOnlyList<CalendarDay> Load(int year)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{ResourcePrefix}{year}{ResourceSuffix}");
        using var stream = typeof(OfficialHolidays).Assembly.GetManifestResourceStream(name)
            ?? throw new ArgumentOutOfRangeException(nameof(year), year, "No official holiday arrangement ships for this year.");
        var file = JsonSerializer.Deserialize<ArrangementFile>(stream, Json)
            ?? throw new InvalidDataException($"{name} is empty.");
        if (file.Year != year)
        {
            throw new InvalidDataException($"{name} describes {file.Year}, not {year}.");
        }
        var days = file.Holidays.Select(d => Row(d, CalendarDayKind.Holiday))
            .Concat(file.AdjustedWorkdays.Select(d => Row(d, CalendarDayKind.AdjustedWorkday)))
            .OrderBy(d => d.Date)
            .ToList();
        var misplaced = days.FirstOrDefault(d => d.Date.Year != year);
        if (misplaced is not null)
        {
            throw new InvalidDataException($"{name} lists {misplaced.Date:O}, outside {year}.");
        }
        if (days.Select(d => d.Date).Distinct().Count() != days.Count)
        {
            throw new InvalidDataException($"{name} lists a date twice.");
        }
        return days;
    }

    private static CalendarDay Row(ArrangementEntry entry, CalendarDayKind kind) =>
        new() { Date = entry.Date, Kind = kind, Name = entry.Name };

    private sealed record ArrangementFile(int Year, List<ArrangementEntry> Holidays, List<ArrangementEntry> AdjustedWorkdays);

    private sealed record ArrangementEntry(DateOnly Date, string Name);
}
