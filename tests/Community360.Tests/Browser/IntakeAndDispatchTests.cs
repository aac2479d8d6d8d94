using System.Text.RegularExpressions;
using Community360.Cases;
using Community360.Tests.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Community360.Tests.Browser;

/// <summary>受理登记 with its repeat warning and field messages, and 批量派单 by suggestion, in real headless Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class IntakeAndDispatchTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private readonly CaseClient _cases = new(app);

    [Fact]
    public async Task A_dispatcher_registers_a_walk_in_demand_after_seeing_the_case_it_repeats()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var category = await _cases.CategoryIdAsync("生活噪声");
        var place = await _cases.PointInCommunityAsync("110199001001", 3);
        var earlier = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(category, place, title: "楼上住户夜间噪声扰民",
            description: "槐荫里5号楼601住户每天夜里十二点以后还在拖动家具、大声放音乐，严重影响休息，多次沟通无果。",
            address: "槐荫里5号楼601", phone: "17022223333"));
        var before = await CountCasesAsync();

        var page = await app.SignInAsync("dispatcher", path: "/cases/new");
        await page.SelectOptionAsync("#channel", "WalkIn");
        await PickCategoryAsync(page, "生活噪声");
        await page.FillAsync("#title", "五号楼楼上夜间噪声又扰民");
        await page.FillAsync("#description", "槐荫里五号楼601住户每天夜里十二点以后仍然拖动家具、大声放音乐，严重影响休息，上周反映过还没有解决。");
        await page.FillAsync("#address", "槐荫里五号楼");
        await page.FillAsync("#complainantName", "钱女士");
        await page.FillAsync("#complainantPhone", "17044445555");
        await ClickMapAtAsync(page, place);
        Assert.Contains("槐荫里", await page.Locator("[data-testid=intake-location]").InnerTextAsync(), StringComparison.Ordinal);

        var candidate = page.Locator("[data-testid=repeat-warning] [data-testid=repeat-candidate]").Filter(new() { HasText = earlier.Number });
        await candidate.WaitForAsync();
        Assert.Equal($"cases/{earlier.Id}", await candidate.Locator("a").GetAttributeAsync("href"));
        Assert.Equal("_blank", await candidate.Locator("a").GetAttributeAsync("target"));
        Assert.Contains("已受理", await candidate.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await CountCasesAsync());
        await Shot(page, "intake-repeat");

        await page.ClickAsync("[data-testid=intake-save]");

        await page.WaitForURLAsync(CaseDetailUrl());
        var id = Guid.Parse(CaseDetailUrl().Match(page.Url).Groups[1].Value);
        await using var db = app.CreateDbContext();
        var saved = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == id);
        Assert.Equal(CaseChannel.WalkIn, saved.Channel);
        Assert.Equal(CaseState.Received, saved.State);
        Assert.Equal("五号楼楼上夜间噪声又扰民", saved.Title);
        Assert.Equal(category, saved.CategoryId);
        Assert.Equal(earlier.Id, saved.RepeatClusterId);
        Assert.Equal(earlier.GridId, saved.GridId);
        Assert.Equal(place.Lon, saved.Longitude!.Value, 3);
        Assert.Equal(before + 1, await CountCasesAsync());
    }

    [Fact]
    public async Task An_intake_without_title_and_category_names_both_beside_the_fields_and_saves_nothing()
    {
        var before = await CountCasesAsync();
        var page = await app.SignInAsync("dispatcher", path: "/cases/new");
        await page.FillAsync("#description", "小区门口的垃圾桶满了没人清运。");

        await page.ClickAsync("[data-testid=intake-save]");

        await page.Locator("[data-field-error=title]").WaitForAsync();
        Assert.Contains("标题", await page.Locator("[data-field-error=title]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("分类", await page.Locator("[data-field-error=categoryId]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("is-invalid", await page.GetAttributeAsync("#title", "class"), StringComparison.Ordinal);
        Assert.Contains("is-invalid", await page.GetAttributeAsync("[data-testid=category-search]", "class"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("[data-field-error=description]").CountAsync());
        Assert.EndsWith("/cases/new", page.Url, StringComparison.Ordinal);
        Assert.Equal(before, await CountCasesAsync());
        await Shot(page, "intake-errors");
    }

    [Fact]
    public async Task Batch_dispatch_by_suggestion_sends_each_case_to_its_own_suggested_unit()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var lamp = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(await _cases.CategoryIdAsync("路灯故障"),
            await _cases.PointInCommunityAsync("110199001001", 1), title: "小区南门路灯不亮", description: "南门口路灯坏了一周，晚上很黑。", address: "南门"));
        var noise = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(await _cases.CategoryIdAsync("生活噪声"),
            await _cases.PointInCommunityAsync("110199001002", 0), title: "邻居装修周末一早电钻", description: "隔壁周末早上七点就开始电钻打孔。", address: "8号楼"));
        Guid? lampUnit, noiseUnit;
        string lampUnitName;
        await using (var db = app.CreateDbContext())
        {
            var lampCategory = await db.CaseCategories.AsNoTracking().SingleAsync(c => c.Name == "路灯故障" && c.ParentId != null);
            lampUnit = lampCategory.DefaultUnitId;
            lampUnitName = await db.OrgUnits.Where(o => o.Id == lampUnit).Select(o => o.Name).SingleAsync();
            noiseUnit = noise.CommunityId;
        }
        Assert.NotNull(lampUnit);
        Assert.NotNull(noiseUnit);

        var page = await app.SignInAsync("dispatcher", path: "/dispatch");
        var lampRow = page.Locator($"[data-testid=dispatch-row][data-case-number='{lamp.Number}']");
        var noiseRow = page.Locator($"[data-testid=dispatch-row][data-case-number='{noise.Number}']");
        await lampRow.WaitForAsync();
        Assert.False(string.IsNullOrWhiteSpace(await lampRow.Locator("[data-testid=dispatch-row-suggestion]").InnerTextAsync()));
        await lampRow.Locator("[data-testid=dispatch-select]").CheckAsync();
        var single = page.Locator("[data-testid=dispatch-suggestion]");
        await single.Filter(new() { HasText = lampUnitName }).WaitForAsync();
        Assert.Contains("路灯故障", await single.InnerTextAsync(), StringComparison.Ordinal);
        await Shot(page, "dispatch-single");
        await noiseRow.Locator("[data-testid=dispatch-select]").CheckAsync();
        await page.Locator($"[data-testid=dispatch-case][data-case-number='{noise.Number}']").WaitForAsync();
        Assert.Equal(2, await page.Locator("[data-testid=dispatch-case]").CountAsync());

        // Without a unit chosen, "派给所选单位" refuses each case and names the field.
        await page.ClickAsync("[data-testid=dispatch-submit]");
        await page.Locator("[data-field-error=unitId]").WaitForAsync();
        Assert.Equal(2, await page.Locator("[data-testid=dispatch-case-error]").CountAsync());
        await Shot(page, "dispatch-selected");

        await page.ClickAsync("[data-testid=dispatch-accept-suggestion]");

        await page.Locator("[data-testid=dispatch-result]").Nth(1).WaitForAsync();
        var results = await page.Locator("[data-testid=dispatch-results]").InnerTextAsync();
        Assert.Contains(lamp.Number, results, StringComparison.Ordinal);
        Assert.Contains(noise.Number, results, StringComparison.Ordinal);
        await lampRow.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await Shot(page, "dispatch-done");
        await using var check = app.CreateDbContext();
        var dispatched = await check.Cases.AsNoTracking().Where(c => c.Id == lamp.Id || c.Id == noise.Id).ToDictionaryAsync(c => c.Id);
        Assert.All(dispatched.Values, c => Assert.Equal(CaseState.Dispatched, c.State));
        Assert.Equal(lampUnit, dispatched[lamp.Id].HandlingUnitId);
        Assert.Equal(noiseUnit, dispatched[noise.Id].HandlingUnitId);
    }

    internal static async Task PickCategoryAsync(IPage page, string name)
    {
        await page.FillAsync("[data-testid=category-search]", name);
        var option = page.Locator("[data-testid=category-option]").Filter(new() { HasText = name }).First;
        await option.ClickAsync();
        await page.Locator(".form-text").Filter(new() { HasText = name }).WaitForAsync();
    }

    /// <summary>Clicks the intake map where the given point is drawn, and waits until the page has located it.</summary>
    internal static async Task ClickMapAtAsync(IPage page, (double Lon, double Lat) at)
    {
        var map = page.Locator(".intake-map.leaflet-container");
        await map.WaitForAsync();
        var point = await map.EvaluateAsync<double[]>("(el, p) => { const c = el.c360Map.latLngToContainerPoint([p[1], p[0]]); return [c.x, c.y]; }",
            new[] { at.Lon, at.Lat });
        await map.ClickAsync(new() { Position = new() { X = (float)point[0], Y = (float)point[1] } });
        await page.Locator("[data-testid=intake-location]").Filter(new() { HasText = "已定位" }).WaitForAsync();
    }

    private async Task<int> CountCasesAsync()
    {
        await using var db = app.CreateDbContext();
        return await db.Cases.CountAsync();
    }

    /// <summary>Screenshots for a person to look at, only when C360_SHOTS names a folder.</summary>
    private static async Task Shot(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("C360_SHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
        }
    }

    [GeneratedRegex(@"/cases/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")]
    private static partial Regex CaseDetailUrl();
}
