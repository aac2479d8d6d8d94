namespace Community360.Identity;

/// <summary>
/// The roles of the product. SystemAdmin, SecurityAdmin and AuditAdmin are the three separated duties (三员分立):
/// one runs the system, one grants roles and scopes, one reads the audit trail; none can do another's job.
/// </summary>
public static class Roles
{
    public const string SystemAdmin = nameof(SystemAdmin);
    public const string SecurityAdmin = nameof(SecurityAdmin);
    public const string AuditAdmin = nameof(AuditAdmin);
    public const string StreetLeader = nameof(StreetLeader);
    public const string Dispatcher = nameof(Dispatcher);
    public const string CommunityWorker = nameof(CommunityWorker);
    public const string GridWorker = nameof(GridWorker);
    public const string DepartmentHandler = nameof(DepartmentHandler);
    public const string PartnerUnitHandler = nameof(PartnerUnitHandler);

    public static IReadOnlyList<string> All { get; } =
    [
        SystemAdmin, SecurityAdmin, AuditAdmin, StreetLeader, Dispatcher,
        CommunityWorker, GridWorker, DepartmentHandler, PartnerUnitHandler,
    ];

    /// <summary>The three duties may not be combined in one account.</summary>
    public static IReadOnlyList<string> SeparatedDuties { get; } = [SystemAdmin, SecurityAdmin, AuditAdmin];

    public static string DisplayName(string role) => role switch
    {
        SystemAdmin => "系统管理员",
        SecurityAdmin => "安全管理员",
        AuditAdmin => "审计管理员",
        StreetLeader => "街道领导",
        Dispatcher => "指挥中心派单员",
        CommunityWorker => "社区工作者",
        GridWorker => "网格员",
        DepartmentHandler => "职能科室办理人",
        PartnerUnitHandler => "共建单位办理人",
        _ => role,
    };
}
