using Community360.Common;
using Community360.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Community360.Web.Identity;

/// <summary>/api/users: accounts (SystemAdmin), roles, data scopes and unlocking (SecurityAdmin).</summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/users").WithTags("账号与权限").RequireAuthorization();
        api.MapGet("/", List).WithName("ListUsers").WithSummary("账号列表（系统管理员、安全管理员）").ProducesProblem(403);
        api.MapGet("/roles", ListRoles).WithName("ListRoles").WithSummary("角色列表").ProducesProblem(403);
        api.MapGet("/{id:guid}", Get).WithName("GetUser").WithSummary("账号详情").ProducesProblem(403).ProducesProblem(404);
        api.MapPost("/", Create).WithName("CreateUser").WithSummary("新建账号（不填密码时生成一次性显示的初始密码）")
            .RequireAuthorization(nameof(Permission.ManageAccounts)).ProducesValidationProblem().ProducesProblem(409);
        api.MapPut("/{id:guid}/roles", SetRoles).WithName("SetUserRoles").WithSummary("分配角色（三员分立，不能兼任）")
            .RequireAuthorization(nameof(Permission.GrantAccess)).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);
        api.MapPut("/{id:guid}/scope", SetScope).WithName("SetUserScope").WithSummary("设置数据范围（一个单位或网格及其下级）")
            .RequireAuthorization(nameof(Permission.GrantAccess)).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);
        api.MapPost("/{id:guid}/unlock", Unlock).WithName("UnlockUser").WithSummary("解除锁定")
            .RequireAuthorization(nameof(Permission.GrantAccess)).ProducesProblem(404).ProducesProblem(409);
        api.MapPost("/{id:guid}/disable", Disable).WithName("DisableUser").WithSummary("停用账号")
            .RequireAuthorization(nameof(Permission.ManageAccounts)).ProducesProblem(404).ProducesProblem(409);
        api.MapPost("/{id:guid}/enable", Enable).WithName("EnableUser").WithSummary("启用账号")
            .RequireAuthorization(nameof(Permission.ManageAccounts)).ProducesProblem(404).ProducesProblem(409);
        api.MapPost("/{id:guid}/reset-password", ResetPassword).WithName("ResetUserPassword").WithSummary("重置密码（新密码只显示一次）")
            .RequireAuthorization(nameof(Permission.ManageAccounts)).ProducesProblem(404).ProducesProblem(409);
        return api;
    }

    public static async Task<Ok<PageResult<UserDto>>> List([AsParameters] UserQuery query, Caller caller, UserAdminHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.ListAsync(caller, query, ct));

    public static Ok<IReadOnlyList<RoleDto>> ListRoles(Caller caller) =>
        TypedResults.Ok(UserAdminHandlers.ListRoles(caller));

    public static async Task<Ok<UserDto>> Get(Guid id, Caller caller, UserAdminHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.GetAsync(caller, id, ct));

    public static async Task<Created<UserWithPassword>> Create(CreateUserInput input, Caller caller, UserAdminHandlers handlers, CancellationToken ct)
    {
        var created = await handlers.CreateAsync(caller, input, ct);
        return TypedResults.Created($"/api/users/{created.User.Id}", created);
    }

    public static async Task<Ok<UserDto>> SetRoles(Guid id, UserRolesInput input, Caller caller, UserAdminHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.SetRolesAsync(caller, id, input, ct));

    public static async Task<Ok<UserDto>> SetScope(Guid id, UserScopeInput input, Caller caller, UserAdminHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.SetScopeAsync(caller, id, input, ct));

    public static async Task<Ok<UserDto>> Unlock(Guid id, VersionInput input, Caller caller, UserAdminHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.UnlockAsync(caller, id, input, ct));

    public static async Task<Ok<UserDto>> Disable(Guid id, VersionInput input, Caller caller, UserAdminHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.SetDisabledAsync(caller, id, disabled: true, input, ct));

    public static async Task<Ok<UserDto>> Enable(Guid id, VersionInput input, Caller caller, UserAdminHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.SetDisabledAsync(caller, id, disabled: false, input, ct));

    public static async Task<Ok<UserWithPassword>> ResetPassword(Guid id, VersionInput input, Caller caller, UserAdminHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.ResetPasswordAsync(caller, id, input, ct));
}
