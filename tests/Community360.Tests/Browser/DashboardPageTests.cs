using System.Globalization;
using System.Text.Json;
using Community360.Tests.Cases;
using Community360.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Community360.Tests.Browser;

/// <summary>首页/指挥大屏: the numbers of GET /api/dashboard on screen, each a link to its case list, charts and their tables.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardPageTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private readonly CaseClient _cases = new(app);

    [Fact]
    public async Task The_leader_sees_the_numbers_of_the_dashboard()
    {
        await ReceiveCaseAsync("110199001001");
        var page = await app.SignInAsync("leader");
        var dashboard = await DashboardAsync("leader");

        await page.Locator("[data-testid=stat-value-today-received]").WaitForAsync();
        foreach (var (period, key) in new[] { ("today", "today"), ("thisMonth", "month") })
        {
            foreach (var name in new[] { "received", "dispatched", "completed", "overdue" })
            {
                var expected = dashboard.GetProperty(period).GetProperty(name).GetProperty("value").GetInt32();
                Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), await page.Locator($"[data-testid=stat-value-{key}-{name}]").InnerTextAsync());
            }
        }
        Assert.True(dashboard.GetProperty("thisMonth").GetProperty("received").GetProperty("value").GetInt32() >= 1);
        Assert.Equal(dashboard.GetProperty("overdueNow").GetProperty("value").GetInt32().ToString(CultureInfo.InvariantCulture),
            await page.Locator("[data-testid=stat-value-overdue-now]").InnerTextAsync());
        foreach (var rate in new[] { "Response", "Resolution", "Satisfaction" })
        {
            var card = page.Locator($"[data-testid=rate-{rate}]");
            Assert.Contains("率", await card.InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains("计算公式", await card.Locator(".dash-formula").GetAttributeAsync("title") ?? "", StringComparison.Ordinal);
        }
        var satisfaction = await page.Locator("[data-testid=rate-Satisfaction]").InnerTextAsync();
        Assert.Contains("有效回访", satisfaction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_case_received_now_adds_one_to_todays_received_after_a_reload()
    {
        var page = await app.SignInAsync("leader");
        var received = page.Locator("[data-testid=stat-value-today-received]");
        await received.WaitForAsync();
        var before = int.Parse(await received.InnerTextAsync(), CultureInfo.InvariantCulture);

        await ReceiveCaseAsync("110199001002");
        await page.ReloadAsync();
        await ConsoleApp.WaitForInteractiveAsync(page);

        Assert.Equal((before + 1).ToString(CultureInfo.InvariantCulture), await page.Locator("[data-testid=stat-value-today-received]").InnerTextAsync());
        Assert.Contains("今日受理", await page.Locator("[data-testid=stat-today-received]").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_numbers_refresh_by_themselves_every_minute()
    {
        var page = await app.SignInAsync("leader");
        var received = page.Locator("[data-testid=stat-value-today-received]");
        await received.WaitForAsync();
        var before = int.Parse(await received.InnerTextAsync(), CultureInfo.InvariantCulture);

        // The refresh timer starts once the page is live in the browser; the clock must move after that.
        await page.Locator("[data-testid=dashboard][data-auto-refresh=on]").WaitForAsync();
        await ReceiveCaseAsync("110199001003");
        app.Clock.Advance(TimeSpan.FromSeconds(61));

        var after = (before + 1).ToString(CultureInfo.InvariantCulture);
        await page.Locator("[data-testid=stat-value-today-received]", new PageLocatorOptions { HasTextRegex = new($"^{after}$") }).WaitForAsync();
    }

    [Fact]
    public async Task Clicking_a_number_opens_the_case_list_it_counts()
    {
        await ReceiveCaseAsync("110199001001");
        var page = await app.SignInAsync("leader");
        var dashboard = await DashboardAsync("leader");
        var expected = dashboard.GetProperty("thisMonth").GetProperty("received").GetProperty("queryString").GetString()!;

        await page.Locator("[data-testid=stat-value-month-received]").ClickAsync();

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/cases");
        Assert.Equal("?" + expected, new Uri(page.Url).Query);
    }

    [Fact]
    public async Task The_trend_chart_is_drawn_and_its_table_lists_every_day_with_linked_numbers()
    {
        await ReceiveCaseAsync("110199001001");
        var page = await app.SignInAsync("leader");
        var dashboard = await DashboardAsync("leader");
        var trend = dashboard.GetProperty("trend").EnumerateArray().ToList();

        var chart = page.Locator("[data-testid=chart-trend]");
        await chart.Locator("canvas, svg").First.WaitForAsync();
        Assert.False(string.IsNullOrWhiteSpace(await chart.GetAttributeAsync("aria-label")));
        await page.Locator("[data-testid=chart-categories] canvas").First.WaitForAsync();
        await page.Locator("[data-testid=chart-communities] canvas").First.WaitForAsync();

        await page.Locator("[data-testid=toggle-table-Trend]").ClickAsync();

        var table = page.Locator("[data-testid=table-trend]");
        await table.WaitForAsync();
        Assert.Equal(0, await page.Locator("[data-testid=chart-trend]").CountAsync());
        var rows = table.Locator("[data-testid=trend-row]");
        Assert.Equal(trend.Count, await rows.CountAsync());
        var today = trend.Single(p => p.GetProperty("day").GetString() == dashboard.GetProperty("today").GetProperty("from").GetString());
        var todayRow = rows.Filter(new LocatorFilterOptions { HasText = today.GetProperty("day").GetString() });
        var link = todayRow.Locator("[data-testid=count-link]").First;
        Assert.Equal(today.GetProperty("received").GetProperty("value").GetInt32().ToString(CultureInfo.InvariantCulture), await link.InnerTextAsync());
        Assert.Equal("/cases?" + today.GetProperty("received").GetProperty("queryString").GetString(), await link.GetAttributeAsync("href"));

        await page.Locator("[data-testid=toggle-table-Trend]").ClickAsync();
        await page.Locator("[data-testid=chart-trend] canvas").First.WaitForAsync();
    }

    [Fact]
    public async Task A_period_without_cases_explains_itself_in_chinese()
    {
        var page = await app.SignInAsync("leader");
        await page.Locator("[data-testid=period-Custom]").ClickAsync();
        await page.FillAsync("#dash-from", "2020-01-01");
        await page.FillAsync("#dash-to", "2020-01-31");
        await page.Locator("[data-testid=period-apply]").ClickAsync();

        await page.Locator("[data-testid=empty-trend]").WaitForAsync();
        Assert.Contains("2020-01-01 至 2020-01-31", await page.Locator("[data-testid=dashboard-period]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("没有受理", await page.Locator("[data-testid=empty-categories]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("—", await page.Locator("[data-testid=rate-value-Satisfaction]").InnerTextAsync());
        Assert.Contains("无法计算满意率", await page.Locator("[data-testid=rate-Satisfaction]").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_inverted_custom_period_is_refused_beside_the_dates()
    {
        var page = await app.SignInAsync("leader");
        await page.Locator("[data-testid=period-Custom]").ClickAsync();
        await page.FillAsync("#dash-from", "2026-03-10");
        await page.FillAsync("#dash-to", "2026-03-01");
        await page.Locator("[data-testid=period-apply]").ClickAsync();

        var error = page.Locator("[data-field-error=to]");
        await error.WaitForAsync();
        Assert.Contains("结束日期不能早于开始日期", await error.InnerTextAsync(), StringComparison.Ordinal);
    }

    private async Task ReceiveCaseAsync(string communityCode)
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(await _cases.CategoryIdAsync("楼道堆物"), await _cases.PointInCommunityAsync(communityCode),
            description: "大屏测试：楼道里堆满杂物" + Guid.NewGuid().ToString("N")));
    }

    private async Task<JsonElement> DashboardAsync(string userName)
    {
        var client = await app.ClientForAsync(userName);
        return await (await client.GetAsync("/api/dashboard")).ShouldBeOkAsync<JsonElement>();
    }
}
