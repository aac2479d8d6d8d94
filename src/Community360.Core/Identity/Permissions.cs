using Community360.Common;

namespace Community360.Identity;

public enum Permission
{
    ManageOrganization = 1,
    ManageAccounts = 2,
    GrantAccess = 3,
    ReadAudit = 4,
}

/// <summary>One table from permission to roles; the API's policies and the handlers' checks both read it.</summary>
public static class Permissions
{
    private static readonly Dictionary<Permission, string[]> RolesByPermission = new()
    {
        [Permission.ManageOrganization] = [Roles.SystemAdmin],
        [Permission.ManageAccounts] = [Roles.SystemAdmin],
        [Permission.GrantAccess] = [Roles.SecurityAdmin],
        [Permission.ReadAudit] = [Roles.AuditAdmin],
    };

    public static IReadOnlyList<string> RolesFor(Permission permission) => RolesByPermission[permission];

    public static bool Has(this Caller caller, Permission permission) =>
        caller == Caller.System || RolesByPermission[permission].Any(caller.IsInRole);

    public static void Demand(this Caller caller, Permission permission)
    {
        if (!caller.Has(permission))
        {
            throw new ForbiddenException(permission switch
            {
                Permission.ManageOrganization => "只有系统管理员可以维护组织机构和网格。",
                Permission.ManageAccounts => "只有系统管理员可以管理账号。",
                Permission.GrantAccess => "只有安全管理员可以分配角色和数据范围。",
                Permission.ReadAudit => "只有审计管理员可以查看审计日志。",
            });
        }
    }
}
