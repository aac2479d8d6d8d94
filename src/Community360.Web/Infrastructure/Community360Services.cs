using System.Text.Json.Serialization;
using Community360.Auditing;
using Community360.Calendar;
using Community360.Cases;
using Community360.Cases.Attachments;
using Community360.Data;
using Community360.Geography;
using Community360.Identity;
using Community360.Organization;
using Community360.Reports;
using Community360.Seeding;
using Community360.Web.Identity;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging.Console;

namespace Community360.Web.Infrastructure;

/// <summary>Everything the host registers, in one place, so Program.cs reads as the outline it is.</summary>
internal static class Community360Services
{
    public const string ApiCookieOrBearer = "Community360";
    public const string SignInRateLimit = "sign-in";

    public static WebApplicationBuilder AddCommunity360(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.FormatterName = RedactingJsonConsoleFormatter.FormatterName)
            .AddConsoleFormatter<RedactingJsonConsoleFormatter, ConsoleFormatterOptions>();

        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(configuration.GetValue("Host:ShutdownSeconds", 30)));
        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();

        var database = DatabaseOptions.From(configuration);
        services.AddSingleton(database);
        services.AddDbContext<AppDbContext>(o => o.UseCommunity360Database(database));
        services.AddScoped<IAuditActor, HttpAuditActor>();

        services.AddSingleton<GridLocator>();
        services.AddScoped<OrgUnitHandlers>();
        services.AddScoped<GridHandlers>();
        services.AddScoped<CompoundHandlers>();
        services.AddScoped<BuildingHandlers>();
        services.AddScoped<GeoJsonImporter>();
        services.AddScoped<GridMapHandlers>();
        services.AddScoped<UserAdminHandlers>();
        services.AddScoped<AuditHandlers>();
        services.AddScoped<RoleSeeder>();
        services.AddSingleton<WorkingCalendarProvider>();
        services.AddScoped<CalendarHandlers>();
        services.AddScoped<CaseHandlers>();
        services.AddScoped<CaseCategoryHandlers>();
        services.AddScoped<CaseRepeats>();
        services.AddScoped<CaseSetupSeeder>();
        services.AddScoped<DemoCaseSeeder>();
        services.AddScoped<CaseDeadlineSweep>();
        services.AddHostedService<Web.Cases.CaseDeadlineMonitor>();
        var repeatSettings = configuration.GetSection(RepeatSettings.Section).Get<RepeatSettings>() ?? new RepeatSettings();
        if (!builder.Environment.IsDevelopment() && string.IsNullOrWhiteSpace(repeatSettings.PhoneHashKey))
        {
            throw new InvalidOperationException(
                "Set Repeats:PhoneHashKey (base64, 16+ random bytes, e.g. `openssl rand -base64 32`): complainants' phones are matched through a keyed hash.");
        }
        services.AddSingleton(repeatSettings);
        services.AddSingleton<RepeatIndexHost>();
        services.AddScoped<MetricsHandlers>();
        services.AddScoped<ICaseRates, AggregateCaseRates>();
        services.AddScoped<DashboardHandlers>();
        services.Configure<AttachmentOptions>(configuration.GetSection(AttachmentOptions.Section));
        services.AddSingleton<AttachmentStore>();
        services.AddScoped<DemoStreetSeeder>();
        services.AddScoped(sp => sp.GetRequiredService<IHttpContextAccessor>().HttpContext!.User.ToCaller());
        AddConsole(services);

        AddIdentity(services, configuration, builder.Environment);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Only attempts count: showing the sign-in page (GET) is not one.
            o.AddPolicy(SignInRateLimit, context => HttpMethods.IsGet(context.Request.Method) ? RateLimitPartition.GetNoLimiter("show-sign-in-page") : RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = configuration.GetValue("Identity:SignInAttemptsPerMinute", 30),
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
        });
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            // Only proxies listed in configuration (loopback by default) may say who the client is.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in configuration.GetSection("Host:KnownProxies").Get<string[]>() ?? [])
            {
                o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }
        });

        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDetailsDefaults.Customize);
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });

        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "社区治理360 API";
            document.Info.Description = "Community360（社区治理360）接口文档。除登录外所有接口需登录；错误以 zh-CN 的 ProblemDetails 返回。";
            return Task.CompletedTask;
        }));
        services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database", tags: ["ready"]);
        return builder;
    }

    /// <summary>The Blazor staff console: interactive on the server, its user re-checked every minute.</summary>
    private static void AddConsole(IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddScoped<CircuitUser>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, CircuitUserHandler>();
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, ConsoleAuthenticationStateProvider>();
        services.AddScoped<Web.Components.Shared.ConsoleServices>();
        services.AddScoped<Web.Cases.InboxCounter>();
        services.AddScoped<Web.Cases.CaseConsoleHandlers>();
        services.AddScoped<StaffSignIn>();
        services.AddBootstrapBlazor();
    }

    private static void AddIdentity(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var idle = TimeSpan.FromMinutes(configuration.GetValue("Identity:IdleTimeoutMinutes", 30));
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = ApiCookieOrBearer;
                o.DefaultChallengeScheme = ApiCookieOrBearer;
            })
            .AddPolicyScheme(ApiCookieOrBearer, "Cookie 或 Bearer 令牌", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? IdentityConstants.BearerScheme
                    : IdentityConstants.ApplicationScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, o =>
            {
                o.BearerTokenExpiration = TimeSpan.FromHours(1);
                // An API client idle for longer than the idle timeout signs in again, as a browser would.
                o.RefreshTokenExpiration = idle;
            })
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(o =>
            {
                o.Cookie.Name = AuthApi.SessionCookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = idle;
                o.SlidingExpiration = true;
                o.LoginPath = "/login";
                o.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
            }));
        services.AddScoped<IClaimsTransformation, CallerClaimsTransformation>();
        services.AddSingleton<UnknownAccountLockout>();
        services.AddSingleton<IPasswordHasher<AppUserPlaceholder>, PasswordHasher<AppUserPlaceholder>>();

        services.AddIdentityCore<AppUser>(o =>
            {
                o.Password.RequiredLength = ThreeOfFourClassesPasswordValidator.MinimumLength;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = false;
            })
            .AddRoles<AppRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddErrorDescriber<ChineseIdentityErrorDescriber>()
            .AddPasswordValidator<ThreeOfFourClassesPasswordValidator>();

        var authorization = services.AddAuthorizationBuilder();
        foreach (var permission in Enum.GetValues<Permission>())
        {
            authorization.AddPolicy(permission.ToString(), p => p.RequireAuthenticatedUser().RequireRole(Permissions.RolesFor(permission)));
        }
    }

    /// <summary>An API call gets a status code and a ProblemDetails, never a redirect to the sign-in page.</summary>
    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        // A browser that still sends a session cookie had a session that ended (idle timeout, password change).
        var redirect = context.Request.Cookies.ContainsKey(AuthApi.SessionCookieName)
            ? QueryHelpers.AddQueryString(context.RedirectUri, "expired", "1")
            : context.RedirectUri;
        context.Response.Redirect(redirect);
        return Task.CompletedTask;
    }
}
