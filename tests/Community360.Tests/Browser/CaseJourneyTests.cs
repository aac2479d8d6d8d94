using System.Globalization;
using System.Text.RegularExpressions;
using Community360.Cases;
using Community360.Tests.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Community360.Tests.Browser;

/// <summary>
/// One walk-in demand through the whole console, as the people who handle it would: the dispatcher registers it
/// (warned of the earlier report it repeats) and dispatches it, the community worker accepts it and completes it
/// with a photo, the dispatcher verifies it and calls the resident back; the dashboard counts it, and a worker of
/// another community cannot open it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class CaseJourneyTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    // A 1×1 PNG: the smallest real image the attachment store accepts.
    private static readonly byte[] Photo = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private readonly CaseClient _cases = new(app);

    [Fact]
    public async Task A_walk_in_demand_goes_from_intake_to_callback_in_the_console()
    {
        // This street checks citizen demands on site before the callback (核查), a per-type setting that is off by default.
        await using (var setup = app.CreateDbContext())
        {
            var demands = await setup.CaseTypeConfigs.SingleAsync(c => c.Type == CaseType.CitizenDemand);
            demands.RequiresOnSiteVerification = true;
            await setup.SaveChangesAsync();
        }
        var api = await app.ClientForAsync("dispatcher");
        var place = await _cases.PointInCommunityAsync("110199001001", 2);
        var earlier = await CaseClient.ReceiveAsync(api, CaseClient.Intake(await _cases.CategoryIdAsync("生活噪声"), place,
            title: "楼下烧烤店油烟噪声扰民", description: "槐荫里3号楼楼下烧烤店每天营业到凌晨两点，油烟和吵闹声很大，影响休息。",
            address: "槐荫里3号楼", phone: "17066667777"));

        // The dashboard before: today's received count.
        var dispatcher = await app.SignInAsync("dispatcher");
        var receivedToday = dispatcher.Locator("[data-testid=stat-value-today-received]");
        var before = int.Parse(await receivedToday.InnerTextAsync(), CultureInfo.InvariantCulture);

        // 受理登记: the repeat warning appears while typing, before anything is saved.
        await dispatcher.GotoAsync("/cases/new");
        await ConsoleApp.WaitForInteractiveAsync(dispatcher);
        await dispatcher.SelectOptionAsync("#channel", "WalkIn");
        await IntakeAndDispatchTests.PickCategoryAsync(dispatcher, "生活噪声");
        await dispatcher.FillAsync("#title", "三号楼下烧烤店又营业到凌晨");
        await dispatcher.FillAsync("#description", "槐荫里3号楼楼下的烧烤店每天营业到凌晨两点，油烟和吵闹声很大，上次反映后没有改善。");
        await dispatcher.FillAsync("#address", "槐荫里3号楼");
        await dispatcher.FillAsync("#complainantName", "孙先生");
        await dispatcher.FillAsync("#complainantPhone", "17088889999");
        await IntakeAndDispatchTests.ClickMapAtAsync(dispatcher, place);
        await dispatcher.Locator("[data-testid=repeat-candidate]").Filter(new() { HasText = earlier.Number }).WaitForAsync();
        await dispatcher.ClickAsync("[data-testid=intake-save]");
        await dispatcher.WaitForURLAsync(CaseUrl());
        var id = Guid.Parse(CaseUrl().Match(dispatcher.Url).Groups[1].Value);
        await ExpectStateAsync(dispatcher, "已受理");

        // 派单 by the suggestion: a noise complaint goes to the community it happened in.
        await dispatcher.ClickAsync("[data-testid=action-Dispatch]");
        await dispatcher.ClickAsync("[data-testid=dispatch-accept-suggestion]");
        await ExpectStateAsync(dispatcher, "已派单");
        await using (var db = app.CreateDbContext())
        {
            var dispatched = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == id);
            Assert.Equal(await _cases.UnitIdAsync("110199001001"), dispatched.HandlingUnitId);
        }

        // The community worker finds it in 待签收, accepts it and completes it with a photo.
        var worker = await app.SignInAsync("worker1", path: "/cases?inbox=ToAccept");
        await worker.Locator($"[data-testid=case-row][data-case-number='{(await NumberAsync(id))}'] a").First.ClickAsync();
        await ExpectStateAsync(worker, "已派单");
        await worker.ClickAsync("[data-testid=action-Accept]");
        await worker.ClickAsync("[data-testid=action-submit]");
        await ExpectStateAsync(worker, "处置中");
        await worker.ClickAsync("[data-testid=action-Complete]");
        await worker.FillAsync("#note", "已约谈烧烤店经营者，营业时间调整为22点前结束，加装油烟净化器。");
        await worker.Locator("[data-testid=action-form] [data-testid=attachment-input]").SetInputFilesAsync(
            new FilePayload { Name = "现场照片.png", MimeType = "image/png", Buffer = Photo });
        await worker.ClickAsync("[data-testid=action-submit]");
        await ExpectStateAsync(worker, "已办结");

        // The dispatcher verifies the result and calls the resident back.
        await dispatcher.GotoAsync($"/cases/{id}");
        await ConsoleApp.WaitForInteractiveAsync(dispatcher);
        await ExpectStateAsync(dispatcher, "已办结");
        await dispatcher.ClickAsync("[data-testid=action-VerifyPass]");
        await dispatcher.ClickAsync("[data-testid=action-submit]");
        await ExpectStateAsync(dispatcher, "已核查");
        await dispatcher.ClickAsync("[data-testid=action-Callback]");
        await dispatcher.SelectOptionAsync("#contact", "Reached");
        await dispatcher.SelectOptionAsync("#resolved", "yes");
        await dispatcher.SelectOptionAsync("#satisfaction", "Satisfied");
        await dispatcher.ClickAsync("[data-testid=action-submit]");
        await dispatcher.Locator("[data-testid=action-done]").WaitForAsync();

        await using (var db = app.CreateDbContext())
        {
            var done = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == id);
            Assert.Equal(Satisfaction.Satisfied, done.CallbackSatisfaction);
            Assert.Equal(true, done.CallbackResolved);
            Assert.Equal(earlier.Id, done.RepeatClusterId);
            Assert.Equal(1, await db.CaseAttachments.CountAsync(a => a.CaseId == id));
            var actions = await db.CaseEvents.Where(e => e.CaseId == id).Select(e => e.Action).ToListAsync();
            Assert.Subset(new HashSet<CaseAction> { CaseAction.Receive, CaseAction.Dispatch, CaseAction.Accept, CaseAction.Complete, CaseAction.VerifyPass, CaseAction.Callback },
                actions.ToHashSet());
        }

        // The dashboard counts the new case.
        await dispatcher.GotoAsync("/");
        await ConsoleApp.WaitForInteractiveAsync(dispatcher);
        Assert.Equal((before + 1).ToString(CultureInfo.InvariantCulture), await receivedToday.InnerTextAsync());

        // A worker of community B cannot open it by its address.
        var outsider = await app.SignInAsync("worker2", path: $"/cases/{id}");
        await outsider.GetByText("工单不存在或您无权访问").First.WaitForAsync();
        Assert.Equal(0, await outsider.Locator("[data-testid=case-number]").CountAsync());
        Assert.DoesNotContain("烧烤店又营业到凌晨", await outsider.ContentAsync(), StringComparison.Ordinal);
    }

    private static Task ExpectStateAsync(IPage page, string stateName) =>
        page.Locator("[data-testid=case-state]").Filter(new() { HasText = stateName }).WaitForAsync();

    private async Task<string> NumberAsync(Guid id)
    {
        await using var db = app.CreateDbContext();
        return await db.Cases.Where(c => c.Id == id).Select(c => c.Number).SingleAsync();
    }

    [GeneratedRegex(@"/cases/([0-9a-f-]{36})$")]
    private static partial Regex CaseUrl();
}
