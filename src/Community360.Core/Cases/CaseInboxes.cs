using System.Linq.Expressions;
using Community360.Common;
using Community360.Identity;
using Microsoft.EntityFrameworkCore;

namespace Community360.Cases;

/// <summary>
/// A work queue of the staff console. A case is in a caller's inbox exactly when the caller may now take the inbox's
/// main action on it (<see cref="CaseInboxes.MainAction"/>), as <see cref="Case.IsAllowed"/> and
/// <see cref="CasePolicy.Permits"/> decide; for one caller the inboxes never overlap.
/// </summary>
public enum CaseInbox
{
    /// <summary>待受理: reports that must be verified before dispatch (grid events).</summary>
    ToVerifyReport = 1,

    /// <summary>待派单: received, ready for the dispatcher, including cases that need manual routing.</summary>
    ToDispatch = 2,

    /// <summary>待签收: dispatched to the caller's unit, not yet accepted.</summary>
    ToAccept = 3,

    /// <summary>处置中: accepted or suspended at the caller's unit.</summary>
    InProgress = 4,

    /// <summary>待核查: completed, waiting for on-site verification.</summary>
    ToVerify = 5,

    /// <summary>待回访: completed or verified, the callback not yet made.</summary>
    ToCallback = 6,

    /// <summary>待结案: every step done (callback made where one is required), waiting to be closed or reopened.</summary>
    ToClose = 7,
}

public sealed record InboxCountDto(CaseInbox Inbox, string Name, CaseAction MainAction, int Total, int Overdue, int DueSoon);

/// <summary>Which inboxes a caller has, and which cases are in each: written as query predicates, so that counts and lists agree.</summary>
public static class CaseInboxes
{
    private static readonly string[] HandlerRoles = [Roles.CommunityWorker, Roles.GridWorker, Roles.DepartmentHandler, Roles.PartnerUnitHandler];

    public static string Name(CaseInbox inbox) => inbox switch
    {
        CaseInbox.ToVerifyReport => "待受理",
        CaseInbox.ToDispatch => "待派单",
        CaseInbox.ToAccept => "待签收",
        CaseInbox.InProgress => "处置中",
        CaseInbox.ToVerify => "待核查",
        CaseInbox.ToCallback => "待回访",
        CaseInbox.ToClose => "待结案",
        _ => throw new ArgumentOutOfRangeException(nameof(inbox), inbox, null),
    };

    public static CaseAction MainAction(CaseInbox inbox) => inbox switch
    {
        CaseInbox.ToVerifyReport => CaseAction.VerifyReport,
        CaseInbox.ToDispatch => CaseAction.Dispatch,
        CaseInbox.ToAccept => CaseAction.Accept,
        CaseInbox.InProgress => CaseAction.Complete,
        CaseInbox.ToVerify => CaseAction.VerifyPass,
        CaseInbox.ToCallback => CaseAction.Callback,
        CaseInbox.ToClose => CaseAction.Close,
        _ => throw new ArgumentOutOfRangeException(nameof(inbox), inbox, null),
    };

    /// <summary>The inboxes of a caller by role, in the order of the chain (接→派→办→评).</summary>
    public static IReadOnlyList<CaseInbox> For(Caller caller) => Enum.GetValues<CaseInbox>().Where(i => Has(caller, i)).ToList();

    public static bool Has(Caller caller, CaseInbox inbox)
    {
        var office = CasePolicy.IsDispatchOffice(caller);
        var onSite = caller.IsInRole(Roles.GridWorker) || caller.IsInRole(Roles.CommunityWorker);
        return inbox switch
        {
            CaseInbox.ToVerifyReport or CaseInbox.ToVerify => office || onSite,
            CaseInbox.ToDispatch or CaseInbox.ToCallback or CaseInbox.ToClose => office,
            CaseInbox.ToAccept or CaseInbox.InProgress => HandlerRoles.Any(caller.IsInRole),
            _ => false,
        };
    }

    /// <summary>The cases of one inbox among those the caller sees; nothing when the caller does not have the inbox.</summary>
    internal static Expression<Func<Case, bool>> Predicate(CaseInbox inbox, Caller caller, CaseTypeSteps steps)
    {
        if (!Has(caller, inbox))
        {
            return c => false;
        }
        var intakeCheck = steps.IntakeVerification;
        var onSiteCheck = steps.OnSiteVerification;
        var callback = steps.Callback;
        var unitId = caller.UnitId;
        // On-site people verify only where they work (their scope), not every case a unit of theirs was handed.
        var everywhere = CasePolicy.IsDispatchOffice(caller) || caller.ScopePath == ScopePaths.Root;
        var prefix = caller.ScopePath + "%";
        return inbox switch
        {
            CaseInbox.ToVerifyReport => c => c.State == CaseState.Received && intakeCheck.Contains(c.Type) && c.IntakeVerifiedAt == null
                && (everywhere || EF.Functions.Like(c.ScopePath, prefix)),
            CaseInbox.ToDispatch => c => c.State == CaseState.Received && (!intakeCheck.Contains(c.Type) || c.IntakeVerifiedAt != null),
            CaseInbox.ToAccept => c => c.State == CaseState.Dispatched && c.HandlingUnitId == unitId,
            CaseInbox.InProgress => c => (c.State == CaseState.Accepted || c.State == CaseState.Suspended) && c.HandlingUnitId == unitId,
            CaseInbox.ToVerify => c => c.State == CaseState.Completed && onSiteCheck.Contains(c.Type)
                && (everywhere || EF.Functions.Like(c.ScopePath, prefix)),
            CaseInbox.ToCallback => c => callback.Contains(c.Type) && c.CalledBackAt == null
                && (c.State == CaseState.Verified || c.State == CaseState.Completed && !onSiteCheck.Contains(c.Type)),
            CaseInbox.ToClose => c => (c.State == CaseState.Verified || c.State == CaseState.Completed && !onSiteCheck.Contains(c.Type))
                && (!callback.Contains(c.Type) || c.CalledBackAt != null),
            _ => c => false,
        };
    }

    /// <summary>The number of the caller's inbox a case is in (0 for none), as one SQL CASE expression.</summary>
    internal static Expression<Func<Case, int>> Number(IReadOnlyList<CaseInbox> inboxes, Caller caller, CaseTypeSteps steps)
    {
        var c = Expression.Parameter(typeof(Case), "c");
        Expression body = Expression.Constant(0);
        foreach (var inbox in inboxes.Reverse())
        {
            body = Expression.Condition(Predicate(inbox, caller, steps).Bind(c), Expression.Constant((int)inbox), body);
        }
        return Expression.Lambda<Func<Case, int>>(body, c);
    }
}

/// <summary>Which case types take which optional steps, read from the type configuration.</summary>
internal sealed record CaseTypeSteps(CaseType[] IntakeVerification, CaseType[] OnSiteVerification, CaseType[] Callback)
{
    public static async Task<CaseTypeSteps> LoadAsync(Data.AppDbContext db, CancellationToken ct)
    {
        var stored = await db.CaseTypeConfigs.AsNoTracking().ToListAsync(ct);
        var configs = CaseTypeConfig.Defaults().Select(d => stored.FirstOrDefault(s => s.Type == d.Type) ?? d).ToList();
        return new CaseTypeSteps(
            configs.Where(c => c.RequiresIntakeVerification).Select(c => c.Type).ToArray(),
            configs.Where(c => c.RequiresOnSiteVerification).Select(c => c.Type).ToArray(),
            configs.Where(c => c.RequiresCallback).Select(c => c.Type).ToArray());
    }
}

internal static class ExpressionBinding
{
    /// <summary>The body of <paramref name="lambda"/> with its parameter replaced, to compose predicates into one expression.</summary>
    public static Expression Bind<T, TResult>(this Expression<Func<T, TResult>> lambda, ParameterExpression parameter) =>
        new Rebinder(lambda.Parameters[0], parameter).Visit(lambda.Body);

    private sealed class Rebinder(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
