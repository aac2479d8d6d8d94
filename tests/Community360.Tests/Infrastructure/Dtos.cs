using System.Text.Json;

namespace Community360.Tests.Infrastructure;

// The shapes the API answers with, as a client sees them; deliberately not the server's own types.
public sealed record Page<T>(List<T> Items, int Total, int PageNumber, int PageSize);

public sealed record OrgUnitView(Guid Id, string Kind, string Name, string Code, Guid? ParentId, string? ContactPhone, bool IsRetired, Guid Version);

public sealed record GridView(Guid Id, Guid CommunityId, string Code, string Name, string Type, double AreaSquareMeters, bool IsRetired, Guid Version);

public sealed record GridDetailView(Guid Id, Guid CommunityId, string Code, string Name, JsonElement Boundary, List<JsonElement> Responsibilities, Guid Version);

public sealed record CompoundView(Guid Id, Guid GridId, string Name, double? Longitude, double? Latitude, bool IsRetired, Guid Version);

public sealed record BuildingView(Guid Id, Guid CompoundId, string Name, int Floors, bool IsRetired, Guid Version);

public sealed record UserView(Guid Id, string UserName, Guid UnitId, Guid ScopeNodeId, List<string> Roles, bool IsDisabled, bool IsLockedOut, Guid Version);

public sealed record CreatedUserView(UserView User, string? GeneratedPassword);

public sealed record LocateView(Guid GridId, string GridCode, Guid CommunityId);

public sealed record AuditVerificationView(bool IsIntact, long RowsChecked, long? FirstBrokenSequence, string Message);

public sealed record AuditEntryView(long Sequence, string ActorName, string Action, string? EntityType, string? EntityId, string Details);

public sealed record AuditPageView(List<AuditEntryView> Items, long? NextBefore);
