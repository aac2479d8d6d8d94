using System.Security.Claims;
using Community360.Auditing;

namespace Community360.Web.Infrastructure;

/// <summary>The signed-in user of the current request as the audit actor; "system" outside a request.</summary>
internal sealed class HttpAuditActor(IHttpContextAccessor accessor) : IAuditActor
{
    public Guid? ActorId =>
        Guid.TryParse(accessor.HttpContext?.User.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public string ActorName => accessor.HttpContext switch
    {
        null => SystemAuditActor.Instance.ActorName,
        { User.Identity.IsAuthenticated: true } context => context.User.Identity!.Name ?? "unknown",
        _ => "anonymous",
    };

    public string? ActorAddress => accessor.HttpContext?.Connection.RemoteIpAddress?.ToString();

    public string ScopePath => accessor.HttpContext?.User.FindFirstValue(Web.Identity.CallerClaimTypes.ScopePath) ?? SystemAuditActor.Instance.ScopePath;
}
