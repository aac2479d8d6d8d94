using Community360.Calendar;
using Community360.Common;
using Community360.Identity;
using Community360.Organization;
using Microsoft.EntityFrameworkCore;

namespace Community360.Cases;

public sealed partial class CaseHandlers
{
    private const int MaxCoHandlers = 5;

    /// <summary>
    /// Takes one action on a case: state and type decide whether the action exists now (409 naming what is
    /// allowed), role and unit decide whether this caller may take it (403), the input is checked (400), and the
    /// change is saved with its event, or not at all.
    /// </summary>
    public async Task<CaseDetailDto> ActAsync(Caller caller, Guid id, CaseAction action, CaseActionInput input, CancellationToken ct)
    {
        var @case = await Visible(caller).Include(c => c.Assignments).FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException(What);
        var config = await ConfigAsync(@case.Type, ct);
        if (!@case.IsAllowed(action, config))
        {
            var allowedForCaller = @case.AllowedActions(config).Where(a => CasePolicy.Permits(caller, @case, a)).ToList();
            throw new CaseActionNotAllowedException(@case, action, allowedForCaller).ToConflict(allowedForCaller);
        }
        if (!CasePolicy.Permits(caller, @case, action))
        {
            throw new ForbiddenException($"您无权对该工单执行“{CaseNames.Of(action)}”。");
        }
        db.ExpectVersion(@case, input.Version, What);

        var errors = new FieldErrors();
        var note = errors.OptionalText("note", "说明", input.Note, CaseRules.NoteMax);
        var now = Now();
        var actor = await ActorAsync(caller, ct);
        var calendar = await calendars.GetAsync(db, ct);
        var category = await LoadCategoryAsync(@case.CategoryId, ct);
        var limits = category is null ? TimeLimitLookup.Fallback(@case.Urgency) : TimeLimitLookup.For(category, @case.Urgency);

        switch (action)
        {
            case CaseAction.VerifyReport:
                errors.ThrowIfAny();
                @case.VerifyReport(config, actor, now, note);
                break;
            case CaseAction.Dispatch or CaseAction.Reassign:
            {
                var lead = await HandlingUnitAsync(caller, errors, "unitId", input.UnitId, ct);
                var coHandlers = await CoHandlersAsync(caller, errors, input.CoHandlerIds, ct);
                RoutingOverride? routing = null;
                if (action == CaseAction.Dispatch && @case.CommunityId is null)
                {
                    routing = await ManualPlaceAsync(caller, errors, input.CommunityId, lead, ct);
                }
                errors.ThrowIfAny();
                var responseDue = calendar.Due(now, limits.Response);
                if (action == CaseAction.Dispatch)
                {
                    @case.Dispatch(config, actor, now, lead!, coHandlers, new CaseDeadlines(responseDue, calendar.Due(now, limits.Completion), limits.CompletionUnit), routing, note);
                }
                else
                {
                    @case.Reassign(config, actor, now, lead!, coHandlers, responseDue, note);
                }
                break;
            }
            case CaseAction.Accept:
                // Forms give minutes: a contact in the minute of receipt is not "before" it.
                if (input.ContactedAt is { } contacted && (ChinaTime.ToUtc(contacted) > now.AddMinutes(5) || ChinaTime.ToUtc(contacted) < @case.ReceivedAt.AddMinutes(-1)))
                {
                    errors.Add("contactedAt", "联系诉求人的时间应在受理之后、当前时间之前。");
                }
                errors.ThrowIfAny();
                @case.Accept(config, actor, now, input.ContactedAt is { } at ? ChinaTime.ToUtc(at) : null, note);
                break;
            case CaseAction.Return:
                @case.Return(config, actor, now, Reason(errors, note, "退单理由"));
                break;
            case CaseAction.RequestExtension:
            {
                var reason = Reason(errors, note, "延期理由");
                var requested = input.RequestedDueAt is { } due ? ChinaTime.ToUtc(due) : (DateTime?)null;
                if (requested is null)
                {
                    errors.Add("requestedDueAt", "请填写申请延期到的时间。");
                }
                else if (requested <= (@case.CompletionDueAt ?? now) || requested <= now)
                {
                    errors.Add("requestedDueAt", "延期后的时间应晚于当前办理时限。");
                }
                errors.ThrowIfAny();
                @case.RequestExtension(config, actor, now, requested!.Value, reason);
                break;
            }
            case CaseAction.ApproveExtension:
                errors.ThrowIfAny();
                @case.ApproveExtension(config, actor, now, note);
                break;
            case CaseAction.DenyExtension:
                @case.DenyExtension(config, actor, now, Reason(errors, note, "驳回理由"));
                break;
            case CaseAction.Suspend:
                @case.Suspend(config, actor, now, Reason(errors, note, "挂起理由"));
                break;
            case CaseAction.Resume:
            {
                errors.ThrowIfAny();
                var unit = @case.CompletionLimitUnit ?? TimeLimitUnit.WorkingHours;
                var suspendedAt = @case.SuspendedAt ?? now;
                var shifted = new CaseDeadlines(
                    @case.ResponseDueAt is { } r ? calendar.ExtendForPause(r, suspendedAt, now, limits.ResponseUnit) : null,
                    @case.CompletionDueAt is { } c ? calendar.ExtendForPause(c, suspendedAt, now, unit) : null);
                @case.Resume(config, actor, now, shifted, note);
                break;
            }
            case CaseAction.Complete:
            {
                var result = Reason(errors, note, "办理结果");
                @case.Complete(config, actor, now, result, config.RequiresCallback ? calendar.Due(now, limits.Callback) : null);
                break;
            }
            case CaseAction.VerifyPass or CaseAction.VerifyFail:
                if (action == CaseAction.VerifyFail)
                {
                    Reason(errors, note, "核查不通过的原因");
                }
                errors.ThrowIfAny();
                @case.VerifyOnSite(config, actor, now, action == CaseAction.VerifyPass, note, config.RequiresCallback ? calendar.Due(now, limits.Callback) : null);
                break;
            case CaseAction.Callback:
            {
                var contact = errors.Enum("contact", "回访结果", input.Contact);
                if (input.Contact == CallbackContact.Reached)
                {
                    errors.Required("resolved", "是否解决", input.Resolved);
                    errors.Enum("satisfaction", "满意度", input.Satisfaction);
                }
                errors.ThrowIfAny();
                @case.RecordCallback(config, actor, now, contact, input.Resolved, input.Satisfaction, note);
                break;
            }
            case CaseAction.Reopen:
                @case.Reopen(config, actor, now, Reason(errors, note, "重新办理的原因"));
                break;
            case CaseAction.Close:
                errors.ThrowIfAny();
                @case.Close(config, actor, now, note);
                break;
            case CaseAction.Void:
                @case.Void(config, actor, now, Reason(errors, note, "作废理由"));
                break;
            case CaseAction.Merge:
            {
                Case? target = null;
                if (input.TargetCaseId is not { } targetId)
                {
                    errors.Add("targetCaseId", "请选择要合并到的工单。");
                }
                else if (targetId == @case.Id || (target = await Visible(caller).FirstOrDefaultAsync(c => c.Id == targetId && c.State != CaseState.Voided, ct)) is null)
                {
                    errors.Add("targetCaseId", "要合并到的工单不存在、已作废或就是本工单。");
                }
                errors.ThrowIfAny();
                @case.MergeInto(config, actor, now, target!, note);
                break;
            }
            case CaseAction.Supervise:
                @case.Supervise(config, actor, now, Reason(errors, note, "督办意见"));
                break;
            case CaseAction.AssignLeader:
            {
                var leader = input.LeaderUserId is { } leaderId
                    ? await db.Users.InScopeOf(caller).Where(u => u.Id == leaderId && !u.IsDisabled
                        && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.StreetLeader)))
                        .Select(u => new { u.Id, u.DisplayName }).FirstOrDefaultAsync(ct)
                    : null;
                if (leader is null)
                {
                    errors.Add("leaderUserId", "请选择包案的街道领导。");
                }
                errors.ThrowIfAny();
                @case.AssignLeader(config, actor, now, leader!.Id, leader.DisplayName, note);
                break;
            }
            case CaseAction.Receive or CaseAction.MarkDueSoon or CaseAction.MarkOverdue:
                throw new ForbiddenException($"“{CaseNames.Of(action)}”由系统执行。");
        }
        await db.SaveChangesAsync(ct);
        // A unit that returns a case, or is replaced on it, no longer sees it afterwards; the answer to the action
        // it just took still shows the result, instead of a 404 that would look like failure and invite a retry.
        return await DetailAsync(caller, id, ct, authorizedByAction: true);
    }

    private static string Reason(FieldErrors errors, string? note, string label)
    {
        if (string.IsNullOrWhiteSpace(note))
        {
            errors.Add("note", $"请填写{label}。");
        }
        errors.ThrowIfAny();
        return note!;
    }

    /// <summary>A unit that can handle work: a community, a department or a partner unit the dispatcher can see.</summary>
    private async Task<HandlingUnit?> HandlingUnitAsync(Caller caller, FieldErrors errors, string field, Guid? unitId, CancellationToken ct)
    {
        if (unitId is null)
        {
            errors.Add(field, "请选择承办单位。");
            return null;
        }
        var unit = await db.OrgUnits.InScopeOf(caller)
            .Where(o => o.Id == unitId && !o.IsRetired && (o.Kind == OrgUnitKind.Community || o.Kind == OrgUnitKind.Department || o.Kind == OrgUnitKind.PartnerUnit))
            .Select(o => new HandlingUnit(o.Id, o.Name, o.ScopePath))
            .FirstOrDefaultAsync(ct);
        if (unit is null)
        {
            errors.Add(field, "承办单位不存在、已撤销，或不是社区、职能科室、共建单位。");
        }
        return unit;
    }

    private async Task<List<HandlingUnit>> CoHandlersAsync(Caller caller, FieldErrors errors, IReadOnlyList<Guid>? ids, CancellationToken ct)
    {
        var units = new List<HandlingUnit>();
        if (ids is null)
        {
            return units;
        }
        if (ids.Count > MaxCoHandlers)
        {
            errors.Add("coHandlerIds", $"协办单位最多 {MaxCoHandlers} 个。");
            return units;
        }
        foreach (var id in ids.Distinct())
        {
            if (await HandlingUnitAsync(caller, errors, "coHandlerIds", id, ct) is { } unit)
            {
                units.Add(unit);
            }
        }
        return units;
    }

    /// <summary>An unrouted case is placed by the dispatcher: in the community named, or in the community it is sent to.</summary>
    private async Task<RoutingOverride?> ManualPlaceAsync(Caller caller, FieldErrors errors, Guid? communityId, HandlingUnit? lead, CancellationToken ct)
    {
        var id = communityId ?? lead?.Id;
        var community = id is null ? null : await db.OrgUnits.InScopeOf(caller)
            .FirstOrDefaultAsync(o => o.Id == id && o.Kind == OrgUnitKind.Community && !o.IsRetired, ct);
        if (community is null)
        {
            if (communityId is not null || lead is not null)
            {
                errors.Add("communityId", "该工单未能自动定位到网格，请选择所属社区。");
            }
            return null;
        }
        return new RoutingOverride(new CasePlace(community.ParentId!.Value, community.Id, null, community.ScopePath));
    }

    private async Task<CaseActor> ActorAsync(Caller caller, CancellationToken ct)
    {
        if (caller == Caller.System)
        {
            return CaseActor.System;
        }
        var unitName = await db.OrgUnits.Where(o => o.Id == caller.UnitId).Select(o => o.Name).FirstOrDefaultAsync(ct);
        return new CaseActor(caller.UserId, caller.DisplayName, caller.UnitId, unitName);
    }
}
