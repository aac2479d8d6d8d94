using System.Text.Json;
using Community360.Common;

namespace Community360.Cases;

/// <summary>One immutable line of a case's timeline; the source of every rate.</summary>
public sealed class CaseEvent : IHasOwnEventLog
{
    private static readonly JsonSerializerOptions DataJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private CaseEvent()
    {
    }

    internal CaseEvent(Guid caseId, CaseAction action, CaseState from, CaseState to, CaseActor actor, DateTime at, string? note, object? data)
    {
        CaseId = caseId;
        Action = action;
        FromState = from;
        ToState = to;
        ActorUserId = actor.UserId;
        ActorName = actor.Name;
        ActorUnitId = actor.UnitId;
        ActorUnitName = actor.UnitName;
        OccurredAt = at;
        Note = note;
        Data = data is null ? null : JsonSerializer.Serialize(data, DataJson);
    }

    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CaseId { get; private set; }
    public CaseAction Action { get; private set; }
    public CaseState FromState { get; private set; }
    public CaseState ToState { get; private set; }
    public Guid? ActorUserId { get; private set; }
    public string ActorName { get; private set; } = string.Empty;
    public Guid? ActorUnitId { get; private set; }
    public string? ActorUnitName { get; private set; }
    public DateTime OccurredAt { get; private set; }
    public string? Note { get; private set; }

    /// <summary>Compact JSON of the action's facts (unit chosen, extension asked, satisfaction …).</summary>
    public string? Data { get; private set; }

    // Where the case stood and who held it right after the event: the metrics are counted on these, so that a rebuild
    // from the log files every event under the same street, community, grid and unit as it was counted live.
    public Guid StreetId { get; internal init; }
    public Guid? CommunityId { get; internal init; }
    public Guid? GridId { get; internal init; }
    public Guid? HandlingUnitId { get; internal init; }
    public string PlaceScopePath { get; internal init; } = string.Empty;
}

/// <summary>A unit a case is (or was) handed to; active assignments make the case visible to that unit.</summary>
public sealed class CaseAssignment : IHasOwnEventLog
{
    private CaseAssignment()
    {
    }

    internal CaseAssignment(Guid caseId, HandlingUnit unit, bool isLead, DateTime at)
    {
        CaseId = caseId;
        UnitId = unit.Id;
        UnitName = unit.Name;
        UnitScopePath = unit.ScopePath;
        IsLead = isLead;
        AssignedAt = at;
    }

    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CaseId { get; private set; }
    public Guid UnitId { get; private set; }
    public string UnitName { get; private set; } = string.Empty;
    public string UnitScopePath { get; private set; } = string.Empty;
    public bool IsLead { get; private set; }
    public DateTime AssignedAt { get; private set; }
    public DateTime? EndedAt { get; private set; }

    internal void End(DateTime at) => EndedAt = at;
}

/// <summary>Where a case belongs: the street always, a community and grid when known.</summary>
public sealed record CasePlace(Guid StreetId, Guid? CommunityId, Guid? GridId, string ScopePath);

/// <summary>What intake has established about a new case before it is created.</summary>
public sealed record CaseIntake(
    string Number,
    CaseType Type,
    CaseChannel Channel,
    string? ExternalReference,
    Guid CategoryId,
    CaseUrgency Urgency,
    string Title,
    string Description,
    string? Address,
    double? Longitude,
    double? Latitude,
    string? PlaceKey,
    CasePlace Place,
    string? ComplainantName,
    string? ComplainantPhone,
    string? ComplainantPhoneHash,
    bool IsConfidential,
    Guid? SuggestedUnitId,
    string? Note);

public sealed record CaseDeadlines(DateTime? ResponseDueAt, DateTime? CompletionDueAt, Calendar.TimeLimitUnit? CompletionUnit = null);

/// <summary>The dispatcher placed an unrouted case: the place it was put in.</summary>
public sealed record RoutingOverride(CasePlace Place);

/// <summary>
/// Per case type: which steps apply. Types differ in configuration, not in code (DESIGN §3).
/// </summary>
public sealed class CaseTypeConfig : IVersioned, ITimestamped
{
    public required CaseType Type { get; init; }
    public bool RequiresIntakeVerification { get; set; }
    public bool RequiresOnSiteVerification { get; set; }
    public bool RequiresCallback { get; set; }
    public Guid Version { get; set; } = Guid.NewGuid();
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public static IReadOnlyList<CaseTypeConfig> Defaults() =>
    [
        new() { Type = CaseType.CitizenDemand, RequiresCallback = true },
        new() { Type = CaseType.GridEvent, RequiresIntakeVerification = true, RequiresOnSiteVerification = true },
        new() { Type = CaseType.SafetyHazard, RequiresOnSiteVerification = true },
        new() { Type = CaseType.Petition, RequiresCallback = true },
        new() { Type = CaseType.EnterpriseRequest, RequiresCallback = true },
        new() { Type = CaseType.ProjectProblem, RequiresOnSiteVerification = true },
        new() { Type = CaseType.ElderAlert },
    ];
}

/// <summary>An action the case's state, type, or the caller's role and unit do not allow now: answered with 409.</summary>
public sealed class CaseActionNotAllowedException(Case @case, CaseAction action, IReadOnlyList<CaseAction> allowed)
    : Exception($"Action {action} is not allowed in state {@case.State}.")
{
    public CaseAction Action { get; } = action;
    public CaseState State { get; } = @case.State;
    public IReadOnlyList<CaseAction> Allowed { get; } = allowed;

    public ConflictException ToConflict(IReadOnlyList<CaseAction> allowedForCaller) => new(
        $"工单当前状态为“{CaseNames.Of(State)}”，不能执行“{CaseNames.Of(Action)}”。"
        + (allowedForCaller.Count == 0 ? "您当前没有可执行的操作。" : $"当前可执行：{string.Join("、", allowedForCaller.Select(CaseNames.Of))}。"),
        new Dictionary<string, object?>
        {
            ["state"] = State.ToString(),
            ["stateName"] = CaseNames.Of(State),
            ["allowedActions"] = allowedForCaller.Select(a => a.ToString()).ToList(),
        });
}
