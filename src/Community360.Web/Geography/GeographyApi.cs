using Community360.Common;
using Community360.Geography;
using Community360.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Community360.Web.Geography;

/// <summary>/api/grids, /api/compounds, /api/buildings, boundary import and the point-in-grid lookup.</summary>
public static class GeographyApi
{
    /// <summary>A whole street's boundaries fit comfortably; anything larger is not a boundary file.</summary>
    public const long MaxImportBytes = 20 * 1024 * 1024;

    public static IEndpointRouteBuilder MapGeographyApi(this IEndpointRouteBuilder app)
    {
        var grids = app.MapGroup("/api/grids").WithTags("网格").RequireAuthorization();
        grids.MapGet("/", ListGrids).WithName("ListGrids").WithSummary("网格列表");
        grids.MapGet("/{id:guid}", GetGrid).WithName("GetGrid").WithSummary("网格详情（含边界 GeoJSON 和各条线负责人）").ProducesProblem(404);
        grids.MapGet("/locate", Locate).WithName("LocateGrid").WithSummary("按经纬度查询所在网格")
            .WithDescription("lon/lat 为 WGS84 经纬度；不在任何网格内时返回 404。").ProducesValidationProblem().ProducesProblem(404);
        grids.MapPost("/", CreateGrid).WithName("CreateGrid").WithSummary("新建网格")
            .WithDescription("边界须为有效的 GeoJSON 面，位于所属社区范围内且不与其他网格重叠；编码为 15 位数字，前 12 位为社区编码。")
            .RequireAuthorization(nameof(Permission.ManageOrganization)).ProducesValidationProblem().ProducesProblem(409);
        grids.MapPut("/{id:guid}", UpdateGrid).WithName("UpdateGrid").WithSummary("修改网格")
            .RequireAuthorization(nameof(Permission.ManageOrganization)).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);
        grids.MapPost("/{id:guid}/retire", RetireGrid).WithName("RetireGrid").WithSummary("撤销网格")
            .RequireAuthorization(nameof(Permission.ManageOrganization)).ProducesProblem(404).ProducesProblem(409);
        grids.MapPost("/import", Import).WithName("ImportBoundaries").WithSummary("导入社区和网格边界（GeoJSON）")
            .WithDescription("请求体为 WGS84 的 GeoJSON FeatureCollection；要素属性 kind（community/grid）、code、name、type。有任何错误时整份文件不导入，并逐条列出出错的要素。")
            .RequireAuthorization(nameof(Permission.ManageOrganization))
            .Accepts<object>("application/geo+json", "application/json")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxImportBytes))
            .ProducesValidationProblem().ProducesProblem(404);

        var compounds = app.MapGroup("/api/compounds").WithTags("小区院落").RequireAuthorization();
        compounds.MapGet("/", ListCompounds).WithName("ListCompounds").WithSummary("小区/院落列表");
        compounds.MapGet("/{id:guid}", GetCompound).WithName("GetCompound").WithSummary("小区/院落详情").ProducesProblem(404);
        compounds.MapPost("/", CreateCompound).WithName("CreateCompound").WithSummary("新建小区/院落")
            .RequireAuthorization(nameof(Permission.ManageOrganization)).ProducesValidationProblem().ProducesProblem(409);
        compounds.MapPut("/{id:guid}", UpdateCompound).WithName("UpdateCompound").WithSummary("修改小区/院落")
            .RequireAuthorization(nameof(Permission.ManageOrganization)).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);
        compounds.MapPost("/{id:guid}/retire", RetireCompound).WithName("RetireCompound").WithSummary("撤销小区/院落")
            .RequireAuthorization(nameof(Permission.ManageOrganization)).ProducesProblem(404).ProducesProblem(409);

        var buildings = app.MapGroup("/api/buildings").WithTags("楼栋").RequireAuthorization();
        buildings.MapGet("/", ListBuildings).WithName("ListBuildings").WithSummary("楼栋列表");
        buildings.MapGet("/{id:guid}", GetBuilding).WithName("GetBuilding").WithSummary("楼栋详情").ProducesProblem(404);
        buildings.MapPost("/", CreateBuilding).WithName("CreateBuilding").WithSummary("新建楼栋")
            .RequireAuthorization(nameof(Permission.ManageOrganization)).ProducesValidationProblem().ProducesProblem(409);
        buildings.MapPut("/{id:guid}", UpdateBuilding).WithName("UpdateBuilding").WithSummary("修改楼栋")
            .RequireAuthorization(nameof(Permission.ManageOrganization)).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);
        buildings.MapPost("/{id:guid}/retire", RetireBuilding).WithName("RetireBuilding").WithSummary("撤销楼栋")
            .RequireAuthorization(nameof(Permission.ManageOrganization)).ProducesProblem(404).ProducesProblem(409);
        return app;
    }

    public static async Task<Ok<PageResult<GridSummaryDto>>> ListGrids([AsParameters] GridQuery query, Caller caller, GridHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.ListAsync(caller, query, ct));

    public static async Task<Ok<GridDto>> GetGrid(Guid id, Caller caller, GridHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.GetAsync(caller, id, ct));

    public static async Task<Ok<LocateResult>> Locate(double? lon, double? lat, Caller caller, GridHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.LocateAsync(caller, lon, lat, ct));

    public static async Task<Created<GridDto>> CreateGrid(GridInput input, Caller caller, GridHandlers handlers, CancellationToken ct)
    {
        var grid = await handlers.CreateAsync(caller, input, ct);
        return TypedResults.Created($"/api/grids/{grid.Id}", grid);
    }

    public static async Task<Ok<GridDto>> UpdateGrid(Guid id, GridInput input, Caller caller, GridHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.UpdateAsync(caller, id, input, ct));

    public static async Task<Ok<GridDto>> RetireGrid(Guid id, VersionInput input, Caller caller, GridHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.RetireAsync(caller, id, input.Version, ct));

    public static async Task<Ok<GeoJsonImportResult>> Import(Guid? streetId, HttpRequest request, Caller caller, GeoJsonImporter importer, CancellationToken ct)
    {
        if (streetId is null)
        {
            throw ValidationException.For("streetId", "请指定要导入边界的街道（streetId）。");
        }
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(ct);
        return TypedResults.Ok(await importer.ImportAsync(caller, streetId.Value, body, ct));
    }

    public static async Task<Ok<PageResult<CompoundDto>>> ListCompounds([AsParameters] CompoundQuery query, Caller caller, CompoundHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.ListAsync(caller, query, ct));

    public static async Task<Ok<CompoundDto>> GetCompound(Guid id, Caller caller, CompoundHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.GetAsync(caller, id, ct));

    public static async Task<Created<CompoundDto>> CreateCompound(CompoundInput input, Caller caller, CompoundHandlers handlers, CancellationToken ct)
    {
        var compound = await handlers.CreateAsync(caller, input, ct);
        return TypedResults.Created($"/api/compounds/{compound.Id}", compound);
    }

    public static async Task<Ok<CompoundDto>> UpdateCompound(Guid id, CompoundInput input, Caller caller, CompoundHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.UpdateAsync(caller, id, input, ct));

    public static async Task<Ok<CompoundDto>> RetireCompound(Guid id, VersionInput input, Caller caller, CompoundHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.RetireAsync(caller, id, input.Version, ct));

    public static async Task<Ok<PageResult<BuildingDto>>> ListBuildings([AsParameters] BuildingQuery query, Caller caller, BuildingHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.ListAsync(caller, query, ct));

    public static async Task<Ok<BuildingDto>> GetBuilding(Guid id, Caller caller, BuildingHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.GetAsync(caller, id, ct));

    public static async Task<Created<BuildingDto>> CreateBuilding(BuildingInput input, Caller caller, BuildingHandlers handlers, CancellationToken ct)
    {
        var building = await handlers.CreateAsync(caller, input, ct);
        return TypedResults.Created($"/api/buildings/{building.Id}", building);
    }

    public static async Task<Ok<BuildingDto>> UpdateBuilding(Guid id, BuildingInput input, Caller caller, BuildingHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.UpdateAsync(caller, id, input, ct));

    public static async Task<Ok<BuildingDto>> RetireBuilding(Guid id, VersionInput input, Caller caller, BuildingHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.RetireAsync(caller, id, input.Version, ct));
}
