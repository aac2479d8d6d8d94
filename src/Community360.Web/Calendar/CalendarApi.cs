using Community360.Calendar;
using Community360.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Community360.Web.Calendar;

/// <summary>/api/calendar: the working calendar (holidays, adjusted workdays, office hours) that time limits count on.</summary>
public static class CalendarApi
{
    public static RouteGroupBuilder MapCalendarApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/calendar").WithTags("工作日历").RequireAuthorization();
        api.MapGet("/{year:int}", Get).WithName("GetCalendarYear").WithSummary("某年的工作日历：办公时间、节假日和调休上班日")
            .ProducesValidationProblem();
        api.MapPut("/{year:int}", Replace).WithName("ReplaceCalendarYear").WithSummary("整年替换工作日历（需提交读取时的 version）")
            .RequireAuthorization(nameof(Permission.ManageOrganization))
            .WithDescription("提交全年的办公时间和全部节假日、调休上班日（未列出的日期按普通周一至周五上班、周六周日休息）。调休上班日须为周六或周日；年份 2000–2100。")
            .ProducesValidationProblem().ProducesProblem(409);
        return api;
    }

    public static async Task<Ok<CalendarYearDto>> Get(int year, Caller caller, CalendarHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.GetYearAsync(caller, year, ct));

    public static async Task<Ok<CalendarYearDto>> Replace(int year, CalendarYearInput input, Caller caller, CalendarHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.ReplaceYearAsync(caller, year, input, ct));
}
