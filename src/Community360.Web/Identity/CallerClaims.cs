using System.Security.Claims;
using Community360.Data;
using Community360.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Community360.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Community360.Web.Identity;

internal static class CallerClaimTypes
{
    public const string DisplayName = "c360:display_name";
    public const string UnitId = "c360:unit";
    public const string ScopePath = "c360:scope";
    public const string Refreshed = "c360:refreshed";
    public const string MustChangePassword = "c360:must_change_password";
}

/// <summary>
/// Re-reads the account on every request, so a disabled account, a changed role or scope, or a reset password
/// (security stamp) takes effect at once for cookies and bearer tokens alike, instead of when the ticket expires.
/// </summary>
internal sealed class CallerClaimsTransformation(AppDbContext db, IOptions<IdentityOptions> identityOptions) : IClaimsTransformation
{
    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true || principal.HasClaim(c => c.Type == CallerClaimTypes.Refreshed))
        {
            return principal;
        }
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return Anonymous;
        }
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.UserName, u.DisplayName, u.UnitId, u.ScopePath, u.IsDisabled, u.SecurityStamp, u.MustChangePassword })
            .FirstOrDefaultAsync();
        var stamp = principal.FindFirstValue(identityOptions.Value.ClaimsIdentity.SecurityStampClaimType);
        // A lockout stops new sign-ins only: ending open sessions would let anyone who guesses at a name sign its owner out.
        if (user is null || user.IsDisabled || !string.Equals(stamp, user.SecurityStamp, StringComparison.Ordinal))
        {
            return Anonymous;
        }
        var roles = await db.UserRoles.Where(ur => ur.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .ToListAsync();

        var identity = new ClaimsIdentity(principal.Identity.AuthenticationType, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, userId.ToString()));
        identity.AddClaim(new Claim(ClaimTypes.Name, user.UserName!));
        identity.AddClaim(new Claim(CallerClaimTypes.DisplayName, user.DisplayName));
        identity.AddClaim(new Claim(CallerClaimTypes.UnitId, user.UnitId.ToString()));
        identity.AddClaim(new Claim(CallerClaimTypes.ScopePath, user.ScopePath));
        identity.AddClaim(new Claim(CallerClaimTypes.Refreshed, "1"));
        if (user.MustChangePassword)
        {
            identity.AddClaim(new Claim(CallerClaimTypes.MustChangePassword, "1"));
        }
        identity.AddClaims(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(identity);
    }

    private static ClaimsPrincipal Anonymous => new(new ClaimsIdentity());
}

internal static class CallerPrincipal
{
    /// <summary>The caller of an authorized endpoint; only reachable after the claims transformation ran.</summary>
    public static Caller ToCaller(this ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true || !principal.HasClaim(c => c.Type == CallerClaimTypes.Refreshed))
        {
            throw new InvalidOperationException("No signed-in caller: the endpoint must require authorization.");
        }
        return new Caller(
            Guid.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier)!),
            principal.Identity.Name!,
            principal.FindFirstValue(CallerClaimTypes.DisplayName)!,
            Guid.Parse(principal.FindFirstValue(CallerClaimTypes.UnitId)!),
            principal.FindFirstValue(CallerClaimTypes.ScopePath)!,
            principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal));
    }
}

/// <summary>
/// Authorization reads the cached authentication result, not the transformed principal; when the claims
/// transformation has refused an account (disabled, stamp changed) the cached success is turned into a failure,
/// so the answer is 401 (sign in again), not 403, and a browser's stale cookie is dropped.
/// </summary>
internal static class RevokedSessions
{
    public static IApplicationBuilder UseRevokedSessionsAsSignedOut(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var feature = context.Features.Get<Microsoft.AspNetCore.Authentication.IAuthenticateResultFeature>();
        if (feature?.AuthenticateResult is { Succeeded: true } && context.User.Identity?.IsAuthenticated != true)
        {
            feature.AuthenticateResult = AuthenticateResult.Fail("The account was disabled or its credentials changed.");
            if (context.Request.Cookies.ContainsKey("c360.session"))
            {
                await context.SignOutAsync(Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme);
            }
        }
        await next(context);
    });

    /// <summary>
    /// An account whose password someone else chose may only read itself, change the password and sign out
    /// until it has done so.
    /// </summary>
    public static IApplicationBuilder UseInitialPasswordChange(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.User.HasClaim(c => c.Type == CallerClaimTypes.MustChangePassword)
            && !AllowedBeforePasswordChange.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
            {
                throw new ForbiddenException("请先修改初始密码：该密码由管理员设置或系统生成，修改后才能使用其他功能。");
            }
            // Console pages, and the circuit that would serve them, wait until the password is the owner's.
            if (context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is not null
                || context.Request.Path.StartsWithSegments("/_blazor", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Redirect("/account/change-password");
                return;
            }
        }
        await next(context);
    });

    private static readonly string[] AllowedBeforePasswordChange =
        ["/api/auth/me", "/api/auth/change-password", "/api/auth/logout", "/account/change-password", "/account/logout", "/login"];
}
