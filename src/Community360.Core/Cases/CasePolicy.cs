using Community360.Identity;

namespace Community360.Cases;

/// <summary>Who may take which action on a case: the dispatching office, the handling unit, the people on site.</summary>
public static class CasePolicy
{
    private static readonly string[] HandlerRoles = [Roles.CommunityWorker, Roles.GridWorker, Roles.DepartmentHandler, Roles.PartnerUnitHandler];

    /// <summary>指挥中心: the dispatchers of the street, who see complainants and run the chain.</summary>
    public static bool IsDispatchOffice(Caller caller) => caller == Caller.System || caller.IsInRole(Roles.Dispatcher);

    public static bool MayReceive(Caller caller, CaseChannel channel) =>
        IsDispatchOffice(caller)
        || channel == CaseChannel.GridPatrol && caller.IsInRole(Roles.GridWorker)
        || channel is CaseChannel.WalkIn or CaseChannel.Phone && caller.IsInRole(Roles.CommunityWorker);

    public static bool Permits(Caller caller, Case @case, CaseAction action) => action switch
    {
        CaseAction.Dispatch or CaseAction.Reassign or CaseAction.ApproveExtension or CaseAction.DenyExtension
            or CaseAction.Callback or CaseAction.Close or CaseAction.Reopen or CaseAction.Void or CaseAction.Merge => IsDispatchOffice(caller),
        CaseAction.VerifyReport or CaseAction.VerifyPass or CaseAction.VerifyFail =>
            IsDispatchOffice(caller) || (caller.IsInRole(Roles.GridWorker) || caller.IsInRole(Roles.CommunityWorker)) && caller.CanSee(@case.ScopePath),
        CaseAction.Accept or CaseAction.Return or CaseAction.RequestExtension or CaseAction.Suspend or CaseAction.Resume
            or CaseAction.Complete => IsHandler(caller, @case),
        CaseAction.Supervise or CaseAction.AssignLeader => IsDispatchOffice(caller) || caller.IsInRole(Roles.StreetLeader),
        CaseAction.Receive or CaseAction.MarkDueSoon or CaseAction.MarkOverdue => false,
    };

    /// <summary>
    /// 保密: a confidential complainant's identity is seen by the dispatching office and street leaders only,
    /// never by handling units or grid workers.
    /// </summary>
    public static bool SeesComplainant(Caller caller, Case @case) =>
        !@case.IsConfidential || IsDispatchOffice(caller) || caller.IsInRole(Roles.StreetLeader);

    /// <summary>Photos keep their location metadata only for the dispatching office.</summary>
    public static bool SeesOriginalPhotos(Caller caller) => IsDispatchOffice(caller);

    private static bool IsHandler(Caller caller, Case @case) =>
        @case.HandlingUnitId is { } unit && unit == caller.UnitId && HandlerRoles.Any(caller.IsInRole);
}
