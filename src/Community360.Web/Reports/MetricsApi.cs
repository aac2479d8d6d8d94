using Community360.Common;
using Community360.Identity;
using Community360.Reports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Community360.Web.Reports;

/// <summary>/api/metrics: the rates of DESIGN §4 over any range of days, grouped by place, unit, kind or period.</summary>
public static class MetricsApi
{
    public static RouteGroupBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/metrics").WithTags("统计").RequireAuthorization();
        api.MapGet("/", Get).WithName("Metrics").WithSummary("考核指标：响应率、解决率、满意率、按期办结率、返工率、派单准确率、重复诉求率、超期与平均办理时长")
            .WithDescription("from、to 为北京时间日期（含两端），默认本月；by 为分组方式：Total、Street、Community、Grid、HandlingUnit、Category、Type、Channel、Day、Week、Month。"
                + "每个指标给出值、分子与分母，按各日适用的指标口径计算，只统计您管辖范围内的数据。")
            .ProducesValidationProblem();
        return api;
    }

    public static async Task<Ok<MetricReport>> Get(DateOnly? from, DateOnly? to, string? by, Caller caller, MetricsHandlers handlers,
        TimeProvider clock, CancellationToken ct)
    {
        var grouping = MetricGrouping.Total;
        if (!string.IsNullOrWhiteSpace(by) && (!Enum.TryParse(by, ignoreCase: true, out grouping) || !Enum.IsDefined(grouping) || int.TryParse(by, out _)))
        {
            throw ValidationException.For("by", "分组方式应为 Total、Street、Community、Grid、HandlingUnit、Category、Type、Channel、Day、Week 或 Month。");
        }
        var today = DateOnly.FromDateTime(ChinaTime.ToLocal(clock.GetUtcNow().UtcDateTime));
        var start = from ?? (to is { } end ? new DateOnly(end.Year, end.Month, 1) : new DateOnly(today.Year, today.Month, 1));
        return TypedResults.Ok(await handlers.QueryAsync(caller, new MetricQuery(start, to ?? today, grouping), ct));
    }
}
