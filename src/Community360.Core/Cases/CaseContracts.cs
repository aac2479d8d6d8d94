using Community360.Organization;

namespace Community360.Cases;

public sealed record CaseIntakeInput(
    CaseType? Type,
    CaseChannel? Channel,
    string? ExternalReference,
    Guid? CategoryId,
    CaseUrgency? Urgency,
    string? Title,
    string? Description,
    string? Address,
    double? Longitude,
    double? Latitude,
    Guid? CommunityId,
    string? ComplainantName,
    string? ComplainantPhone,
    bool? IsConfidential,
    string? Note);

/// <summary>One body for every action; each action reads the fields it needs and names the missing ones.</summary>
public sealed record CaseActionInput(
    Guid? Version,
    string? Note = null,
    Guid? UnitId = null,
    IReadOnlyList<Guid>? CoHandlerIds = null,
    Guid? CommunityId = null,
    DateTime? ContactedAt = null,
    DateTime? RequestedDueAt = null,
    bool? Passed = null,
    CallbackContact? Contact = null,
    bool? Resolved = null,
    Satisfaction? Satisfaction = null,
    Guid? TargetCaseId = null,
    Guid? LeaderUserId = null);

/// <summary>
/// The filters of the case list. From/To are Beijing dates or times (To exclusive) on the instant <see cref="DateBasis"/>
/// names (受理时间 by default). <see cref="CaseQueryString"/> writes it as a link and reads it back.
/// </summary>
public sealed record CaseQuery(
    CaseState? State = null,
    CaseType? Type = null,
    CaseChannel? Channel = null,
    Guid? CategoryId = null,
    Guid? UnitId = null,
    Guid? GridId = null,
    Guid? CommunityId = null,
    bool? Overdue = null,
    bool? Repeat = null,
    DateTime? From = null,
    DateTime? To = null,
    string? Text = null,
    string? After = null,
    int? Limit = null,
    bool IncludeTotal = true,
    CaseInbox? Inbox = null,
    CaseDateBasis? DateBasis = null,
    CaseSort? Sort = null,
    bool? DueSoon = null,
    bool? Open = null,
    bool? Responded = null,
    CallbackContact? CallbackContact = null,
    bool? Resolved = null,
    Satisfaction? Satisfaction = null,
    Guid? RepeatClusterId = null);

public sealed record CaseSummaryDto(
    Guid Id,
    string Number,
    CaseType Type,
    string TypeName,
    CaseChannel Channel,
    string ChannelName,
    string CategoryName,
    CaseUrgency Urgency,
    string UrgencyName,
    string Title,
    CaseState State,
    string StateName,
    string? CommunityName,
    string? GridName,
    string? HandlingUnitName,
    DateTime ReceivedAt,
    DateTime? ResponseDueAt,
    DateTime? CompletionDueAt,
    bool IsOverdue,
    bool IsDueSoon,
    bool IsRepeat,
    bool NeedsManualRouting,
    string? RemainingText = null);

/// <summary>Keyset page: <see cref="Next"/> is the cursor for the next page, null on the last one.</summary>
public sealed record CasePage(IReadOnlyList<CaseSummaryDto> Items, int? Total, string? Next);

public sealed record ComplainantDto(string? Name, string? Phone, string? Address, bool IsConfidential, bool IsHidden);

public sealed record AssignmentDto(Guid UnitId, string UnitName, bool IsLead, DateTime AssignedAt, DateTime? EndedAt);

public sealed record CaseDetailDto(
    Guid Id,
    string Number,
    CaseType Type,
    string TypeName,
    CaseChannel Channel,
    string ChannelName,
    string? ExternalReference,
    Guid CategoryId,
    string CategoryName,
    string? CategoryParentName,
    WorkLine? WorkLine,
    CaseUrgency Urgency,
    string UrgencyName,
    string Title,
    string Description,
    double? Longitude,
    double? Latitude,
    Guid? CommunityId,
    string? CommunityName,
    Guid? GridId,
    string? GridName,
    bool NeedsManualRouting,
    ComplainantDto Complainant,
    CaseState State,
    string StateName,
    Guid? HandlingUnitId,
    string? HandlingUnitName,
    IReadOnlyList<AssignmentDto> Assignments,
    DateTime ReceivedAt,
    DateTime? DispatchedAt,
    DateTime? AcceptedAt,
    DateTime? ContactedAt,
    DateTime? CompletedAt,
    DateTime? ClosedAt,
    DateTime? ResponseDueAt,
    DateTime? CompletionDueAt,
    DateTime? CallbackDueAt,
    string? RemainingText,
    bool IsOverdue,
    DateTime? ExtensionRequestedDueAt,
    string? ResultSummary,
    CallbackContact? CallbackContact,
    bool? CallbackResolved,
    Satisfaction? CallbackSatisfaction,
    int ReturnCount,
    int ReworkCount,
    int ReopenCount,
    int SuperviseCount,
    string? LeaderInChargeName,
    Guid? RepeatClusterId,
    IReadOnlyList<string> AllowedActions,
    Guid Version);

public sealed record CaseEventDto(
    Guid Id, CaseAction Action, string ActionName, CaseState FromState, string FromStateName, CaseState ToState,
    string ToStateName, string ActorName, string? ActorUnitName, DateTime OccurredAt, string? Note, string? Data);

public sealed record RoutingSuggestion(
    Guid? GridId,
    string? GridName,
    Guid? CommunityId,
    string? CommunityName,
    Guid? UnitId,
    string? UnitName,
    WorkLine? WorkLine,
    string? WorkLineName,
    bool NeedsManualRouting,
    IReadOnlyList<string> Reasons);

public sealed record CategoryDto(
    Guid Id, string Code, string Name, Guid? ParentId, WorkLine? WorkLine, string? WorkLineName, Guid? DefaultUnitId,
    string? DefaultUnitName, IReadOnlyList<CategoryLimitDto> TimeLimits);

public sealed record CategoryLimitDto(CaseUrgency Urgency, string UrgencyName, string Response, string Completion, string Callback);
