using System.Globalization;
using System.Text;
using Community360.Calendar;
using Community360.Cases;
using Community360.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Community360.Tests.Browser;

/// <summary>The administration pages of the staff console, in real headless Chromium against the demo street.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminPagesTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private const string DepartmentCode = "110199001D04";

    [Fact]
    public async Task The_system_admin_lands_on_org_units_searches_and_edits_one()
    {
        var page = await app.SignInAsync("sysadmin");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/admin/org-units");
        await page.Locator("[data-testid=org-row]").First.WaitForAsync();

        await page.FillAsync("[data-testid=org-search]", DepartmentCode);
        await page.ClickAsync("[data-testid=org-search-submit]");
        await Assertions.Expect(page.Locator("[data-testid=org-row]")).ToHaveCountAsync(1);

        var row = page.Locator($"[data-testid=org-row][data-code='{DepartmentCode}']");
        await row.Locator("[data-testid=org-edit]").ClickAsync();
        await page.Locator("[data-testid=org-form]").WaitForAsync();
        await page.FillAsync("#f-person", "周建国");
        await page.FillAsync("#f-address", "示例路 8 号");
        await page.ClickAsync("[data-testid=org-form-save]");

        await page.Locator("[data-testid=org-notice]").WaitForAsync();
        await Assertions.Expect(row).ToContainTextAsync("周建国");
        await using var db = app.CreateDbContext();
        var unit = await db.OrgUnits.AsNoTracking().SingleAsync(u => u.Code == DepartmentCode);
        Assert.Equal("周建国", unit.ContactPerson);
        Assert.Equal("示例路 8 号", unit.Address);
    }

    [Fact]
    public async Task An_empty_name_is_named_beside_the_field_and_nothing_is_saved()
    {
        const string code = "110199001D05";
        await using var before = app.CreateDbContext();
        var original = await before.OrgUnits.AsNoTracking().SingleAsync(u => u.Code == code);
        var page = await app.SignInAsync("sysadmin", path: "/admin/org-units");

        await page.FillAsync("[data-testid=org-search]", code);
        await page.ClickAsync("[data-testid=org-search-submit]");
        await page.Locator($"[data-testid=org-row][data-code='{code}'] [data-testid=org-edit]").ClickAsync();
        await page.FillAsync("[data-testid=org-form-name]", "");
        await page.ClickAsync("[data-testid=org-form-save]");

        var error = page.Locator("[data-testid=org-form] [data-field-error=name]");
        await error.WaitForAsync();
        Assert.Equal("请填写单位名称。", (await error.InnerTextAsync()).Trim());
        Assert.Contains("is-invalid", await page.GetAttributeAsync("[data-testid=org-form-name]", "class") ?? "", StringComparison.Ordinal);
        await using var after = app.CreateDbContext();
        var unit = await after.OrgUnits.AsNoTracking().SingleAsync(u => u.Code == code);
        Assert.Equal(original.Name, unit.Name);
        Assert.Equal(original.Version, unit.Version);
    }

    [Fact]
    public async Task A_broken_geojson_file_lists_every_bad_feature_and_imports_nothing()
    {
        int gridsBefore, unitsBefore;
        await using (var db = app.CreateDbContext())
        {
            gridsBefore = await db.Grids.CountAsync();
            unitsBefore = await db.OrgUnits.CountAsync();
        }
        var page = await app.SignInAsync("sysadmin", path: "/admin/grids");
        await page.Locator("[data-testid=grid-row]").First.WaitForAsync();
        await page.ClickAsync("[data-testid=grid-import-open]");
        const string geoJson = """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"kind":"grid","code":"110199001001099","name":"坏网格"},
               "geometry":{"type":"Polygon","coordinates":[[[116.40,39.90],[116.401,39.90]]]}},
              {"type":"Feature","properties":{"kind":"island","code":"X1","name":"无名"},
               "geometry":{"type":"Polygon","coordinates":[[[116.40,39.90],[116.401,39.90],[116.401,39.901],[116.40,39.90]]]}}
            ]}
            """;
        await page.Locator("[data-testid=grid-import-file]").SetInputFilesAsync(new FilePayload
        {
            Name = "broken.geojson",
            MimeType = "application/geo+json",
            Buffer = Encoding.UTF8.GetBytes(geoJson),
        });

        await page.Locator("[data-testid=grid-import-errors]").WaitForAsync();
        Assert.Contains("未导入任何数据", await page.Locator("[data-testid=grid-import-problem]").InnerTextAsync(), StringComparison.Ordinal);
        var rows = page.Locator("[data-testid=grid-import-error]");
        Assert.True(await rows.CountAsync() >= 2);
        var first = await rows.First.Locator("td").AllInnerTextsAsync();
        Assert.Equal("第 1 个", first[0]);
        Assert.Equal("网格", first[1]);
        Assert.Equal("110199001001099", first[2]);
        Assert.Equal("坏网格", first[3]);
        Assert.True(ApiAssertionsChinese(first[4]));
        Assert.Contains(await rows.AllInnerTextsAsync(), r => r.Contains("第 2 个", StringComparison.Ordinal));
        Assert.Equal(0, await page.Locator("[data-testid=grid-import-success]").CountAsync());

        await using var after = app.CreateDbContext();
        Assert.Equal(gridsBefore, await after.Grids.CountAsync());
        Assert.Equal(unitsBefore, await after.OrgUnits.CountAsync());
        Assert.False(await after.Grids.AnyAsync(g => g.Code == "110199001001099"));
    }

    [Fact]
    public async Task The_security_admin_assigns_a_role_and_sees_no_account_buttons()
    {
        var page = await app.SignInAsync("secadmin");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/admin/users");
        await page.FillAsync("[data-testid=user-search]", "worker2");
        await page.ClickAsync("[data-testid=user-search-submit]");
        var row = page.Locator("[data-testid=user-row][data-user=worker2]");
        await row.WaitForAsync();
        Assert.Equal(0, await page.Locator("[data-testid=user-create]").CountAsync());
        Assert.Equal(0, await row.Locator("[data-testid=user-reset]").CountAsync());

        await row.Locator("[data-testid=user-set-roles]").ClickAsync();
        await page.Locator("[data-testid=user-roles-form]").WaitForAsync();
        await page.CheckAsync($"[data-testid=role-{Roles.GridWorker}]");
        await page.ClickAsync("[data-testid=user-roles-save]");

        await page.Locator("[data-testid=user-notice]").WaitForAsync();
        await Assertions.Expect(row.Locator("[data-testid=user-roles]")).ToContainTextAsync(Roles.DisplayName(Roles.GridWorker));
        await using var db = app.CreateDbContext();
        var roles = await db.UserRoles.Where(ur => db.Users.Any(u => u.Id == ur.UserId && u.UserName == "worker2"))
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToListAsync();
        Assert.Contains(Roles.GridWorker, roles);
        Assert.Contains(Roles.CommunityWorker, roles);
    }

    [Fact]
    public async Task The_security_admin_sees_the_refusal_of_combining_separated_duties()
    {
        var page = await app.SignInAsync("secadmin", path: "/admin/users");
        await page.FillAsync("[data-testid=user-search]", "auditadmin");
        await page.ClickAsync("[data-testid=user-search-submit]");
        var row = page.Locator("[data-testid=user-row][data-user=auditadmin]");
        await row.Locator("[data-testid=user-set-roles]").ClickAsync();
        await page.CheckAsync($"[data-testid=role-{Roles.SystemAdmin}]");
        await page.ClickAsync("[data-testid=user-roles-save]");

        var error = page.Locator("[data-testid=user-roles-form] [data-field-error=roles]");
        await error.WaitForAsync();
        Assert.Contains("三员分立", await error.InnerTextAsync(), StringComparison.Ordinal);
        await using var db = app.CreateDbContext();
        var roles = await db.UserRoles.Where(ur => db.Users.Any(u => u.Id == ur.UserId && u.UserName == "auditadmin"))
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToListAsync();
        Assert.Equal([Roles.AuditAdmin], roles);
    }

    [Fact]
    public async Task A_categorys_time_limit_edit_is_saved()
    {
        CaseCategory category;
        await using (var db = app.CreateDbContext())
        {
            category = await db.CaseCategories.AsNoTracking().Where(c => c.ParentId == null).OrderBy(c => c.Code).Skip(1).FirstAsync();
        }
        var page = await app.SignInAsync("sysadmin", path: "/admin/categories");
        await page.FillAsync("[data-testid=cat-search]", category.Code);
        var allRows = await page.Locator("[data-testid=cat-row]").CountAsync();
        await page.ClickAsync("[data-testid=cat-search-submit]");
        // Edit only once the search has answered, as a clerk would: the full list is still on screen until then.
        await page.WaitForFunctionAsync("n => document.querySelectorAll('[data-testid=cat-row]').length < n", allRows);
        var row = page.Locator($"[data-testid=cat-row][data-code='{category.Code}']");
        await row.Locator("[data-testid=cat-edit]").ClickAsync();
        await page.Locator("[data-testid=cat-form]").WaitForAsync();
        // A value the category does not have yet, so that saving is a real change whatever the catalogue says.
        var current = category.TimeLimits.Single(l => l.Urgency == CaseUrgency.Normal).Completion;
        var days = current == new TimeLimit(7, TimeLimitUnit.WorkingDays) ? 8 : 7;
        await page.FillAsync("[data-testid=cat-form-Normal-completion-value]", days.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("[data-testid=cat-form-Normal-completion-value]")).ToHaveValueAsync(days.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.SelectOptionAsync("[data-testid=cat-form-Normal-completion-unit]", nameof(TimeLimitUnit.WorkingDays));
        await page.ClickAsync("[data-testid=cat-form-save]");

        await page.Locator("[data-testid=cat-notice]").WaitForAsync();
        await Assertions.Expect(row.Locator("[data-testid=cat-limit-Normal]")).ToContainTextAsync($"{days}工作日");
        await using var after = app.CreateDbContext();
        var stored = await after.CaseCategories.AsNoTracking().SingleAsync(c => c.Id == category.Id);
        Assert.Equal(new TimeLimit(days, TimeLimitUnit.WorkingDays), stored.TimeLimits.Single(l => l.Urgency == CaseUrgency.Normal).Completion);
        Assert.NotEqual(category.Version, stored.Version);
    }

    [Fact]
    public async Task A_calendar_day_edit_is_saved()
    {
        var year = app.Clock.GetUtcNow().Year;
        var saturday = new DateOnly(year, 9, 1);
        while (saturday.DayOfWeek != DayOfWeek.Saturday)
        {
            saturday = saturday.AddDays(1);
        }
        var iso = saturday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var page = await app.SignInAsync("sysadmin", path: "/admin/calendar");

        await page.Locator($"[data-testid=cal-day][data-date='{iso}']").ClickAsync();
        await page.Locator("[data-testid=cal-day-form]").WaitForAsync();
        await page.SelectOptionAsync("[data-testid=cal-day-kind]", nameof(CalendarDayKind.AdjustedWorkday));
        await page.FillAsync("[data-testid=cal-day-name]", "测试调休");
        await page.ClickAsync("[data-testid=cal-day-save]");

        await page.Locator("[data-testid=cal-notice]").WaitForAsync();
        await Assertions.Expect(page.Locator($"[data-testid=cal-day][data-date='{iso}']")).ToHaveAttributeAsync("data-kind", nameof(CalendarDayKind.AdjustedWorkday));
        await using var db = app.CreateDbContext();
        var day = await db.Set<CalendarDay>().AsNoTracking().SingleAsync(d => d.Date == saturday);
        Assert.Equal(CalendarDayKind.AdjustedWorkday, day.Kind);
        Assert.Equal("测试调休", day.Name);
    }

    [Fact]
    public async Task The_audit_admin_pages_through_the_trail_and_verifies_the_chain()
    {
        var page = await app.SignInAsync("auditadmin");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/admin/audit");
        await page.Locator("[data-testid=audit-row]").First.WaitForAsync();
        var firstPage = await page.Locator("[data-testid=audit-row]").CountAsync();
        if (await page.Locator("[data-testid=audit-more]").CountAsync() > 0)
        {
            await page.ClickAsync("[data-testid=audit-more]");
            await Assertions.Expect(page.Locator("[data-testid=audit-row]")).Not.ToHaveCountAsync(firstPage);
        }

        await page.ClickAsync("[data-testid=audit-verify]");
        var verification = page.Locator("[data-testid=audit-verification]");
        await verification.WaitForAsync();
        Assert.Contains("日志链完整", await verification.InnerTextAsync(), StringComparison.Ordinal);
    }

    private static bool ApiAssertionsChinese(string text) => Infrastructure.ApiAssertions.IsChinese(text);
}
