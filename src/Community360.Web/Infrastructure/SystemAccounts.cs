using Community360.Common;
using Community360.Identity;
using Community360.Seeding;
using Microsoft.AspNetCore.Identity;

namespace Community360.Web.Infrastructure;

/// <summary>
/// On a first start without demo data: the three separated-duty accounts, scoped to the whole tree, each with a
/// generated password. They create the org tree and the real accounts.
/// </summary>
internal static class SystemAccounts
{
    public static async Task<IReadOnlyList<SeededLogin>> CreateAsync(IServiceProvider services, Func<string, string> passwordFor, CancellationToken ct)
    {
        var userManager = services.GetRequiredService<UserManager<AppUser>>();
        var created = new List<SeededLogin>();
        foreach (var (userName, displayName, role) in new[]
        {
            ("sysadmin", "系统管理员", Roles.SystemAdmin),
            ("secadmin", "安全管理员", Roles.SecurityAdmin),
            ("auditadmin", "审计管理员", Roles.AuditAdmin),
        })
        {
            ct.ThrowIfCancellationRequested();
            var password = passwordFor(userName);
            var user = new AppUser { UserName = userName, DisplayName = displayName, UnitId = Guid.Empty, ScopeNodeId = Guid.Empty, ScopePath = ScopePaths.Root };
            var result = await userManager.CreateAsync(user, password);
            if (result.Succeeded)
            {
                result = await userManager.AddToRoleAsync(user, role);
            }
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Could not create {userName}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
            }
            created.Add(new SeededLogin(userName, displayName, role, "全部", password));
        }
        return created;
    }
}
