namespace Community360.Identity;

public sealed record UserQuery(string? Search = null, Guid? UnitId = null, string? Role = null, int? Page = null, int? PageSize = null);

public sealed record UserDto(
    Guid Id,
    string UserName,
    string DisplayName,
    Guid UnitId,
    string UnitName,
    Guid ScopeNodeId,
    string ScopeName,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> RoleNames,
    string? PhoneNumber,
    bool IsDisabled,
    bool IsLockedOut,
    DateTime? LockoutEnd,
    DateTime? LastSignInAt,
    Guid Version);

public sealed record CreateUserInput(string? UserName, string? DisplayName, Guid? UnitId, string? PhoneNumber, string? Password);

/// <summary><see cref="GeneratedPassword"/> is shown once, to the administrator who created or reset the account.</summary>
public sealed record UserWithPassword(UserDto User, string? GeneratedPassword);

public sealed record UserRolesInput(IReadOnlyList<string>? Roles, Guid? Version);

public sealed record UserScopeInput(Guid? ScopeNodeId, Guid? Version);

public sealed record RoleDto(string Name, string DisplayName);

/// <summary>A node a data scope can point at: an org unit or a grid.</summary>
public sealed record ScopeNode(Guid Id, string Name, string ScopePath);
