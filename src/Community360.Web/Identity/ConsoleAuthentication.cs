using System.Security.Claims;
using Community360.Data;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Community360.Web.Identity;

/// <summary>
/// The signed-in user of an interactive console circuit. A circuit has no HttpContext, so the audit actor and the
/// per-operation scopes of <see cref="Components.Shared.ConsoleServices"/> read the user from here instead.
/// </summary>
public sealed class CircuitUser
{
    public ClaimsPrincipal? Principal { get; private set; }

    /// <summary>When the user last clicked or typed in the circuit; drives the idle timeout while no HTTP request is made.</summary>
    public DateTimeOffset LastActivity { get; private set; }

    public void Set(ClaimsPrincipal principal, DateTimeOffset activity)
    {
        Principal = principal;
        LastActivity = activity;
    }

    public void CopyFrom(CircuitUser other)
    {
        Principal = other.Principal;
        LastActivity = other.LastActivity;
    }
}

/// <summary>Keeps <see cref="CircuitUser"/> current: set when the circuit opens and before every inbound event.</summary>
internal sealed class CircuitUserHandler(AuthenticationStateProvider authentication, CircuitUser user, TimeProvider clock) : CircuitHandler
{
    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        user.Set((await authentication.GetAuthenticationStateAsync()).User, clock.GetUtcNow());
    }

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            user.Set((await authentication.GetAuthenticationStateAsync()).User, clock.GetUtcNow());
            await next(context);
        };
}

/// <summary>
/// Re-checks an open console every minute the way <see cref="CallerClaimsTransformation"/> checks each HTTP request:
/// a disabled account, a changed password or role (security stamp) or an idle timeout signs the circuit out.
/// </summary>
internal sealed class ConsoleAuthenticationStateProvider(
    ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<IdentityOptions> identityOptions, CircuitUser circuitUser,
    TimeProvider clock, IConfiguration configuration)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    private readonly TimeSpan _idle = TimeSpan.FromMinutes(configuration.GetValue("Identity:IdleTimeoutMinutes", 30));

    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        if (circuitUser.Principal is not null && clock.GetUtcNow() - circuitUser.LastActivity > _idle)
        {
            return false;
        }
        var principal = authenticationState.User;
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return false;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.IsDisabled, u.SecurityStamp }).FirstOrDefaultAsync(cancellationToken);
        var stamp = principal.FindFirstValue(identityOptions.Value.ClaimsIdentity.SecurityStampClaimType);
        return user is { IsDisabled: false } && string.Equals(stamp, user.SecurityStamp, StringComparison.Ordinal);
    }
}
