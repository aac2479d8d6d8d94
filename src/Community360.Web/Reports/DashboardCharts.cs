using System.Globalization;
using Community360.Reports;

namespace Community360.Web.Reports;

/// <summary>
/// The dashboard's ECharts options. Every data item carries the href of its case list, so a click on a bar or a point
/// opens the same list as the number in the table.
/// </summary>
public static class DashboardCharts
{
    private const string ReceivedColor = "#3b7ddd";
    private const string CompletedColor = "#2e9d5b";
    private const string OpenColor = "#f0a020";
    private const string OverdueColor = "#dc3545";
    private static readonly object Aria = new { enabled = true };

    public static string Href(DashboardCount count)
    {
        ArgumentNullException.ThrowIfNull(count);
        return "/cases?" + count.QueryString;
    }

    public static string Day(DateOnly day) => day.ToString("MM-dd", CultureInfo.InvariantCulture);

    public static bool HasTrend(DashboardDto dto) =>
        dto.Trend.Any(p => p.Received.Value > 0 || p.Completed.Value > 0);

    public static bool HasCommunities(DashboardDto dto) =>
        dto.Communities.Any(c => c.Received.Value > 0 || c.Open.Value > 0 || c.Overdue.Value > 0);

    public static bool HasCategories(DashboardDto dto) => dto.Categories.Any(c => c.Received.Value > 0);

    public static object Trend(DashboardDto dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        return new
        {
            aria = Aria,
            color = new[] { ReceivedColor, CompletedColor },
            tooltip = new { trigger = "axis" },
            legend = new { top = 0, data = new[] { "受理", "办结" } },
            grid = new { left = 40, right = 20, top = 36, bottom = 28 },
            xAxis = new { type = "category", boundaryGap = false, data = dto.Trend.Select(p => Day(p.Day)).ToArray() },
            yAxis = new { type = "value", name = "件", minInterval = 1 },
            series = new object[]
            {
                Line("受理", dto.Trend.Select(p => p.Received)),
                Line("办结", dto.Trend.Select(p => p.Completed)),
            },
        };
    }

    public static object Communities(DashboardDto dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        var names = dto.Communities.Select(c => c.CommunityName).ToArray();
        return new
        {
            aria = Aria,
            color = new[] { ReceivedColor, OpenColor, OverdueColor },
            tooltip = new { trigger = "axis", axisPointer = new { type = "shadow" } },
            legend = new { top = 0, data = new[] { "时段内受理", "当前在办", "当前超期" } },
            grid = new { left = 40, right = 20, top = 36, bottom = names.Length > 8 ? 64 : 28 },
            xAxis = new
            {
                type = "category",
                data = names,
                axisLabel = new { interval = 0, rotate = names.Length > 8 ? 30 : 0 },
            },
            yAxis = new { type = "value", name = "件", minInterval = 1 },
            series = new object[]
            {
                Bar("时段内受理", dto.Communities.Select(c => c.Received)),
                Bar("当前在办", dto.Communities.Select(c => c.Open)),
                Bar("当前超期", dto.Communities.Select(c => c.Overdue)),
            },
        };
    }

    public static object Categories(DashboardDto dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        return new
        {
            aria = Aria,
            color = new[] { ReceivedColor },
            tooltip = new { trigger = "axis", axisPointer = new { type = "shadow" } },
            grid = new { left = 10, right = 36, top = 10, bottom = 20, containLabel = true },
            xAxis = new { type = "value", minInterval = 1 },
            yAxis = new
            {
                type = "category",
                inverse = true,
                data = dto.Categories.Select(c => c.CategoryName).ToArray(),
                axisLabel = new { width = 110, overflow = "truncate" },
            },
            series = new object[]
            {
                new
                {
                    name = "受理",
                    type = "bar",
                    barMaxWidth = 22,
                    label = new { show = true, position = "right" },
                    data = dto.Categories.Select(c => Item(c.Received)).ToArray(),
                },
            },
        };
    }

    private static object Line(string name, IEnumerable<DashboardCount> counts) => new
    {
        name,
        type = "line",
        smooth = true,
        symbolSize = 6,
        data = counts.Select(Item).ToArray(),
    };

    private static object Bar(string name, IEnumerable<DashboardCount> counts) => new
    {
        name,
        type = "bar",
        barMaxWidth = 18,
        data = counts.Select(Item).ToArray(),
    };

    private static object Item(DashboardCount count) => new { value = count.Value, href = Href(count) };
}
