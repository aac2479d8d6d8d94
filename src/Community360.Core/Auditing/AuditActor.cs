namespace Community360.Auditing;

/// <summary>Who the DbContext records as the actor of the changes it saves; the web host sets it per request.</summary>
public interface IAuditActor
{
    Guid? ActorId { get; }
    string ActorName { get; }
    string? ActorAddress { get; }

    /// <summary>The actor's data scope: where a change that has no place of its own is filed.</summary>
    string ScopePath { get; }
}

public sealed class SystemAuditActor : IAuditActor
{
    public static SystemAuditActor Instance { get; } = new();
    public Guid? ActorId => null;
    public string ActorName => "system";
    public string? ActorAddress => null;
    public string ScopePath => "/";
}

/// <summary>
/// A fact to record that is not a row change (a sign-in, a reveal of personal data, an import). A sign-in names
/// the account it concerns as actor, since the request itself is still anonymous.
/// </summary>
public sealed record AuditFact(string Action, string? EntityType, string? EntityId, object Details)
{
    public Guid? ActorId { get; init; }
    public string? ActorName { get; init; }

    /// <summary>Where the fact belongs (the account's scope for a sign-in); the actor's scope when null.</summary>
    public string? ScopePath { get; init; }
}
