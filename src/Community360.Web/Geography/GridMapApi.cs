using Community360.Geography;
using Community360.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Community360.Web.Geography;

/// <summary>/api/map: what the grid map page draws, within the caller's scope.</summary>
public static class GridMapApi
{
    public static IEndpointRouteBuilder MapGridMapApi(this IEndpointRouteBuilder app)
    {
        var map = app.MapGroup("/api/map").WithTags("网格地图").RequireAuthorization();
        map.MapGet("/areas", Areas).WithName("MapAreas").WithSummary("社区和网格边界（GeoJSON）及未办结、超期工单数和密度")
            .WithDescription("featureCollection 为 WGS84 的 GeoJSON FeatureCollection，要素属性与 areas 中各项相同；社区未设边界时以其网格合并而成（outlineDerived 为 true）；bounds 为全部边界的范围。未办结、超期口径与工单列表相同。");
        map.MapGet("/grids/{id:guid}", GridCard).WithName("MapGridCard").WithSummary("网格卡片：各条线负责人（电话已脱敏）、小区数、未办结工单（最多 20 条，最超期的在前）")
            .ProducesProblem(404);
        map.MapGet("/case-pins", CasePins).WithName("MapCasePins").WithSummary("有坐标的未办结工单点位")
            .WithDescription("overdueOnly 只看超期；communityId 按社区筛选；limit 最多 5000（默认 5000），超出时 truncated 为 true，超期的优先保留。");
        return app;
    }

    public static async Task<Ok<MapAreasDto>> Areas(Caller caller, GridMapHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.AreasAsync(caller, ct));

    public static async Task<Ok<GridCardDto>> GridCard(Guid id, Caller caller, GridMapHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.GridCardAsync(caller, id, ct));

    public static async Task<Ok<CasePinsDto>> CasePins([AsParameters] CasePinQuery query, Caller caller, GridMapHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.CasePinsAsync(caller, query, ct));
}
