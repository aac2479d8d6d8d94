using System.Net;
using Community360.Data;
using Community360.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Community360.Tests.Browser;

/// <summary>
/// The real app on Kestrel at a free loopback port, with its own SQLite database, driven by Debian's Chromium through
/// Playwright, as a clerk's browser would use it. One per test class.
/// </summary>
public sealed class ConsoleApp : Community360App, IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public ConsoleApp() : base(DatabaseProvider.Sqlite) =>
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));

    public Uri BaseAddress { get; private set; } = default!;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser starts in InitializeAsync.");

    async ValueTask IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First());
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Without these, Chromium keeps trying to reach Google's hosts, which this network refuses.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--lang=zh-CN"],
        });
    }

    /// <summary>A fresh browser context (its own cookies) at the given screen size, zh-CN and Asia/Shanghai as in the street office.</summary>
    public async Task<IPage> NewPageAsync(int width = 1366, int height = 768)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the sign-in page and waits until the console is interactive.</summary>
    public async Task<IPage> SignInAsync(string userName, string password = DemoPassword, string path = "/", int width = 1366, int height = 768)
    {
        var page = await NewPageAsync(width, height);
        await page.GotoAsync("/login?returnUrl=" + Uri.EscapeDataString(path));
        await page.FillAsync("#userName", userName);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        await WaitForInteractiveAsync(page);
        return page;
    }

    /// <summary>
    /// Waits until the page's Blazor circuit is connected and has rendered: clicks before then would be lost. The
    /// layout marks the shell with data-interactive once it has rendered interactively.
    /// </summary>
    public static Task WaitForInteractiveAsync(IPage page) =>
        page.Locator(".console-shell[data-interactive=true]").WaitForAsync(new() { Timeout = 60_000 });

    public override async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        await base.DisposeAsync();
    }
}

/// <summary>
/// Browser tests run one class at a time, after the parallel ones: a circuit that starts while every core is busy with
/// other test hosts can take longer than any sensible wait, and one Chromium at a time is what a clerk's PC runs anyway.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection
{
    public const string Name = "Browser";
}
