using Community360.Identity;

namespace Community360.Web.Components.Layout;

/// <summary>One entry of the console's navigation; shown only to the roles that may use the page behind it.</summary>
public sealed record NavEntry(string Group, string Title, string Href, IReadOnlyList<string> Roles, string? InboxKey = null)
{
    public bool IsFor(Caller caller) => Roles.Any(caller.IsInRole);
}

/// <summary>
/// The console's pages by role. The pages enforce the same rules (handlers check permissions and scope); hiding
/// entries only keeps the screen free of what the user cannot use.
/// </summary>
public static class ConsoleNavigation
{
    public static readonly string[] CaseRoles =
        [Roles.StreetLeader, Roles.Dispatcher, Roles.CommunityWorker, Roles.GridWorker, Roles.DepartmentHandler, Roles.PartnerUnitHandler];

    public static readonly string[] IntakeRoles = [Roles.Dispatcher, Roles.CommunityWorker, Roles.GridWorker];

    public static readonly string[] MapRoles = [Roles.StreetLeader, Roles.Dispatcher, Roles.CommunityWorker, Roles.GridWorker];

    public static IReadOnlyList<NavEntry> Entries { get; } =
    [
        new("工作台", "首页", "", CaseRoles),
        new("工作台", "受理登记", "cases/new", IntakeRoles),
        new("工作台", "批量派单", "dispatch", [Roles.Dispatcher]),
        new("工作台", "案件查询", "cases", CaseRoles),
        new("工作台", "网格地图", "map", MapRoles),
        new("系统管理", "组织机构", "admin/org-units", [Roles.SystemAdmin]),
        new("系统管理", "网格管理", "admin/grids", [Roles.SystemAdmin]),
        new("系统管理", "事项分类与时限", "admin/categories", [Roles.SystemAdmin]),
        new("系统管理", "工作日历", "admin/calendar", [Roles.SystemAdmin]),
        new("系统管理", "用户与权限", "admin/users", [Roles.SystemAdmin, Roles.SecurityAdmin]),
        new("系统管理", "审计日志", "admin/audit", [Roles.AuditAdmin]),
    ];

    public static IReadOnlyList<NavEntry> For(Caller caller) => Entries.Where(e => e.IsFor(caller)).ToList();

    /// <summary>Where a user lands after sign-in: the dashboard for case roles, their own pages for the administrators.</summary>
    public static string HomeFor(Caller caller) =>
        CaseRoles.Any(caller.IsInRole) ? "/" : For(caller) is [var first, ..] ? "/" + first.Href : "/not-found";
}
