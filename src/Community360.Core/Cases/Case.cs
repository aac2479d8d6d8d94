using Community360.Calendar;
using Community360.Common;

namespace Community360.Cases;

/// <summary>Who acts on a case: the person and the unit they act for, as the timeline shows them.</summary>
public sealed record CaseActor(Guid? UserId, string Name, Guid? UnitId, string? UnitName)
{
    public static CaseActor System { get; } = new(null, "系统", null, null);
}

/// <summary>A unit a case is handed to, with the path that makes the case visible to that unit's people.</summary>
public sealed record HandlingUnit(Guid Id, string Name, string ScopePath);

/// <summary>
/// 诉求、事件、工单: one engine for every kind of work item. Every change of state goes through a guarded method
/// that appends an immutable <see cref="CaseEvent"/>; nothing else sets <see cref="State"/>.
/// </summary>
public sealed class Case : IVersioned, ITimestamped, IScoped, IHasOwnEventLog
{
    private readonly List<CaseEvent> _events = [];
    private readonly List<CaseAssignment> _assignments = [];

    private Case()
    {
    }

    public Guid Id { get; private set; } = Guid.CreateVersion7();

    /// <summary>Human-readable number, e.g. 20261125-000123: the local date of receipt and a daily sequence.</summary>
    public string Number { get; private set; } = string.Empty;
    public CaseType Type { get; private set; }
    public CaseChannel Channel { get; private set; }

    /// <summary>The channel's own ticket number (e.g. the 12345 work order); unique per channel.</summary>
    public string? ExternalReference { get; private set; }
    public Guid CategoryId { get; private set; }
    public CaseUrgency Urgency { get; private set; }
    public string Title { get; private set; } = string.Empty;
    public string Description { get; private set; } = string.Empty;

    [Sensitive]
    public string? Address { get; private set; }
    public double? Longitude { get; private set; }
    public double? Latitude { get; private set; }

    /// <summary>Normalized compound + building ("翠园小区|3"), for repeat matching; null when not recognisable.</summary>
    public string? PlaceKey { get; private set; }

    public Guid StreetId { get; private set; }
    public Guid? CommunityId { get; private set; }
    public Guid? GridId { get; private set; }
    public bool NeedsManualRouting { get; private set; }

    /// <summary>Path of the place the case belongs to (grid, else community, else street).</summary>
    public string ScopePath { get; private set; } = string.Empty;

    public string? ComplainantName { get; private set; }

    [Sensitive]
    public string? ComplainantPhone { get; private set; }

    /// <summary>Keyed hash of the phone: repeats are matched on this, never on the number itself.</summary>
    public string? ComplainantPhoneHash { get; private set; }
    public bool IsConfidential { get; private set; }

    public CaseState State { get; private set; }
    public Guid? HandlingUnitId { get; private set; }
    public string? HandlingUnitName { get; private set; }
    public Guid? SuggestedUnitId { get; private set; }

    public DateTime ReceivedAt { get; private set; }
    public DateTime? IntakeVerifiedAt { get; private set; }
    public DateTime? FirstDispatchedAt { get; private set; }
    public DateTime? DispatchedAt { get; private set; }
    public DateTime? AcceptedAt { get; private set; }
    public DateTime? ContactedAt { get; private set; }
    public DateTime? CompletedAt { get; private set; }
    public DateTime? VerifiedAt { get; private set; }
    public DateTime? CalledBackAt { get; private set; }
    public DateTime? ClosedAt { get; private set; }
    public DateTime? SuspendedAt { get; private set; }

    /// <summary>How the completion limit is counted; a suspension moves the deadline on the same basis.</summary>
    public TimeLimitUnit? CompletionLimitUnit { get; private set; }
    public DateTime? ResponseDueAt { get; private set; }
    public DateTime? CompletionDueAt { get; private set; }
    public DateTime? CallbackDueAt { get; private set; }
    public DateTime? DueSoonNotifiedAt { get; private set; }
    public DateTime? OverdueNotifiedAt { get; private set; }

    public DateTime? ExtensionRequestedDueAt { get; private set; }
    public string? ResultSummary { get; private set; }

    public CallbackContact? CallbackContact { get; private set; }
    public bool? CallbackResolved { get; private set; }
    public Satisfaction? CallbackSatisfaction { get; private set; }

    public int ReturnCount { get; private set; }
    public int ReassignCount { get; private set; }
    public int ReworkCount { get; private set; }
    public int ReopenCount { get; private set; }
    public int SuperviseCount { get; private set; }
    public Guid? LeaderInChargeUserId { get; private set; }
    public string? LeaderInChargeName { get; private set; }
    public Guid? MergedIntoCaseId { get; private set; }
    public Guid? RepeatClusterId { get; private set; }

    public Guid Version { get; set; } = Guid.NewGuid();
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public IReadOnlyList<CaseEvent> Events => _events;
    public IReadOnlyList<CaseAssignment> Assignments => _assignments;

    public bool IsOpen => State is not (CaseState.Closed or CaseState.Voided);

    public static Case Receive(CaseIntake intake, CaseActor actor, DateTime now)
    {
        var @case = new Case
        {
            Number = intake.Number,
            Type = intake.Type,
            Channel = intake.Channel,
            ExternalReference = intake.ExternalReference,
            CategoryId = intake.CategoryId,
            Urgency = intake.Urgency,
            Title = intake.Title,
            Description = intake.Description,
            Address = intake.Address,
            Longitude = intake.Longitude,
            Latitude = intake.Latitude,
            PlaceKey = intake.PlaceKey,
            StreetId = intake.Place.StreetId,
            CommunityId = intake.Place.CommunityId,
            GridId = intake.Place.GridId,
            ScopePath = intake.Place.ScopePath,
            NeedsManualRouting = intake.Place.CommunityId is null,
            ComplainantName = intake.ComplainantName,
            ComplainantPhone = intake.ComplainantPhone,
            ComplainantPhoneHash = intake.ComplainantPhoneHash,
            IsConfidential = intake.IsConfidential,
            SuggestedUnitId = intake.SuggestedUnitId,
            State = CaseState.Received,
            ReceivedAt = now,
        };
        @case.Append(CaseAction.Receive, actor, now, CaseState.Received, intake.Note,
            new { channel = intake.Channel.ToString(), intake.ExternalReference, manualRouting = @case.NeedsManualRouting });
        return @case;
    }

    public void VerifyReport(CaseTypeConfig config, CaseActor actor, DateTime now, string? note)
    {
        Require(CaseAction.VerifyReport, config);
        IntakeVerifiedAt = now;
        Append(CaseAction.VerifyReport, actor, now, State, note);
    }

    /// <summary>Hands the case to a unit. The completion deadline is set at the first dispatch and kept afterwards.</summary>
    public void Dispatch(CaseTypeConfig config, CaseActor actor, DateTime now, HandlingUnit lead, IReadOnlyList<HandlingUnit> coHandlers,
        CaseDeadlines deadlines, RoutingOverride? routing, string? note)
    {
        Require(CaseAction.Dispatch, config);
        AssignTo(lead, coHandlers, now);
        FirstDispatchedAt ??= now;
        DispatchedAt = now;
        ResponseDueAt = deadlines.ResponseDueAt;
        if (CompletionDueAt is null)
        {
            CompletionDueAt = deadlines.CompletionDueAt;
            CompletionLimitUnit = deadlines.CompletionUnit;
        }
        NeedsManualRouting = false;
        if (routing is not null)
        {
            MoveTo(routing.Place);
        }
        Append(CaseAction.Dispatch, actor, now, CaseState.Dispatched, note, new
        {
            unitId = lead.Id,
            unitName = lead.Name,
            coHandlers = coHandlers.Select(c => c.Name).ToList(),
            suggestedUnitId = SuggestedUnitId,
            overridden = SuggestedUnitId is { } suggested && suggested != lead.Id,
        });
    }

    public void Accept(CaseTypeConfig config, CaseActor actor, DateTime now, DateTime? contactedAt, string? note)
    {
        Require(CaseAction.Accept, config);
        AcceptedAt = now;
        ContactedAt = contactedAt ?? ContactedAt;
        var respondedInTime = ResponseDueAt is { } due && now <= due && ContactedAt is { } contacted && contacted <= due;
        Append(CaseAction.Accept, actor, now, CaseState.Accepted, note, new { contactedAt, dispatchedAt = DispatchedAt, respondedInTime });
    }

    public void Return(CaseTypeConfig config, CaseActor actor, DateTime now, string reason)
    {
        Require(CaseAction.Return, config);
        var from = HandlingUnitName;
        var fromUnitId = HandlingUnitId;
        EndAssignments(now);
        HandlingUnitId = null;
        HandlingUnitName = null;
        ResponseDueAt = null;
        ReturnCount++;
        Append(CaseAction.Return, actor, now, CaseState.Received, reason, new { fromUnit = from, fromUnitId });
    }

    public void Reassign(CaseTypeConfig config, CaseActor actor, DateTime now, HandlingUnit lead, IReadOnlyList<HandlingUnit> coHandlers,
        DateTime responseDueAt, string? note)
    {
        Require(CaseAction.Reassign, config);
        var from = HandlingUnitName;
        var fromUnitId = HandlingUnitId;
        AssignTo(lead, coHandlers, now);
        DispatchedAt = now;
        AcceptedAt = null;
        ResponseDueAt = responseDueAt;
        ReassignCount++;
        Append(CaseAction.Reassign, actor, now, CaseState.Dispatched, note, new { fromUnit = from, fromUnitId, unitId = lead.Id, unitName = lead.Name });
    }

    public void RequestExtension(CaseTypeConfig config, CaseActor actor, DateTime now, DateTime requestedDueAt, string reason)
    {
        Require(CaseAction.RequestExtension, config);
        ExtensionRequestedDueAt = requestedDueAt;
        Append(CaseAction.RequestExtension, actor, now, State, reason, new { requestedDueAt, currentDueAt = CompletionDueAt });
    }

    public void ApproveExtension(CaseTypeConfig config, CaseActor actor, DateTime now, string? note)
    {
        Require(CaseAction.ApproveExtension, config);
        var previous = CompletionDueAt;
        CompletionDueAt = ExtensionRequestedDueAt;
        ExtensionRequestedDueAt = null;
        DueSoonNotifiedAt = null;
        OverdueNotifiedAt = null;
        Append(CaseAction.ApproveExtension, actor, now, State, note, new { previousDueAt = previous, newDueAt = CompletionDueAt });
    }

    public void DenyExtension(CaseTypeConfig config, CaseActor actor, DateTime now, string reason)
    {
        Require(CaseAction.DenyExtension, config);
        var requested = ExtensionRequestedDueAt;
        ExtensionRequestedDueAt = null;
        Append(CaseAction.DenyExtension, actor, now, State, reason, new { requestedDueAt = requested });
    }

    public void Suspend(CaseTypeConfig config, CaseActor actor, DateTime now, string reason)
    {
        Require(CaseAction.Suspend, config);
        SuspendedAt = now;
        Append(CaseAction.Suspend, actor, now, CaseState.Suspended, reason);
    }

    /// <summary>Resumes with the deadlines moved by the time spent suspended (the handler computes them on the calendar).</summary>
    public void Resume(CaseTypeConfig config, CaseActor actor, DateTime now, CaseDeadlines shifted, string? note)
    {
        Require(CaseAction.Resume, config);
        var suspendedAt = SuspendedAt;
        SuspendedAt = null;
        var before = new { ResponseDueAt, CompletionDueAt };
        ResponseDueAt = AcceptedAt is null ? shifted.ResponseDueAt : ResponseDueAt;
        CompletionDueAt = shifted.CompletionDueAt;
        DueSoonNotifiedAt = null;
        OverdueNotifiedAt = null;
        Append(CaseAction.Resume, actor, now, CaseState.Accepted, note,
            new { suspendedAt, previousCompletionDueAt = before.CompletionDueAt, newCompletionDueAt = CompletionDueAt });
    }

    public void Complete(CaseTypeConfig config, CaseActor actor, DateTime now, string result, DateTime? callbackDueAt)
    {
        Require(CaseAction.Complete, config);
        CompletedAt = now;
        ResultSummary = result;
        CallbackDueAt = config.RequiresOnSiteVerification ? null : callbackDueAt;
        Append(CaseAction.Complete, actor, now, CaseState.Completed, result,
            new { onTime = CompletionDueAt is null || now <= CompletionDueAt, dispatchedAt = DispatchedAt });
    }

    public void VerifyOnSite(CaseTypeConfig config, CaseActor actor, DateTime now, bool passed, string? note, DateTime? callbackDueAt)
    {
        if (passed)
        {
            Require(CaseAction.VerifyPass, config);
            VerifiedAt = now;
            CallbackDueAt = callbackDueAt;
            Append(CaseAction.VerifyPass, actor, now, CaseState.Verified, note);
        }
        else
        {
            Require(CaseAction.VerifyFail, config);
            CompletedAt = null;
            ReworkCount++;
            Append(CaseAction.VerifyFail, actor, now, CaseState.Accepted, note);
        }
    }

    public void RecordCallback(CaseTypeConfig config, CaseActor actor, DateTime now, CallbackContact contact, bool? resolved,
        Satisfaction? satisfaction, string? note)
    {
        Require(CaseAction.Callback, config);
        CalledBackAt = now;
        CallbackContact = contact;
        CallbackResolved = contact == Cases.CallbackContact.Reached ? resolved : null;
        CallbackSatisfaction = contact == Cases.CallbackContact.Reached ? satisfaction : null;
        Append(CaseAction.Callback, actor, now, State, note, new
        {
            contact = contact.ToString(),
            resolved = CallbackResolved,
            satisfaction = CallbackSatisfaction?.ToString(),
        });
    }

    public void Close(CaseTypeConfig config, CaseActor actor, DateTime now, string? note)
    {
        Require(CaseAction.Close, config);
        ClosedAt = now;
        Append(CaseAction.Close, actor, now, CaseState.Closed, note);
    }

    /// <summary>Back to intake after an unresolved or unsatisfied callback: it is handled again from the start.</summary>
    public void Reopen(CaseTypeConfig config, CaseActor actor, DateTime now, string reason)
    {
        Require(CaseAction.Reopen, config);
        var fromUnitId = HandlingUnitId;
        EndAssignments(now);
        HandlingUnitId = null;
        HandlingUnitName = null;
        ReopenCount++;
        ClosedAt = null;
        CompletedAt = null;
        VerifiedAt = null;
        CalledBackAt = null;
        CallbackContact = null;
        CallbackResolved = null;
        CallbackSatisfaction = null;
        ResponseDueAt = null;
        CompletionDueAt = null;
        CallbackDueAt = null;
        DueSoonNotifiedAt = null;
        OverdueNotifiedAt = null;
        Append(CaseAction.Reopen, actor, now, CaseState.Received, reason, new { fromUnitId });
    }

    public void Void(CaseTypeConfig config, CaseActor actor, DateTime now, string reason)
    {
        Require(CaseAction.Void, config);
        ClosedAt = now;
        Append(CaseAction.Void, actor, now, CaseState.Voided, reason);
    }

    public void MergeInto(CaseTypeConfig config, CaseActor actor, DateTime now, Case target, string? note)
    {
        Require(CaseAction.Merge, config);
        MergedIntoCaseId = target.Id;
        ClosedAt = now;
        Append(CaseAction.Merge, actor, now, CaseState.Voided, note, new { intoCaseId = target.Id, intoNumber = target.Number });
    }

    public void Supervise(CaseTypeConfig config, CaseActor actor, DateTime now, string note)
    {
        Require(CaseAction.Supervise, config);
        SuperviseCount++;
        Append(CaseAction.Supervise, actor, now, State, note, new { level = SuperviseCount });
    }

    public void AssignLeader(CaseTypeConfig config, CaseActor actor, DateTime now, Guid leaderId, string leaderName, string? note)
    {
        Require(CaseAction.AssignLeader, config);
        LeaderInChargeUserId = leaderId;
        LeaderInChargeName = leaderName;
        Append(CaseAction.AssignLeader, actor, now, State, note, new { leaderId, leaderName });
    }

    /// <summary>Set by the deadline monitor once per deadline; returns false when already marked.</summary>
    public bool MarkDueSoon(DateTime now, string deadline)
    {
        if (DueSoonNotifiedAt is not null || !IsOpen)
        {
            return false;
        }
        DueSoonNotifiedAt = now;
        Append(CaseAction.MarkDueSoon, CaseActor.System, now, State, $"{deadline}即将到期。", new { deadline });
        return true;
    }

    public bool MarkOverdue(DateTime now, string deadline)
    {
        if (OverdueNotifiedAt is not null || !IsOpen)
        {
            return false;
        }
        OverdueNotifiedAt = now;
        Append(CaseAction.MarkOverdue, CaseActor.System, now, State, $"{deadline}已超期。", new { deadline });
        return true;
    }

    public void JoinRepeatCluster(Guid clusterId) => RepeatClusterId = clusterId;

    public void LeaveRepeatCluster() => RepeatClusterId = null;

    /// <summary>The actions the case's state and type allow now; roles and units are checked by the handlers.</summary>
    public IReadOnlyList<CaseAction> AllowedActions(CaseTypeConfig config) =>
        Enum.GetValues<CaseAction>().Where(a => IsAllowed(a, config)).ToList();

    public bool IsAllowed(CaseAction action, CaseTypeConfig config) => action switch
    {
        CaseAction.Receive or CaseAction.MarkDueSoon or CaseAction.MarkOverdue => false,
        CaseAction.VerifyReport => State == CaseState.Received && config.RequiresIntakeVerification && IntakeVerifiedAt is null,
        CaseAction.Dispatch => State == CaseState.Received && (!config.RequiresIntakeVerification || IntakeVerifiedAt is not null),
        CaseAction.Void or CaseAction.Merge => State == CaseState.Received,
        CaseAction.Accept or CaseAction.Return => State == CaseState.Dispatched,
        CaseAction.Reassign => State is CaseState.Dispatched or CaseState.Accepted,
        CaseAction.RequestExtension => State == CaseState.Accepted && ExtensionRequestedDueAt is null,
        CaseAction.ApproveExtension or CaseAction.DenyExtension => State is CaseState.Accepted or CaseState.Suspended && ExtensionRequestedDueAt is not null,
        CaseAction.Suspend or CaseAction.Complete => State == CaseState.Accepted,
        CaseAction.Resume => State == CaseState.Suspended,
        CaseAction.VerifyPass or CaseAction.VerifyFail => State == CaseState.Completed && config.RequiresOnSiteVerification,
        CaseAction.Callback => config.RequiresCallback && (State == CaseState.Verified || State == CaseState.Completed && !config.RequiresOnSiteVerification),
        CaseAction.Close => State == CaseState.Verified && (!config.RequiresCallback || CalledBackAt is not null)
            || State == CaseState.Completed && !config.RequiresOnSiteVerification && (!config.RequiresCallback || CalledBackAt is not null),
        CaseAction.Reopen => State is CaseState.Completed or CaseState.Verified or CaseState.Closed,
        CaseAction.Supervise or CaseAction.AssignLeader => IsOpen,
    };

    private void Require(CaseAction action, CaseTypeConfig config)
    {
        if (!IsAllowed(action, config))
        {
            throw new CaseActionNotAllowedException(this, action, AllowedActions(config));
        }
    }

    private void AssignTo(HandlingUnit lead, IReadOnlyList<HandlingUnit> coHandlers, DateTime now)
    {
        EndAssignments(now);
        HandlingUnitId = lead.Id;
        HandlingUnitName = lead.Name;
        _assignments.Add(new CaseAssignment(Id, lead, isLead: true, now));
        foreach (var unit in coHandlers.Where(u => u.Id != lead.Id).DistinctBy(u => u.Id))
        {
            _assignments.Add(new CaseAssignment(Id, unit, isLead: false, now));
        }
    }

    private void EndAssignments(DateTime now)
    {
        foreach (var assignment in _assignments.Where(a => a.EndedAt is null))
        {
            assignment.End(now);
        }
    }

    private void MoveTo(CasePlace place)
    {
        StreetId = place.StreetId;
        CommunityId = place.CommunityId;
        GridId = place.GridId;
        ScopePath = place.ScopePath;
    }

    private void Append(CaseAction action, CaseActor actor, DateTime now, CaseState to, string? note, object? data = null)
    {
        var from = State;
        State = to;
        _events.Add(new CaseEvent(Id, action, from, to, actor, now, note, data)
        {
            StreetId = StreetId,
            CommunityId = CommunityId,
            GridId = GridId,
            HandlingUnitId = HandlingUnitId,
            PlaceScopePath = ScopePath,
        });
    }
}
