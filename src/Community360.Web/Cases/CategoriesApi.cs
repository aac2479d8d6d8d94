using Community360.Cases;
using Community360.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Community360.Web.Cases;

/// <summary>/api/case-categories administration: the tree with editable limits, and changing one category.</summary>
public static class CategoriesApi
{
    public static IEndpointRouteBuilder MapCaseCategoriesAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/case-categories").WithTags("工单").RequireAuthorization();
        api.MapGet("/admin", List).WithName("ListCaseCategoriesForAdmin").WithSummary("事项分类维护列表（含各紧急程度时限的数值和计时方式）")
            .WithDescription("search 按名称或编码筛选，命中的子类连同其一级分类、命中的一级分类连同其子类一并返回。仅系统管理员。")
            .RequireAuthorization(nameof(Permission.ManageOrganization)).ProducesProblem(403);
        api.MapPut("/{id:guid}", Update).WithName("UpdateCaseCategory").WithSummary("修改事项分类的条线、默认承办单位和时限（需提交读取时的 version）")
            .WithDescription("defaultUnitId 为空表示由所在社区办理；timeLimits 每个紧急程度一组（响应、办结、回访），一级分类必须含“一般”；子类提交空列表表示沿用一级分类的时限。")
            .RequireAuthorization(nameof(Permission.ManageOrganization))
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        return app;
    }

    public static async Task<Ok<IReadOnlyList<CaseCategoryAdminDto>>> List([AsParameters] CaseCategoryQuery query, Caller caller, CaseCategoryHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.ListAsync(caller, query, ct));

    public static async Task<Ok<CaseCategoryAdminDto>> Update(Guid id, CaseCategoryInput input, Caller caller, CaseCategoryHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.UpdateAsync(caller, id, input, ct));
}
