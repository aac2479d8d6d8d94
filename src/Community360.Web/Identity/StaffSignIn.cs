using System.Globalization;
using Community360.Auditing;
using Community360.Common;
using Community360.Data;
using Community360.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Community360.Web.Identity;

/// <summary>
/// Password sign-in shared by the API (cookie or bearer) and the console's sign-in page. Every attempt, successful
/// or not, is in the audit trail; the answer never tells whether the account exists.
/// </summary>
public sealed class StaffSignIn(
    SignInManager<AppUser> signInManager, AppDbContext db, IOptions<IdentityOptions> identityOptions, UnknownAccountLockout unknownAccounts)
{
    /// <summary>The same words whether or not the account exists, so the answer cannot be used to find accounts.</summary>
    public const string InvalidCredentials = "用户名或密码错误。连续 5 次错误后账号将被锁定 15 分钟。";

    /// <summary>Signs in and returns null, or returns why not, in Chinese. Bad input throws <see cref="ValidationException"/>.</summary>
    public async Task<string?> SignInAsync(string? userNameInput, string? password, bool useCookie)
    {
        var errors = new FieldErrors();
        var userName = errors.Text("userName", "用户名", userNameInput, 256);
        if (string.IsNullOrEmpty(password))
        {
            errors.Add("password", "请填写密码。");
        }
        else if (password.Length > 256)
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
            return lockedUntil is { } until ? LockedOut(until, lockout.MaxFailedAccessAttempts) : InvalidCredentials;
        }

        var check = await signInManager.CheckPasswordSignInAsync(user, password!, lockoutOnFailure: true);
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
                "disabled" => "账号已停用，请联系系统管理员。",
                "locked_out" => LockedOut(user.LockoutEnd ?? db.Clock.GetUtcNow(), lockout.MaxFailedAccessAttempts),
                _ => InvalidCredentials,
            };
        }

        user.LastSignInAt = db.Clock.GetUtcNow().UtcDateTime;
        db.Audit(new AuditFact(AuditActions.SignInSucceeded, nameof(AppUser), user.Id.ToString(),
            new { userName, method = useCookie ? "cookie" : "bearer" })
        { ActorId = user.Id, ActorName = user.UserName, ScopePath = user.ScopePath });
        await db.SaveChangesAsync();

        signInManager.AuthenticationScheme = useCookie ? IdentityConstants.ApplicationScheme : IdentityConstants.BearerScheme;
        await signInManager.SignInAsync(user, isPersistent: false);
        return null;
    }

    /// <summary>
    /// The owner changes their password; required before anything else when someone else chose it. The new security
    /// stamp ends every other session; a browser session continues with a fresh cookie.
    /// </summary>
    public async Task ChangePasswordAsync(Caller caller, string? currentPassword, string? newPassword, string? confirmation, bool keepBrowserSession)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(currentPassword))
        {
            errors.Add("currentPassword", "请填写当前密码。");
        }
        if (string.IsNullOrEmpty(newPassword))
        {
            errors.Add("newPassword", "请填写新密码。");
        }
        else if (newPassword == currentPassword)
        {
            errors.Add("newPassword", "新密码不能与当前密码相同。");
        }
        else if (newPassword != confirmation)
        {
            errors.Add("confirmation", "两次输入的新密码不一致。");
        }
        errors.ThrowIfAny();

        var user = await signInManager.UserManager.FindByIdAsync(caller.UserId.ToString()) ?? throw new NotFoundException("账号");
        var result = await signInManager.UserManager.ChangePasswordAsync(user, currentPassword!, newPassword!);
        if (!result.Succeeded)
        {
            var field = result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)) ? "currentPassword" : "newPassword";
            throw new ValidationException(new Dictionary<string, string[]> { [field] = result.Errors.Select(e => e.Description).ToArray() });
        }
        user.MustChangePassword = false;
        db.Audit(new AuditFact(AuditActions.PasswordChanged, nameof(AppUser), user.Id.ToString(), new { user.UserName }) { ScopePath = user.ScopePath });
        await signInManager.UserManager.UpdateAsync(user);
        if (keepBrowserSession)
        {
            signInManager.AuthenticationScheme = IdentityConstants.ApplicationScheme;
            await signInManager.SignInAsync(user, isPersistent: false);
        }
    }

    /// <summary>Ends a browser session, in the audit trail.</summary>
    public async Task SignOutBrowserAsync(HttpContext context, Caller caller)
    {
        db.Audit(new AuditFact(AuditActions.SignedOut, nameof(AppUser), caller.UserId.ToString(), new { method = "cookie" })
        { ScopePath = caller.ScopePath });
        await db.SaveChangesAsync();
        await context.SignOutAsync(IdentityConstants.ApplicationScheme);
    }

    private static string LockedOut(DateTimeOffset until, int attempts) =>
        string.Create(CultureInfo.InvariantCulture,
            $"连续 {attempts} 次密码错误，账号已锁定至 {TimeZoneInfo.ConvertTime(until, ChinaTime.Zone):HH:mm}，请稍后再试或联系安全管理员解锁。");
}
