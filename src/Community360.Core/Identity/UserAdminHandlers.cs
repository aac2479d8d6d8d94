using Community360.Auditing;
using Community360.Common;
using Community360.Data;
using Community360.Organization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Community360.Identity;

/// <summary>
/// Accounts, roles and data scopes. SystemAdmin creates, disables and resets accounts; SecurityAdmin grants roles,
/// scopes and unlocks; nobody may hold two of the three separated duties, nor change their own grants.
/// </summary>
public sealed partial class UserAdminHandlers(AppDbContext db, UserManager<AppUser> userManager)
{
    private const string What = "账号";

    public async Task<PageResult<UserDto>> ListAsync(Caller caller, UserQuery query, CancellationToken ct)
    {
        DemandAdministrator(caller);
        var (page, pageSize) = Paging.Normalize(query.Page, query.PageSize);
        var users = VisibleUsers(caller);
        if (Paging.ContainsPattern(query.Search) is { } pattern)
        {
            users = users.Where(u => EF.Functions.Like(u.UserName!, pattern, Paging.LikeEscape) || EF.Functions.Like(u.DisplayName, pattern, Paging.LikeEscape));
        }
        if (query.UnitId is { } unitId)
        {
            users = users.Where(u => u.UnitId == unitId);
        }
        if (!string.IsNullOrWhiteSpace(query.Role))
        {
            var roleId = await db.Roles.Where(r => r.Name == query.Role).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(ct);
            users = users.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == roleId));
        }
        var (items, total) = await users.OrderBy(u => u.UserName).PageAsync(page, pageSize, ct);
        return new PageResult<UserDto>(await ToDtosAsync(items, ct), total, page, pageSize);
    }

    public async Task<UserDto> GetAsync(Caller caller, Guid id, CancellationToken ct)
    {
        DemandAdministrator(caller);
        var user = await VisibleUsers(caller).FirstOrDefaultAsync(u => u.Id == id, ct) ?? throw new NotFoundException(What);
        return (await ToDtosAsync([user], ct))[0];
    }

    public static IReadOnlyList<RoleDto> ListRoles(Caller caller)
    {
        DemandAdministrator(caller);
        return Roles.All.Select(r => new RoleDto(r, Roles.DisplayName(r))).ToList();
    }

    public async Task<UserWithPassword> CreateAsync(Caller caller, CreateUserInput input, CancellationToken ct)
    {
        caller.Demand(Permission.ManageAccounts);
        var errors = new FieldErrors();
        var userName = errors.Text("userName", "用户名", input.UserName, 50);
        errors.Pattern("userName", "用户名只能包含字母、数字和 . _ - @，长度 3 到 50 位。", userName, UserNamePattern());
        if (userName.Length is > 0 and < 3)
        {
            errors.Add("userName", "用户名至少 3 个字符。");
        }
        var displayName = errors.Text("displayName", "姓名", input.DisplayName, InputRules.ShortNameMax);
        var phone = errors.OptionalText("phoneNumber", "手机号码", input.PhoneNumber, InputRules.PhoneMax);
        errors.PhoneNumber("phoneNumber", phone);
        OrgUnit? unit = null;
        if (input.UnitId is null)
        {
            errors.Add("unitId", "请选择所属单位。");
        }
        else
        {
            unit = await db.OrgUnits.InScopeOf(caller).FirstOrDefaultAsync(u => u.Id == input.UnitId && !u.IsRetired, ct);
            if (unit is null)
            {
                errors.Add("unitId", "所属单位不存在、已撤销或不在您的管辖范围内。");
            }
        }
        errors.ThrowIfAny();
        if (await db.Users.AnyAsync(u => u.NormalizedUserName == userManager.NormalizeName(userName), ct))
        {
            throw new ConflictException($"用户名“{userName}”已被使用。");
        }

        var generated = string.IsNullOrEmpty(input.Password) ? PasswordGenerator.Generate() : null;
        var user = new AppUser
        {
            UserName = userName,
            DisplayName = displayName,
            PhoneNumber = phone,
            UnitId = unit!.Id,
            ScopeNodeId = unit.Id,
            ScopePath = unit.ScopePath,
            LockoutEnabled = true,
            MustChangePassword = true,
        };
        var result = await userManager.CreateAsync(user, generated ?? input.Password!);
        ThrowIfFailed(result, "password");
        return new UserWithPassword((await ToDtosAsync([user], ct))[0], generated);
    }

    public async Task<UserDto> SetRolesAsync(Caller caller, Guid id, UserRolesInput input, CancellationToken ct)
    {
        caller.Demand(Permission.GrantAccess);
        if (id == caller.UserId)
        {
            throw new ForbiddenException("不能修改自己的角色，请由另一名安全管理员操作。");
        }
        var user = await LoadForChangeAsync(caller, id, input.Version, ct);
        var wanted = (input.Roles ?? []).Distinct(StringComparer.Ordinal).ToList();
        var unknown = wanted.Where(r => !Roles.All.Contains(r)).ToList();
        if (unknown.Count > 0)
        {
            throw ValidationException.For("roles", $"未知的角色：{string.Join("、", unknown)}。");
        }
        var duties = wanted.Intersect(Roles.SeparatedDuties).ToList();
        if (duties.Count > 1)
        {
            throw ValidationException.For("roles",
                $"系统管理员、安全管理员、审计管理员三员分立，不能由同一账号兼任（当前选择：{string.Join("、", duties.Select(Roles.DisplayName))}）。");
        }

        var roleIds = await db.Roles.ToDictionaryAsync(r => r.Name!, r => r.Id, StringComparer.Ordinal, ct);
        var current = await db.UserRoles.Where(ur => ur.UserId == id).ToListAsync(ct);
        var before = current.Select(ur => roleIds.First(kv => kv.Value == ur.RoleId).Key).Order(StringComparer.Ordinal).ToList();
        db.UserRoles.RemoveRange(current.Where(ur => !wanted.Any(w => roleIds[w] == ur.RoleId)));
        foreach (var role in wanted.Where(w => !current.Any(ur => ur.RoleId == roleIds[w])))
        {
            db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = id, RoleId = roleIds[role] });
        }
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        user.Version = Guid.NewGuid();
        db.Audit(new AuditFact(AuditActions.RolesChanged, nameof(AppUser), id.ToString(),
            new { user.UserName, from = before, to = wanted.Order(StringComparer.Ordinal).ToList() }));
        await db.SaveChangesAsync(ct);
        return (await ToDtosAsync([user], ct))[0];
    }

    public async Task<UserDto> SetScopeAsync(Caller caller, Guid id, UserScopeInput input, CancellationToken ct)
    {
        caller.Demand(Permission.GrantAccess);
        if (id == caller.UserId)
        {
            throw new ForbiddenException("不能修改自己的数据范围，请由另一名安全管理员操作。");
        }
        var user = await LoadForChangeAsync(caller, id, input.Version, ct);
        if (input.ScopeNodeId is not { } nodeId)
        {
            throw ValidationException.For("scopeNodeId", "请选择数据范围（一个单位或网格）。");
        }
        var node = await ScopeNodes.FindAsync(db, caller, nodeId, ct)
            ?? throw ValidationException.For("scopeNodeId", "所选数据范围不存在或不在您的管辖范围内。");
        var before = user.ScopePath;
        user.ScopeNodeId = node.Id;
        user.ScopePath = node.ScopePath;
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        db.Audit(new AuditFact(AuditActions.ScopeChanged, nameof(AppUser), id.ToString(),
            new { user.UserName, from = before, to = node.ScopePath, scopeName = node.Name }));
        await db.SaveChangesAsync(ct);
        return (await ToDtosAsync([user], ct))[0];
    }

    public async Task<UserDto> UnlockAsync(Caller caller, Guid id, VersionInput input, CancellationToken ct)
    {
        caller.Demand(Permission.GrantAccess);
        var user = await LoadForChangeAsync(caller, id, input.Version, ct);
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        await db.SaveChangesAsync(ct);
        return (await ToDtosAsync([user], ct))[0];
    }

    public async Task<UserDto> SetDisabledAsync(Caller caller, Guid id, bool disabled, VersionInput input, CancellationToken ct)
    {
        caller.Demand(Permission.ManageAccounts);
        if (id == caller.UserId && disabled)
        {
            throw new ForbiddenException("不能停用自己的账号。");
        }
        var user = await LoadForChangeAsync(caller, id, input.Version, ct);
        await RefuseForSeparatedDutyAsync(user, ct);
        user.IsDisabled = disabled;
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        await db.SaveChangesAsync(ct);
        return (await ToDtosAsync([user], ct))[0];
    }

    public async Task<UserWithPassword> ResetPasswordAsync(Caller caller, Guid id, VersionInput input, CancellationToken ct)
    {
        caller.Demand(Permission.ManageAccounts);
        var user = await LoadForChangeAsync(caller, id, input.Version, ct);
        await RefuseForSeparatedDutyAsync(user, ct);
        var password = PasswordGenerator.Generate();
        user.PasswordHash = userManager.PasswordHasher.HashPassword(user, password);
        user.MustChangePassword = true;
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        db.Audit(new AuditFact(AuditActions.PasswordReset, nameof(AppUser), id.ToString(), new { user.UserName }));
        await db.SaveChangesAsync(ct);
        return new UserWithPassword((await ToDtosAsync([user], ct))[0], password);
    }

    private static void DemandAdministrator(Caller caller)
    {
        if (!caller.Has(Permission.ManageAccounts) && !caller.Has(Permission.GrantAccess))
        {
            throw new ForbiddenException("只有系统管理员和安全管理员可以查看账号。");
        }
    }

    /// <summary>
    /// An account holding one of the three duties is never reset, disabled or enabled by another administrator:
    /// whoever could do that could take the duty over. Its owner changes the password; a forgotten one is reset on
    /// the server with the reset-password command.
    /// </summary>
    private async Task RefuseForSeparatedDutyAsync(AppUser user, CancellationToken ct)
    {
        var duties = await db.UserRoles.Where(ur => ur.UserId == user.Id)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .Where(name => Roles.SeparatedDuties.Contains(name))
            .ToListAsync(ct);
        if (duties.Count > 0)
        {
            throw new ForbiddenException(
                $"“{user.UserName}”是{string.Join("、", duties.Select(Roles.DisplayName))}账号（三员之一），其密码和启用状态只能由本人修改；忘记密码请由运维人员在服务器上执行 reset-password 命令。");
        }
    }

    private IQueryable<AppUser> VisibleUsers(Caller caller) => db.Users.InScopeOf(caller);

    private async Task<AppUser> LoadForChangeAsync(Caller caller, Guid id, Guid? version, CancellationToken ct)
    {
        var user = await VisibleUsers(caller).FirstOrDefaultAsync(u => u.Id == id, ct) ?? throw new NotFoundException(What);
        db.ExpectVersion(user, version, What);
        return user;
    }

    private async Task<List<UserDto>> ToDtosAsync(IReadOnlyList<AppUser> users, CancellationToken ct)
    {
        var ids = users.Select(u => u.Id).ToList();
        var roles = await db.UserRoles.Where(ur => ids.Contains(ur.UserId))
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .ToListAsync(ct);
        var nodeIds = users.SelectMany(u => new[] { u.UnitId, u.ScopeNodeId }).Distinct().ToList();
        var names = await db.OrgUnits.Where(o => nodeIds.Contains(o.Id)).Select(o => new { o.Id, o.Name })
            .Concat(db.Grids.Where(g => nodeIds.Contains(g.Id)).Select(g => new { g.Id, g.Name }))
            .ToDictionaryAsync(x => x.Id, x => x.Name, ct);
        // Identity (.NET 10) judges lockout by the system clock, so ask it rather than compare with ours.
        var lockedOut = new HashSet<Guid>();
        foreach (var user in users)
        {
            if (await userManager.IsLockedOutAsync(user))
            {
                lockedOut.Add(user.Id);
            }
        }
        return users.Select(u =>
        {
            var userRoles = roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order(StringComparer.Ordinal).ToList();
            return new UserDto(u.Id, u.UserName!, u.DisplayName, u.UnitId, names.GetValueOrDefault(u.UnitId, "（已删除）"),
                u.ScopeNodeId, names.GetValueOrDefault(u.ScopeNodeId, "（已删除）"), userRoles, userRoles.ConvertAll(Roles.DisplayName),
                Masking.Phone(u.PhoneNumber), u.IsDisabled, lockedOut.Contains(u.Id), u.LockoutEnd?.UtcDateTime, u.LastSignInAt, u.Version);
        }).ToList();
    }

    private static void ThrowIfFailed(IdentityResult result, string field)
    {
        if (!result.Succeeded)
        {
            var byField = result.Errors
                .GroupBy(e => e.Code.StartsWith("Password", StringComparison.Ordinal) ? field
                    : e.Code.Contains("UserName", StringComparison.Ordinal) ? "userName" : "account")
                .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray(), StringComparer.Ordinal);
            throw new ValidationException(byField);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z0-9._\-@]+$")]
    private static partial System.Text.RegularExpressions.Regex UserNamePattern();
}

public static class ScopeNodes
{
    /// <summary>The org unit or grid with this id, if the caller's own scope contains it.</summary>
    public static async Task<ScopeNode?> FindAsync(AppDbContext db, Caller caller, Guid id, CancellationToken ct) =>
        await db.OrgUnits.InScopeOf(caller).Where(o => o.Id == id && !o.IsRetired).Select(o => new ScopeNode(o.Id, o.Name, o.ScopePath)).FirstOrDefaultAsync(ct)
        ?? await db.Grids.InScopeOf(caller).Where(g => g.Id == id && !g.IsRetired).Select(g => new ScopeNode(g.Id, g.Name, g.ScopePath)).FirstOrDefaultAsync(ct);
}
