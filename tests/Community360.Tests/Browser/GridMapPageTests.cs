using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Community360.Tests.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Community360.Tests.Browser;

/// <summary>
/// The grid map page in Chromium: shapes per scope, the grid card, colouring and case pins. Scene: two cases in
/// community A (one dispatched) and one dispatched in B, then a month passes, so the dispatched ones are overdue.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class GridMapPageTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private const string CommunityA = "110199001001";
    private const string CommunityB = "110199001002";
    private const string GridShapes = ".leaflet-overlay-pane path.leaflet-interactive";
    private static readonly ConcurrentDictionary<ConsoleApp, Task<Scene>> Scenes = new();

    [Fact]
    public async Task The_dispatcher_sees_every_grid_and_a_clicked_grid_shows_its_card_with_masked_phones()
    {
        var scene = await SceneAsync();
        await using var db = app.CreateDbContext();
        var grids = await db.Grids.CountAsync(g => !g.IsRetired, TestContext.Current.CancellationToken);
        var grid = await db.Grids.SingleAsync(g => g.Id == scene.GridOfA0, TestContext.Current.CancellationToken);

        var page = await OpenMapAsync("dispatcher");

        await Assertions.Expect(page.Locator(GridShapes)).ToHaveCountAsync(grids);
        Assert.True(await page.Locator(".leaflet-overlay-pane path").CountAsync() > grids, "community outlines are drawn besides the grids");
        Assert.Equal(grids, await page.Locator("[data-testid=grid-item]").CountAsync());

        await page.Locator($"path[data-area-id='{scene.GridOfA0}']").DispatchEventAsync("click");

        await Assertions.Expect(page.Locator("[data-testid=grid-card-name]")).ToHaveTextAsync(grid.Name);
        var people = await page.Locator("[data-testid=grid-card-people]").InnerTextAsync();
        Assert.Contains("****", people, StringComparison.Ordinal);
        Assert.DoesNotMatch(MobileNumber(), await page.Locator("body").InnerTextAsync());
        var overdueCase = page.Locator("[data-testid=grid-card-case]").Filter(new() { HasText = scene.A0Number });
        Assert.Contains("已超期", await overdueCase.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal($"/cases/{scene.A0}", await overdueCase.Locator("a").GetAttributeAsync("href"));
        Assert.Equal("1", await page.Locator("[data-testid=grid-card-overdue]").InnerTextAsync());
    }

    [Fact]
    public async Task A_community_worker_sees_only_their_communitys_grids()
    {
        await SceneAsync();
        await using var db = app.CreateDbContext();
        var all = await db.Grids.CountAsync(g => !g.IsRetired, TestContext.Current.CancellationToken);
        var ofA = await db.Grids.CountAsync(g => !g.IsRetired && g.Code.StartsWith(CommunityA), TestContext.Current.CancellationToken);

        var page = await OpenMapAsync("worker1");

        await Assertions.Expect(page.Locator(GridShapes)).ToHaveCountAsync(ofA);
        Assert.True(ofA < all);
        var listed = await page.Locator("[data-testid=grid-item]").AllInnerTextsAsync();
        Assert.Equal(ofA, listed.Count);
        Assert.All(listed, text => Assert.Contains("槐荫里社区", text, StringComparison.Ordinal));

        await page.Locator("[data-testid=grid-item]").First.ClickAsync();
        await page.Locator("[data-testid=grid-card]").WaitForAsync();
        Assert.DoesNotMatch(MobileNumber(), await page.Locator("body").InnerTextAsync());
    }

    [Fact]
    public async Task Switching_the_colouring_changes_the_legend_and_the_fill()
    {
        var scene = await SceneAsync();
        var page = await OpenMapAsync("dispatcher");
        var legend = page.Locator("[data-testid=map-legend]");
        var shape = page.Locator($"path[data-area-id='{scene.GridOfA0}']");
        Assert.Contains("未结案件密度", await legend.InnerTextAsync(), StringComparison.Ordinal);
        var densityFill = await shape.GetAttributeAsync("fill");

        await page.SelectOptionAsync("[data-testid=map-measure]", "overdue");

        await Assertions.Expect(legend).ToContainTextAsync("超期件数");
        await Assertions.Expect(legend).ToContainTextAsync("11 件及以上");
        Assert.DoesNotContain("未结案件密度", await legend.InnerTextAsync(), StringComparison.Ordinal);
        await Assertions.Expect(shape).Not.ToHaveAttributeAsync("fill", densityFill!);
    }

    [Fact]
    public async Task Case_pins_are_clustered_coloured_and_follow_the_filters()
    {
        var scene = await SceneAsync();
        var page = await OpenMapAsync("dispatcher");

        await WaitForPinsAsync(page, 3);
        Assert.True(await page.Locator(".leaflet-marker-pane .case-pin-overdue").CountAsync() > 0, "overdue pins or clusters are red");

        await page.Locator("[data-testid=map-overdue-only]").CheckAsync();
        await WaitForPinsAsync(page, 2);
        Assert.Equal(0, await page.Locator(".leaflet-marker-pane .case-pin-normal").CountAsync());

        await page.Locator("[data-testid=map-overdue-only]").UncheckAsync();
        await page.SelectOptionAsync("[data-testid=map-community]", scene.CommunityB.ToString());
        await WaitForPinsAsync(page, 1);
        await page.Locator(".leaflet-marker-pane .case-pin").ClickAsync();
        var popup = page.Locator(".leaflet-popup-content");
        await Assertions.Expect(popup).ToContainTextAsync(scene.B0Number);
        Assert.Equal($"/cases/{scene.B0}", await popup.Locator("a").GetAttributeAsync("href"));

        await page.Locator("[data-testid=map-pins]").UncheckAsync();
        await WaitForPinsAsync(page, 0);
    }

    [Fact]
    public async Task A_department_handler_is_told_why_there_is_no_map()
    {
        var page = await app.SignInAsync("dept1", path: "/map");

        var empty = page.Locator("[data-testid=map-empty]");
        await empty.WaitForAsync();
        Assert.Contains("您的数据范围内没有网格", await empty.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator(".leaflet-container").CountAsync());
    }

    private async Task<IPage> OpenMapAsync(string user)
    {
        var page = await app.SignInAsync(user, path: "/map");
        await page.Locator("[data-testid=map][data-ready=true]").WaitForAsync();
        return page;
    }

    /// <summary>Waits until the pins on the map, counting each cluster as its number, add up to <paramref name="expected"/>.</summary>
    private static Task<IJSHandle> WaitForPinsAsync(IPage page, int expected) => page.WaitForFunctionAsync("""
        expected => [...document.querySelectorAll('.leaflet-marker-pane .leaflet-marker-icon')]
            .reduce((sum, icon) => sum + (icon.classList.contains('case-cluster') ? Number(icon.textContent) : 1), 0) === expected
        """, expected);

    private Task<Scene> SceneAsync() => Scenes.GetOrAdd(app, _ => BuildSceneAsync());

    private async Task<Scene> BuildSceneAsync()
    {
        var cases = new CaseClient(app);
        var dispatcher = await app.ClientForAsync("dispatcher");
        var category = await cases.CategoryIdAsync("楼道堆物");
        var a0 = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(category, await cases.PointInCommunityAsync(CommunityA), title: "楼道堆放纸箱"));
        await CaseClient.ActAsync(dispatcher, a0, "dispatch", new { unitId = await cases.UnitIdAsync(CommunityA) });
        await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(category, await cases.PointInCommunityAsync(CommunityA, 1), title: "楼道堆放旧家具"));
        var communityB = await cases.UnitIdAsync(CommunityB);
        var b0 = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(category, await cases.PointInCommunityAsync(CommunityB), title: "楼道堆放自行车"));
        await CaseClient.ActAsync(dispatcher, b0, "dispatch", new { unitId = communityB });

        // A month later both dispatched cases are past their completion deadline; the received one has none yet.
        app.Clock.Advance(TimeSpan.FromDays(30));
        return new Scene(a0.Id, a0.Number, a0.GridId!.Value, b0.Id, b0.Number, communityB);
    }

    [GeneratedRegex(@"(?<!\d)1\d{10}(?!\d)")]
    private static partial Regex MobileNumber();

    private sealed record Scene(Guid A0, string A0Number, Guid GridOfA0, Guid B0, string B0Number, Guid CommunityB);
}
