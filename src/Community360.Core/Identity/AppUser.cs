using Community360.Common;
using Microsoft.AspNetCore.Identity;

namespace Community360.Identity;

public sealed class AppUser : IdentityUser<Guid>, IVersioned, ITimestamped, IScoped
{
    public AppUser() => Id = Guid.CreateVersion7();

    public required string DisplayName { get; set; }

    /// <summary>The unit the person works for (a community, a department, a partner unit).</summary>
    public required Guid UnitId { get; set; }

    /// <summary>The org unit or grid whose subtree this user may see and touch.</summary>
    public required Guid ScopeNodeId { get; set; }

    /// <summary>Materialized path of <see cref="ScopeNodeId"/>; every query filters on it as a prefix.</summary>
    public required string ScopePath { get; set; }

    public bool IsDisabled { get; set; }

    /// <summary>Set when someone else chose the password (creation, reset, first start): nothing else works until changed.</summary>
    public bool MustChangePassword { get; set; }
    public DateTime? LastSignInAt { get; set; }
    public Guid Version { get; set; } = Guid.NewGuid();
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class AppRole : IdentityRole<Guid>
{
    public AppRole() => Id = Guid.CreateVersion7();
}
