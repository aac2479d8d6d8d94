using Community360.Common;
using Community360.Identity;
using Community360.Organization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Community360.Web.Organization;

/// <summary>/api/org-units: the org tree (district, street, community, department, partner unit) and the work lines.</summary>
public static class OrgUnitsApi
{
    public static RouteGroupBuilder MapOrgUnitsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/org-units").WithTags("组织机构").RequireAuthorization();
        api.MapGet("/", List).WithName("ListOrgUnits").WithSummary("组织机构列表（仅限本人数据范围）");
        api.MapGet("/{id:guid}", Get).WithName("GetOrgUnit").WithSummary("组织机构详情").ProducesProblem(404);
        api.MapPost("/", Create).WithName("CreateOrgUnit").WithSummary("新建组织机构")
            .RequireAuthorization(nameof(Permission.ManageOrganization))
            .WithDescription("编码规则：区 6 位、街道 9 位、社区 12 位数字，且以上级编码开头；科室和共建单位为 2–32 位字母数字。")
            .ProducesValidationProblem().ProducesProblem(409);
        api.MapPut("/{id:guid}", Update).WithName("UpdateOrgUnit").WithSummary("修改组织机构（需提交读取时的 version）")
            .RequireAuthorization(nameof(Permission.ManageOrganization))
            .ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);
        api.MapPost("/{id:guid}/retire", Retire).WithName("RetireOrgUnit").WithSummary("撤销组织机构（下级单位、网格和账号须先处理）")
            .RequireAuthorization(nameof(Permission.ManageOrganization))
            .ProducesProblem(404).ProducesProblem(409);

        app.MapGet("/api/work-lines", WorkLineList).WithTags("组织机构").RequireAuthorization()
            .WithName("ListWorkLines").WithSummary("一网六线：六条工作线");
        return api;
    }

    public static async Task<Ok<PageResult<OrgUnitDto>>> List([AsParameters] OrgUnitQuery query, Caller caller, OrgUnitHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.ListAsync(caller, query, ct));

    public static async Task<Ok<OrgUnitDto>> Get(Guid id, Caller caller, OrgUnitHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.GetAsync(caller, id, ct));

    public static async Task<Created<OrgUnitDto>> Create(OrgUnitInput input, Caller caller, OrgUnitHandlers handlers, CancellationToken ct)
    {
        var unit = await handlers.CreateAsync(caller, input, ct);
        return TypedResults.Created($"/api/org-units/{unit.Id}", unit);
    }

    public static async Task<Ok<OrgUnitDto>> Update(Guid id, OrgUnitInput input, Caller caller, OrgUnitHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.UpdateAsync(caller, id, input, ct));

    public static async Task<Ok<OrgUnitDto>> Retire(Guid id, VersionInput input, Caller caller, OrgUnitHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.RetireAsync(caller, id, input.Version, ct));

    public static Ok<IReadOnlyList<WorkLineDto>> WorkLineList() =>
        TypedResults.Ok<IReadOnlyList<WorkLineDto>>(WorkLines.All.Select(l => new WorkLineDto(l, WorkLines.DisplayName(l))).ToList());
}

public sealed record WorkLineDto(WorkLine Value, string Name);
