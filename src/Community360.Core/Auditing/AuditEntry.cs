namespace Community360.Auditing;

/// <summary>
/// One append-only row of the audit trail. <see cref="Hash"/> covers this row's content and the previous row's
/// hash, so changing or removing any row breaks every hash after it.
/// </summary>
public sealed class AuditEntry
{
    /// <summary>Gap-free position in the chain, assigned under the append lock; the primary key.</summary>
    public long Sequence { get; init; }
    public DateTime OccurredAt { get; init; }
    public Guid? ActorId { get; init; }
    public required string ActorName { get; init; }
    public string? ActorAddress { get; init; }
    public required string Action { get; init; }
    public string? EntityType { get; init; }
    public string? EntityId { get; init; }

    /// <summary>Where in the org tree the change happened, so an auditor reads only their own subtree.</summary>
    public required string ScopePath { get; init; }

    /// <summary>Compact JSON: changed properties (personal data marked as changed, never shown) or event facts.</summary>
    public required string Details { get; init; }
    public required string PreviousHash { get; init; }
    public required string Hash { get; init; }
}

/// <summary>The names of audited actions; stable strings because old rows keep them forever.</summary>
public static class AuditActions
{
    public const string EntityCreated = "entity.created";
    public const string EntityUpdated = "entity.updated";
    public const string EntityDeleted = "entity.deleted";
    public const string SignInSucceeded = "signin.succeeded";
    public const string SignInFailed = "signin.failed";
    public const string SignInLockedOut = "signin.locked_out";
    public const string SignedOut = "signout";
    public const string RolesChanged = "user.roles_changed";
    public const string ScopeChanged = "user.scope_changed";
    public const string PasswordReset = "user.password_reset";
    public const string PasswordChanged = "user.password_changed";
    public const string PersonalDataRevealed = "personal_data.revealed";
    public const string GeographyImported = "geography.imported";
}
