namespace Community360.Tests.Browser;

/// <summary>Sign-in, the shell and its role-filtered navigation, in real headless Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ShellTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    [Fact]
    public async Task A_dispatcher_signs_in_and_sees_name_unit_role_and_only_their_pages()
    {
        var page = await app.SignInAsync("dispatcher");

        var user = page.Locator("[data-testid=current-user]");
        Assert.False(string.IsNullOrWhiteSpace(await user.InnerTextAsync()));
        Assert.Contains("指挥中心派单员", await page.Locator(".console-user-meta").InnerTextAsync(), StringComparison.Ordinal);
        var nav = await page.Locator(".console-nav").InnerTextAsync();
        Assert.Contains("受理登记", nav, StringComparison.Ordinal);
        Assert.Contains("批量派单", nav, StringComparison.Ordinal);
        Assert.DoesNotContain("组织机构", nav, StringComparison.Ordinal);
        Assert.DoesNotContain("审计日志", nav, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_system_administrator_sees_administration_but_no_case_pages()
    {
        var page = await app.SignInAsync("sysadmin");

        var nav = await page.Locator(".console-nav").InnerTextAsync();
        Assert.Contains("组织机构", nav, StringComparison.Ordinal);
        Assert.DoesNotContain("受理登记", nav, StringComparison.Ordinal);
        Assert.DoesNotContain("批量派单", nav, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_in_chinese_and_no_session_starts()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/login");
        await page.FillAsync("#userName", "dispatcher");
        await page.FillAsync("#password", "wrong-password");
        await page.ClickAsync("button[type=submit]");

        var error = page.Locator("[data-testid=login-error]");
        await error.WaitForAsync();
        Assert.Contains("用户名或密码错误", await error.InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "c360.session");
    }

    [Fact]
    public async Task An_empty_form_names_both_fields()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/login");
        await page.ClickAsync("button[type=submit]");

        await page.Locator("[data-field-error=userName]").WaitForAsync();
        Assert.Contains("用户名", await page.Locator("[data-field-error=userName]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("密码", await page.Locator("[data-field-error=password]").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_without_a_session_goes_to_sign_in_and_back_after_it()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/");
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);

        await page.FillAsync("#userName", "leader");
        await page.FillAsync("#password", ConsoleApp.DemoPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/" && !url.Contains("login", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_expired_session_says_so_on_the_sign_in_page()
    {
        var page = await app.SignInAsync("worker1");
        app.Clock.Advance(TimeSpan.FromMinutes(31));

        await page.GotoAsync("/");

        await page.Locator("[data-testid=login-expired]").WaitForAsync();
        Assert.Contains("登录已过期", await page.Locator("[data-testid=login-expired]").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var page = await app.SignInAsync("worker2");
        await page.ClickAsync("text=退出登录");
        await page.WaitForURLAsync(url => url.Contains("/login", StringComparison.Ordinal));

        await page.GotoAsync("/");
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
    }
}
