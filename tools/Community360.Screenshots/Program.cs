using Microsoft.Playwright;

// Takes a screenshot of every main page of a running Community360 (see scripts/screenshots.sh), as each role sees it,
// so that a person can look at them: Chinese that fits, no English leftovers, no overflow, no unexplained empty pages.
if (args.Length < 2)
{
    await Console.Error.WriteLineAsync("usage: Community360.Screenshots <base-url> <output-dir> [password]");
    return 2;
}
var baseUrl = args[0].TrimEnd('/') + "/";
var output = Directory.CreateDirectory(args[1]).FullName;
var password = args.Length > 2 ? args[2] : "Demo@2026";
var only = Environment.GetEnvironmentVariable("SHOTS_ONLY");

Shot[] shots =
[
    new(null, "/login", "01-login"),
    new("leader", "/", "02-dashboard-leader"),
    new("leader", "/", "03-dashboard-command-centre", 1920, 1080),
    new("dispatcher", "/cases?inbox=ToDispatch", "04-inbox-to-dispatch"),
    new("dispatcher", "/cases", "05-case-list"),
    new("dispatcher", "/cases", "06-case-detail", OpenFirstCase: true),
    new("dispatcher", "/cases/new", "07-intake"),
    new("dispatcher", "/dispatch", "08-batch-dispatch"),
    new("dispatcher", "/map", "09-grid-map"),
    new("leader", "/map", "10-grid-map-command-centre", 1920, 1080),
    new("worker1", "/cases?inbox=ToAccept", "11-inbox-worker"),
    new("worker1", "/cases?inbox=InProgress", "12-case-detail-worker", OpenFirstCase: true),
    new("grid1", "/cases?inbox=ToVerifyReport", "13-inbox-grid-worker"),
    new("sysadmin", "/admin/org-units", "14-admin-org-units"),
    new("sysadmin", "/admin/grids", "15-admin-grids"),
    new("sysadmin", "/admin/categories", "16-admin-categories"),
    new("sysadmin", "/admin/calendar", "17-admin-calendar"),
    new("sysadmin", "/admin/users", "18-admin-users"),
    new("secadmin", "/admin/users", "19-admin-users-security"),
    new("auditadmin", "/admin/audit", "20-admin-audit"),
];

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--lang=zh-CN"],
});

var failures = 0;
foreach (var shot in shots.Where(s => only is null || s.Name.Contains(only, StringComparison.Ordinal)))
{
    await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = baseUrl,
        ViewportSize = new ViewportSize { Width = shot.Width, Height = shot.Height },
        Locale = "zh-CN",
        TimezoneId = "Asia/Shanghai",
    });
    context.SetDefaultTimeout(30_000);
    var page = await context.NewPageAsync();
    try
    {
        if (shot.User is { } user)
        {
            await page.GotoAsync("login?returnUrl=" + Uri.EscapeDataString(shot.Path));
            await page.FillAsync("#userName", user);
            await page.FillAsync("#password", password);
            await page.ClickAsync("button[type=submit]");
            await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        }
        else
        {
            await page.GotoAsync(shot.Path.TrimStart('/'));
        }
        await SettleAsync(page, shot.User is not null);
        if (shot.OpenFirstCase)
        {
            var first = page.Locator("[data-testid=case-row] a").First;
            if (await first.CountAsync() > 0)
            {
                await first.ClickAsync();
                await page.Locator("[data-testid=case-state]").WaitForAsync();
                await SettleAsync(page, interactive: true);
            }
        }
        var file = Path.Combine(output, shot.Name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file });
        Console.WriteLine($"{file}  ({shot.User ?? "anonymous"} {shot.Path} {shot.Width}x{shot.Height})");
    }
    catch (Exception e) when (e is PlaywrightException or TimeoutException)
    {
        failures++;
        await Console.Error.WriteLineAsync($"{shot.Name}: {string.Join(" | ", e.Message.Split('\n').Take(4))}");
    }
}
return failures == 0 ? 0 : 1;

static async Task SettleAsync(IPage page, bool interactive)
{
    if (interactive)
    {
        await page.Locator(".console-shell[data-interactive=true]").WaitForAsync();
    }
    await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    // Charts and maps draw after their scripts load; let their entry animations finish before the picture is taken.
    await page.WaitForTimeoutAsync(1200);
}

internal sealed record Shot(string? User, string Path, string Name, int Width = 1366, int Height = 768, bool OpenFirstCase = false);
