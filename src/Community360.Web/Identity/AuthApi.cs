using System.Globalization;
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

public sealed record CurrentUserDto(
    Guid Id, string UserName, string DisplayName, Guid UnitId, string UnitName, string ScopeName,
    IReadOnlyList<string> Roles, IReadOnlyList<string> RoleNames);

/// <summary>
/// Sign-in for the web UI (cookie, <c>?useCookies=true</c>) and for API clients (bearer token). Every attempt,
/// successful or not, is in the audit trail; the answer never tells whether the account exists.
/// </summary>
public static class AuthApi
{
    private static readonly TimeZoneInfo ChinaTime = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/auth").WithTags("登录与会话");
        api.MapPost("/login", Login).AllowAnonymous()
            .WithName("Login").WithSummary("登录")
            .WithDescription("用户名和密码登录。useCookies=true 时写入会话 Cookie（网页端），否则返回 Bearer 令牌（接口客户端）。连续 5 次密码错误锁定 15 分钟。")
            .Produces<AccessTokenResponse>().ProducesProblem(400).ProducesProblem(401);
        api.MapPost("/refresh", Refresh).AllowAnonymous()
            .WithName("RefreshToken").WithSummary("刷新令牌").Produces<AccessTokenResponse>().ProducesProblem(401);
        api.MapPost("/logout", Logout).RequireAuthorization().WithName("Logout").WithSummary("退出登录");
        api.MapGet("/me", Me).RequireAuthorization().WithName("CurrentUser").WithSummary("当前登录用户");
        return api;
    }

    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> Login(
        LoginRequest request, bool? useCookies, SignInManager<AppUser> signInManager, AppDbContext db,
        IOptions<IdentityOptions> identityOptions)
    {
        var errors = new FieldErrors();
        var userName = errors.Text("userName", "用户名", request.UserName, 256);
        if (string.IsNullOrEmpty(request.Password))
        {
            errors.Add("password", "请填写密码。");
        }
        else if (request.Password.Length > 256)
        {
            errors.Add("password", "密码不能超过 256 个字符。");
        }
        errors.ThrowIfAny();

        var user = await signInManager.UserManager.FindByNameAsync(userName);
        // A disabled account is named as such only to someone who knows its password; otherwise it looks unknown.
        var disabledAndProven = user is { IsDisabled: true } && await signInManager.UserManager.CheckPasswordAsync(user, request.Password!);
        if (user is null || user.IsDisabled)
        {
            db.Audit(new AuditFact(AuditActions.SignInFailed, nameof(AppUser), user?.Id.ToString(),
                new { userName = userName.Length > 64 ? userName[..64] : userName, reason = user is null ? "unknown_user" : "disabled" })
            { ActorId = user?.Id, ActorName = userName.Length > 64 ? userName[..64] : userName });
            await db.SaveChangesAsync();
            return disabledAndProven ? Unauthorized("账号已停用，请联系系统管理员。") : InvalidCredentials();
        }

        var check = await signInManager.CheckPasswordSignInAsync(user, request.Password!, lockoutOnFailure: true);
        if (!check.Succeeded)
        {
            var lockedOut = check.IsLockedOut;
            db.Audit(new AuditFact(lockedOut ? AuditActions.SignInLockedOut : AuditActions.SignInFailed, nameof(AppUser), user.Id.ToString(),
                new { userName, reason = lockedOut ? "locked_out" : "wrong_password" })
            { ActorId = user.Id, ActorName = user.UserName });
            await db.SaveChangesAsync();
            if (lockedOut)
            {
                var until = TimeZoneInfo.ConvertTime(user.LockoutEnd ?? db.Clock.GetUtcNow(), ChinaTime);
                return Unauthorized(string.Create(CultureInfo.InvariantCulture,
                    $"连续 {identityOptions.Value.Lockout.MaxFailedAccessAttempts} 次密码错误，账号已锁定至 {until:HH:mm}，请稍后再试或联系安全管理员解锁。"));
            }
            return InvalidCredentials();
        }

        user.LastSignInAt = db.Clock.GetUtcNow().UtcDateTime;
        db.Audit(new AuditFact(AuditActions.SignInSucceeded, nameof(AppUser), user.Id.ToString(),
            new { userName, method = useCookies == true ? "cookie" : "bearer" })
        { ActorId = user.Id, ActorName = user.UserName });
        await db.SaveChangesAsync();

        signInManager.AuthenticationScheme = useCookies == true ? IdentityConstants.ApplicationScheme : IdentityConstants.BearerScheme;
        await signInManager.SignInAsync(user, isPersistent: false);
        return TypedResults.Empty;
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
            return Unauthorized("刷新令牌无效或已过期，请重新登录。");
        }
        var principal = await signInManager.CreateUserPrincipalAsync(user);
        return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }

    public static async Task<NoContent> Logout(HttpContext context, AppDbContext db)
    {
        db.Audit(new AuditFact(AuditActions.SignedOut, nameof(AppUser), context.User.ToCaller().UserId.ToString(), new { }));
        await db.SaveChangesAsync();
        await context.SignOutAsync(IdentityConstants.ApplicationScheme);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<CurrentUserDto>> Me(Caller caller, AppDbContext db, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == caller.UserId, ct);
        var names = await db.OrgUnits.Where(o => o.Id == user.UnitId || o.Id == user.ScopeNodeId).Select(o => new { o.Id, o.Name })
            .Concat(db.Grids.Where(g => g.Id == user.ScopeNodeId).Select(g => new { g.Id, g.Name }))
            .ToListAsync(ct);
        var roles = caller.Roles.Order(StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new CurrentUserDto(caller.UserId, caller.UserName, caller.DisplayName, caller.UnitId,
            names.FirstOrDefault(n => n.Id == user.UnitId)?.Name ?? "—",
            names.FirstOrDefault(n => n.Id == user.ScopeNodeId)?.Name ?? (user.ScopePath == ScopePaths.Root ? "全部" : "—"),
            roles, roles.ConvertAll(Roles.DisplayName)));
    }

    /// <summary>The same words whether or not the account exists, so the answer cannot be used to find accounts.</summary>
    private static ProblemHttpResult InvalidCredentials() =>
        Unauthorized("用户名或密码错误。连续 5 次错误后账号将被锁定 15 分钟。");

    private static ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "登录失败", detail: detail);
}
