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
        LoginRequest request, bool? useCookies, SignInManager<AppUser> signInManager, AppDbContext db,
        IOptions<IdentityOptions> identityOptions, UnknownAccountLockout unknownAccounts)
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

        var lockout = identityOptions.Value.Lockout;
        var user = await signInManager.UserManager.FindByNameAsync(userName);
        var auditName = Masking.ScrubText(userName.Length > 64 ? userName[..64] : userName);
        if (user is null)
        {
            // An unknown name costs the same hashing and locks out after the same number of tries as a real one,
            // so neither the answers nor their timing tell which accounts exist.
            var lockedUntil = unknownAccounts.RecordFailure(userName, lockout.MaxFailedAccessAttempts, lockout.DefaultLockoutTimeSpan);
            db.Audit(new AuditFact(AuditActions.SignInFailed, nameof(AppUser), null, new { userName = auditName, reason = "unknown_user" })
            { ActorName = auditName });
            await db.SaveChangesAsync();
            return lockedUntil is { } until ? LockedOut(until, lockout.MaxFailedAccessAttempts) : InvalidCredentials();
        }

        var check = await signInManager.CheckPasswordSignInAsync(user, request.Password!, lockoutOnFailure: true);
        var reason = check switch
        {
            { Succeeded: true } when user.IsDisabled => "disabled",
            { Succeeded: true } => null,
            { IsLockedOut: true } => "locked_out",
            _ => "wrong_password",
        };
        if (reason is not null)
        {
            db.Audit(new AuditFact(reason == "locked_out" ? AuditActions.SignInLockedOut : AuditActions.SignInFailed, nameof(AppUser), user.Id.ToString(),
                new { userName = auditName, reason })
            { ActorId = user.Id, ActorName = user.UserName, ScopePath = user.ScopePath });
            await db.SaveChangesAsync();
            return reason switch
            {
                // Said only to someone who proved the password: a disabled account is not otherwise distinguishable.
                "disabled" => Unauthorized("账号已停用，请联系系统管理员。"),
                "locked_out" => LockedOut(user.LockoutEnd ?? db.Clock.GetUtcNow(), lockout.MaxFailedAccessAttempts),
                _ => InvalidCredentials(),
            };
        }

        user.LastSignInAt = db.Clock.GetUtcNow().UtcDateTime;
        db.Audit(new AuditFact(AuditActions.SignInSucceeded, nameof(AppUser), user.Id.ToString(),
            new { userName, method = useCookies == true ? "cookie" : "bearer" })
        { ActorId = user.Id, ActorName = user.UserName, ScopePath = user.ScopePath });
        await db.SaveChangesAsync();

        signInManager.AuthenticationScheme = useCookies == true ? IdentityConstants.ApplicationScheme : IdentityConstants.BearerScheme;
        await signInManager.SignInAsync(user, isPersistent: false);
        return TypedResults.Empty;
    }

    /// <summary>The owner changes their password; required before anything else when someone else chose it.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> ChangePassword(
        ChangePasswordRequest request, Caller caller, HttpContext context, SignInManager<AppUser> signInManager, AppDbContext db)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(request.CurrentPassword))
        {
            errors.Add("currentPassword", "请填写当前密码。");
        }
        if (string.IsNullOrEmpty(request.NewPassword))
        {
            errors.Add("newPassword", "请填写新密码。");
        }
        else if (request.NewPassword == request.CurrentPassword)
        {
            errors.Add("newPassword", "新密码不能与当前密码相同。");
        }
        errors.ThrowIfAny();

        var user = await signInManager.UserManager.FindByIdAsync(caller.UserId.ToString()) ?? throw new NotFoundException("账号");
        var result = await signInManager.UserManager.ChangePasswordAsync(user, request.CurrentPassword!, request.NewPassword!);
        if (!result.Succeeded)
        {
            var field = result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)) ? "currentPassword" : "newPassword";
            throw new ValidationException(new Dictionary<string, string[]> { [field] = result.Errors.Select(e => e.Description).ToArray() });
        }
        user.MustChangePassword = false;
        db.Audit(new AuditFact(AuditActions.PasswordChanged, nameof(AppUser), user.Id.ToString(), new { user.UserName }) { ScopePath = user.ScopePath });
        await signInManager.UserManager.UpdateAsync(user);
        // The new security stamp ends every other session; a browser session continues with a fresh cookie.
        if (context.Request.Cookies.ContainsKey(SessionCookieName))
        {
            signInManager.AuthenticationScheme = IdentityConstants.ApplicationScheme;
            await signInManager.SignInAsync(user, isPersistent: false);
        }
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
            return Unauthorized("刷新令牌无效或已过期，请重新登录。");
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

    private static ProblemHttpResult LockedOut(DateTimeOffset until, int attempts) =>
        Unauthorized(string.Create(CultureInfo.InvariantCulture,
            $"连续 {attempts} 次密码错误，账号已锁定至 {TimeZoneInfo.ConvertTime(until, ChinaTime.Zone):HH:mm}，请稍后再试或联系安全管理员解锁。"));

    private static ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "登录失败", detail: detail);
}
