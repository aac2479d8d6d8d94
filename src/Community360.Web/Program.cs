using Community360.Web.Auditing;
using Community360.Web.Calendar;
using Community360.Web.Cases;
using Community360.Web.Geography;
using Community360.Web.Identity;
using Community360.Web.Infrastructure;
using Community360.Web.Organization;
using Community360.Web.Reports;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.AddCommunity360();
var app = builder.Build();

if (args is ["migrate", ..])
{
    await DatabaseStartup.MigrateAsync(app.Services, CancellationToken.None);
    Console.WriteLine("Database migrated.");
    return;
}
if (args is ["rebuild-metrics", ..])
{
    var rows = await DatabaseStartup.RebuildMetricsAsync(app.Services, CancellationToken.None);
    Console.WriteLine($"Metrics rebuilt from the case event log: {rows} rows.");
    return;
}
if (args is ["reset-password", var userName, ..])
{
    // For the three duty accounts, whose passwords no other administrator may reset: whoever runs this has the server.
    Console.WriteLine(await DatabaseStartup.ResetPasswordAsync(app.Services, userName));
    return;
}
await DatabaseStartup.PrepareAsync(app, app.Lifetime.ApplicationStopping);

app.UseForwardedHeaders();
app.UseExceptionHandler();
app.UseRequestLocalization("zh-CN");
app.UseStatusCodePages();
app.UseRequestBodyLimits(app.Configuration.GetValue<long>("Host:MaxRequestBodyBytes", 2 * 1024 * 1024));
app.UseAuthentication();
app.UseRevokedSessionsAsSignedOut();
app.UseRateLimiter();
app.UseInitialPasswordChange();
app.UseAuthorization();
app.UseAntiforgery();

app.MapOpenApi().AllowAnonymous();
app.MapScalarApiReference(o => o.WithTitle("社区治理360 API")).AllowAnonymous();
app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();

app.MapStaticAssets();
app.MapRazorComponents<Community360.Web.Components.App>().AddInteractiveServerRenderMode();
app.MapConsoleAccount();

app.MapAuthApi();
app.MapUsersApi();
app.MapOrgUnitsApi();
app.MapGeographyApi();
app.MapGridMapApi();
app.MapAuditApi();
app.MapCalendarApi();
app.MapCasesApi();
app.MapDashboardApi();
app.MapMetricsApi();

await app.RunAsync();

/// <summary>The web host's entry point; public so that tests can host it with WebApplicationFactory.</summary>
public partial class Program;
