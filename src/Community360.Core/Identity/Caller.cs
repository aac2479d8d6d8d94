namespace Community360.Identity;

/// <summary>
/// Who is acting, and the subtree they may see. Handlers take a Caller and write its scope into every query.
/// </summary>
public sealed record Caller(
    Guid UserId,
    string UserName,
    string DisplayName,
    Guid UnitId,
    string ScopePath,
    IReadOnlySet<string> Roles)
{
    public bool IsInRole(string role) => Roles.Contains(role);

    public bool CanSee(string scopePath) => scopePath.StartsWith(ScopePath, StringComparison.Ordinal);

    /// <summary>Used by seeding, migrations and background jobs: sees everything, named in the audit trail.</summary>
    public static Caller System { get; } = new(Guid.Empty, "system", "系统", Guid.Empty, "/", new HashSet<string>(StringComparer.Ordinal));
}
