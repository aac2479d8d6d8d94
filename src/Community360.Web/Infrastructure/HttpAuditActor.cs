using System.Security.Claims;
using Community360.Auditing;
using Community360.Web.Identity;

namespace Community360.Web.Infrastructure;

/// <summary>
/// The signed-in user as the audit actor: the console circuit's user, else the current request's; "system" outside both.
/// </summary>
internal sealed class HttpAuditActor(IHttpContextAccessor accessor, CircuitUser circuit) : IAuditActor
{
    private ClaimsPrincipal? User => circuit.Principal ?? accessor.HttpContext?.User;

    public Guid? ActorId => Guid.TryParse(User?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public string ActorName => User switch
    {
        null => SystemAuditActor.Instance.ActorName,
        { Identity.IsAuthenticated: true } user => user.Identity!.Name ?? "unknown",
        _ => "anonymous",
    };

    public string? ActorAddress => accessor.HttpContext?.Connection.RemoteIpAddress?.ToString();

    public string ScopePath => User?.FindFirstValue(CallerClaimTypes.ScopePath) ?? SystemAuditActor.Instance.ScopePath;
}
