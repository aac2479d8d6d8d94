using Community360.Auditing;
using Community360.Common;
using Community360.Data;
using Community360.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Community360.Web.Identity;

public sealed record LoginRequest(string? UserName, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record CurrentUserDto(
    Guid Id, string UserName, string DisplayName, Guid UnitId, string UnitName, string ScopeName,
    IReadOnlyList<string> Roles, IReadOnlyList<string> RoleNames);

/// <summary>
/// Sign-in for the web UI (cookie, <c>?useCookies=true</c>) and for API clients (bearer token). Every attempt,
/// successful or not, is in the audit trail; the answer never tells whether the account exists.
/// </summary>
public static class AuthApi
{
    public const string SessionCookieName = "c360.session";

    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/auth").WithTags("登录与会话");
        api.MapPost("/login", Login).AllowAnonymous().RequireRateLimiting(Infrastructure.Community360Services.SignInRateLimit)
            .WithName("Login").WithSummary("登录")
            .WithDescription("用户名和密码登录。useCookies=true 时写入会话 Cookie（网页端），否则返回 Bearer 令牌（接口客户端）。连续 5 次密码错误锁定 15 分钟。")
            .Produces<AccessTokenResponse>().ProducesProblem(400).ProducesProblem(401);
        api.MapPost("/refresh", Refresh).AllowAnonymous()
            .WithName("RefreshToken").WithSummary("刷新令牌").Produces<AccessTokenResponse>().ProducesProblem(401);
        api.MapPost("/logout", Logout).RequireAuthorization().WithName("Logout").WithSummary("退出登录（令牌方式退出将结束该账号的全部会话）");
        api.MapPost("/change-password", ChangePassword).RequireAuthorization().WithName("ChangePassword")
            .WithSummary("修改本人密码").WithDescription("管理员设置或系统生成的初始密码须先修改，才能使用其他功能。")
            .ProducesValidationProblem();
        api.MapGet("/me", Me).RequireAuthorization().WithName("CurrentUser").WithSummary("当前登录用户");
        return api;
    }

    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> Login(
        LoginRequest request, bool? useCookies, StaffSignIn signIn)
    {
        var failure = await signIn.SignInAsync(request.UserName, request.Password, useCookies == true);
        return failure is null
            ? TypedResults.Empty
            : TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "登录失败", detail: failure);
    }

    /// <summary>The owner changes their password; required before anything else when someone else chose it.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> ChangePassword(
        ChangePasswordRequest request, Caller caller, HttpContext context, StaffSignIn signIn)
    {
        await signIn.ChangePasswordAsync(caller, request.CurrentPassword, request.NewPassword, request.NewPassword,
            keepBrowserSession: context.Request.Cookies.ContainsKey(SessionCookieName));
        return TypedResults.NoContent();
    }

    public static async Task<Results<EmptyHttpResult, SignInHttpResult, ProblemHttpResult>> Refresh(
        RefreshRequest request, SignInManager<AppUser> signInManager, IOptionsMonitor<BearerTokenOptions> bearerOptions, TimeProvider clock)
    {
        if (string.IsNullOrEmpty(request.RefreshToken))
        {
            throw ValidationException.For("refreshToken", "请提供刷新令牌。");
        }
        var protector = bearerOptions.Get(IdentityConstants.BearerScheme).RefreshTokenProtector;
        var ticket = protector.Unprotect(request.RefreshToken);
        if (ticket?.Properties.ExpiresUtc is not { } expires || clock.GetUtcNow() >= expires
            || await signInManager.ValidateSecurityStampAsync(ticket.Principal) is not { IsDisabled: false } user)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "登录失败", detail: "刷新令牌无效或已过期，请重新登录。");
        }
        var principal = await signInManager.CreateUserPrincipalAsync(user);
        return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }

    /// <summary>
    /// Ends the browser session; for a bearer token (which the server does not store) it renews the account's
    /// security stamp, which ends every session of the account, tokens included.
    /// </summary>
    public static async Task<NoContent> Logout(HttpContext context, Caller caller, UserManager<AppUser> userManager, AppDbContext db)
    {
        var bearer = context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
        db.Audit(new AuditFact(AuditActions.SignedOut, nameof(AppUser), caller.UserId.ToString(), new { method = bearer ? "bearer" : "cookie" })
        { ScopePath = caller.ScopePath });
        await db.SaveChangesAsync();
        if (bearer && await userManager.FindByIdAsync(caller.UserId.ToString()) is { } user)
        {
            await userManager.UpdateSecurityStampAsync(user);
        }
        await context.SignOutAsync(IdentityConstants.ApplicationScheme);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<CurrentUserDto>> Me(Caller caller, AppDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await DescribeAsync(db, caller, ct));

    /// <summary>The caller with the names of their unit and data scope, for the API and the console's header.</summary>
    public static async Task<CurrentUserDto> DescribeAsync(AppDbContext db, Caller caller, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == caller.UserId, ct);
        var names = await db.OrgUnits.Where(o => o.Id == user.UnitId || o.Id == user.ScopeNodeId).Select(o => new { o.Id, o.Name })
            .Concat(db.Grids.Where(g => g.Id == user.ScopeNodeId).Select(g => new { g.Id, g.Name }))
            .ToListAsync(ct);
        var roles = caller.Roles.Order(StringComparer.Ordinal).ToList();
        return new CurrentUserDto(caller.UserId, caller.UserName, caller.DisplayName, caller.UnitId,
            names.FirstOrDefault(n => n.Id == user.UnitId)?.Name ?? "—",
            names.FirstOrDefault(n => n.Id == user.ScopeNodeId)?.Name ?? (user.ScopePath == ScopePaths.Root ? "全部" : "—"),
            roles, roles.ConvertAll(Roles.DisplayName));
    }
}
