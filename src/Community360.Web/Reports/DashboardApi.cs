using Community360.Identity;
using Community360.Reports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Community360.Web.Reports;

/// <summary>/api/dashboard: the numbers of the staff console's first page, each with the case list it counts.</summary>
public static class DashboardApi
{
    public static RouteGroupBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/dashboard").WithTags("统计").RequireAuthorization();
        api.MapGet("/", Get).WithName("Dashboard").WithSummary("工作台统计：今日与本月受理、派单、办结、超期，三率，趋势，社区与分类分布，反复不满意")
            .WithDescription("from、to 为北京时间日期（含两端），默认本月。每个数字附带 query（工单列表的查询条件），用 GET /api/cases?{queryString} 可列出恰好这些工单。")
            .ProducesValidationProblem();
        return api;
    }

    public static async Task<Ok<DashboardDto>> Get(DateOnly? from, DateOnly? to, Caller caller, DashboardHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.DashboardAsync(caller, new DashboardQuery(from, to), ct));
}
