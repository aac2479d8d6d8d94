using System.Globalization;
using Community360.Auditing;
using Community360.Tests.Cases;
using Community360.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Community360.Tests.Browser;

/// <summary>The case list (inboxes, filters, links) and the case detail page (masking, reveal, actions, scope), in Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CaseListAndDetailTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private const string CommunityA = "110199001001";
    private readonly CaseClient _cases = new(app);

    [Fact]
    public async Task The_list_filters_by_inbox_and_text_and_its_url_opens_the_same_list()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var category = await _cases.CategoryIdAsync("楼道堆物");
        var wanted = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(category, await _cases.PointInCommunityAsync(CommunityA), title: "列表筛选甲楼道堆物"));
        var other = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(category, await _cases.PointInCommunityAsync(CommunityA, 1), title: "列表筛选乙楼道堆物"));
        var dispatched = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(category, await _cases.PointInCommunityAsync(CommunityA, 2), title: "列表筛选甲已派单"));
        await CaseClient.ActAsync(dispatcher, dispatched, "dispatch", new { unitId = await _cases.UnitIdAsync(CommunityA) });

        var page = await app.SignInAsync("dispatcher", path: "/cases?inbox=ToDispatch");
        await Expect(Row(page, wanted.Number)).ToBeVisibleAsync();
        await Expect(Row(page, other.Number)).ToBeVisibleAsync();
        await Expect(Row(page, dispatched.Number)).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=inbox-tab-ToDispatch]")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("active"));

        await page.FillAsync("#filter-text", "列表筛选甲");
        await page.ClickAsync("[data-testid=filter-apply]");

        await page.WaitForURLAsync(url => url.Contains("text=", StringComparison.Ordinal));
        await Expect(Row(page, other.Number)).ToHaveCountAsync(0);
        await Expect(Row(page, wanted.Number)).ToBeVisibleAsync();
        await Expect(Row(page, dispatched.Number)).ToHaveCountAsync(0);
        var url = new Uri(page.Url);
        Assert.Equal("/cases", url.AbsolutePath);
        Assert.Contains("inbox=ToDispatch", url.Query, StringComparison.Ordinal);
        Assert.Contains("text=" + Uri.EscapeDataString("列表筛选甲"), url.Query, StringComparison.Ordinal);

        // The same URL in a fresh page shows the same list with the same filters filled in.
        var again = await app.SignInAsync("dispatcher", path: url.PathAndQuery);
        await Expect(Row(again, wanted.Number)).ToBeVisibleAsync();
        await Expect(again.Locator("[data-testid=case-row]")).ToHaveCountAsync(1);
        await Expect(again.Locator("#filter-text")).ToHaveValueAsync("列表筛选甲");

        // 全部 lists the dispatched one too; the row links to its detail page.
        await again.ClickAsync("[data-testid=inbox-tab-All]");
        await again.WaitForURLAsync(u => !u.Contains("inbox=", StringComparison.Ordinal));
        await Expect(again.Locator("#filter-text")).ToHaveValueAsync("");
        await again.FillAsync("#filter-text", "列表筛选甲");
        await again.ClickAsync("[data-testid=filter-apply]");
        await Expect(Row(again, dispatched.Number)).ToBeVisibleAsync();
        await Expect(again.Locator("[data-testid=case-row]")).ToHaveCountAsync(2);
        await Row(again, dispatched.Number).Locator("a").First.ClickAsync();
        await again.WaitForURLAsync(u => u.Contains($"/cases/{dispatched.Id}", StringComparison.Ordinal));
        await Expect(again.Locator("[data-testid=case-number]")).ToHaveTextAsync(dispatched.Number);

        // A filter that matches nothing says so in Chinese.
        await again.GotoAsync("/cases?inbox=ToDispatch&text=" + Uri.EscapeDataString("没有这样的工单"));
        await Expect(again.Locator("[data-testid=case-list-empty]")).ToContainTextAsync("没有符合条件");
    }

    [Fact]
    public async Task An_overdue_case_is_marked_red_in_the_handlers_inbox()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var received = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(await _cases.CategoryIdAsync("楼道堆物"), await _cases.PointInCommunityAsync(CommunityA, 3), title: "超期标记楼道堆物"));
        await CaseClient.ActAsync(dispatcher, received, "dispatch", new { unitId = await _cases.UnitIdAsync(CommunityA) });
        var fresh = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(await _cases.CategoryIdAsync("楼道堆物"), await _cases.PointInCommunityAsync(CommunityA, 4), title: "未超期楼道堆物"));
        app.Clock.Advance(TimeSpan.FromDays(10));
        var later = await app.ClientForAsync("dispatcher");
        var onTime = await CaseClient.ActAsync(later, await GetAsync(later, fresh.Id), "dispatch", new { unitId = await _cases.UnitIdAsync(CommunityA) });

        var page = await app.SignInAsync("worker1", path: "/cases?inbox=ToAccept");

        var overdue = Row(page, received.Number);
        await Expect(overdue).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("row-overdue"));
        await Expect(overdue.Locator(".deadline-overdue")).ToContainTextAsync("超期");
        var ok = Row(page, onTime.Number);
        await Expect(ok).ToBeVisibleAsync();
        Assert.DoesNotContain("row-overdue", await ok.GetAttributeAsync("class") ?? "", StringComparison.Ordinal);
        await Expect(ok.Locator(".deadline-overdue")).ToHaveCountAsync(0);
        // The badge of 待签收 is red while something in it is overdue.
        await Expect(page.Locator("[data-testid=inbox-badge-ToAccept]")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("text-bg-danger"));
    }

    [Fact]
    public async Task The_phone_is_masked_and_revealing_it_takes_a_reason_and_is_audited()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var @case = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(await _cases.CategoryIdAsync("楼道堆物"), await _cases.PointInCommunityAsync(CommunityA), title: "查看电话楼道堆物", phone: "17012345678"));

        var page = await app.SignInAsync("dispatcher", path: $"/cases/{@case.Id}");
        var phone = page.Locator("[data-testid=complainant-phone]");
        await Expect(phone).ToContainTextAsync("****");
        Assert.DoesNotContain("17012345678", await page.ContentAsync(), StringComparison.Ordinal);

        await page.ClickAsync("[data-testid=reveal-complainant]");
        await page.ClickAsync("[data-testid=reveal-confirm]");
        await Expect(page.Locator("[data-field-error=reason]")).ToContainTextAsync("理由");
        await Expect(page.Locator("#revealReason")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("is-invalid"));
        Assert.Equal(0, await RevealAuditsAsync(@case.Id));

        await page.FillAsync("#revealReason", "需电话联系诉求人核实现场情况");
        await page.ClickAsync("[data-testid=reveal-confirm]");

        await Expect(phone).ToHaveTextAsync("17012345678");
        await Expect(page.Locator("[data-testid=complainant-revealed]")).ToBeVisibleAsync();
        Assert.Equal(1, await RevealAuditsAsync(@case.Id));
    }

    [Fact]
    public async Task A_worker_accepts_a_dispatched_case_on_its_page_and_state_and_badge_follow_without_reload()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var received = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(await _cases.CategoryIdAsync("楼道堆物"), await _cases.PointInCommunityAsync(CommunityA, 1), title: "签收测试楼道堆物"));
        var dispatched = await CaseClient.ActAsync(dispatcher, received, "dispatch", new { unitId = await _cases.UnitIdAsync(CommunityA) });

        var page = await app.SignInAsync("worker1", path: $"/cases/{dispatched.Id}");
        await Expect(page.Locator("[data-testid=case-state]")).ToHaveTextAsync("已派单");
        var badge = page.Locator("[data-testid=inbox-badge-ToAccept]");
        await Expect(badge).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+$"));
        var before = int.Parse(await badge.InnerTextAsync(), CultureInfo.InvariantCulture);
        Assert.True(before >= 1);
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        await page.ClickAsync("[data-testid=action-Accept]");
        await page.FillAsync("#note", "已电话联系诉求人，马上到现场。");
        await page.ClickAsync("[data-testid=action-submit]");

        await Expect(page.Locator("[data-testid=case-state]")).ToHaveTextAsync("处置中");
        await Expect(badge).ToHaveTextAsync((before - 1).ToString(CultureInfo.InvariantCulture));
        await Expect(page.Locator("[data-testid=action-Complete]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=timeline-item]").First).ToContainTextAsync("签收");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"));
        await using var db = app.CreateDbContext();
        Assert.Equal(Community360.Cases.CaseState.Accepted, (await db.Cases.SingleAsync(c => c.Id == dispatched.Id)).State);
    }

    [Fact]
    public async Task A_worker_of_another_community_sees_only_not_found_for_a_case_outside_their_scope()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var @case = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(await _cases.CategoryIdAsync("楼道堆物"), await _cases.PointInCommunityAsync(CommunityA, 2), title: "越权访问测试楼道堆物"));
        await CaseClient.ActAsync(dispatcher, @case, "dispatch", new { unitId = await _cases.UnitIdAsync(CommunityA) });

        var page = await app.SignInAsync("worker2", path: $"/cases/{@case.Id}");

        await Expect(page.Locator(".console-content .alert")).ToContainTextAsync("工单不存在或您无权访问");
        await Expect(page.Locator("[data-testid=case-number]")).ToHaveCountAsync(0);
        Assert.DoesNotContain("越权访问测试", await page.Locator(".console-content").InnerTextAsync(), StringComparison.Ordinal);
    }

    private static ILocator Row(IPage page, string number) => page.Locator($"[data-testid=case-row][data-case-number='{number}']");

    private static async Task<CaseView> GetAsync(HttpClient client, Guid id) =>
        await (await client.GetAsync($"/api/cases/{id}")).ShouldBeOkAsync<CaseView>();

    private async Task<int> RevealAuditsAsync(Guid caseId)
    {
        await using var db = app.CreateDbContext();
        return await db.AuditEntries.CountAsync(a => a.Action == AuditActions.PersonalDataRevealed && a.EntityId == caseId.ToString());
    }
}
