using System.Globalization;
using Community360.Common;
using Community360.Data;
using Community360.Identity;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace Community360.Geography;

/// <summary>小区/院落 inside the caller's subtree.</summary>
public sealed class CompoundHandlers(AppDbContext db)
{
    private const string What = "小区/院落";

    public async Task<PageResult<CompoundDto>> ListAsync(Caller caller, CompoundQuery query, CancellationToken ct)
    {
        var (page, pageSize) = Paging.Normalize(query.Page, query.PageSize);
        var compounds = db.Compounds.AsNoTracking().InScopeOf(caller);
        if (!query.IncludeRetired)
        {
            compounds = compounds.Where(c => !c.IsRetired);
        }
        if (query.GridId is { } gridId)
        {
            compounds = compounds.Where(c => c.GridId == gridId);
        }
        if (query.CommunityId is { } communityId)
        {
            compounds = compounds.Where(c => c.Grid!.CommunityId == communityId);
        }
        if (Paging.ContainsPattern(query.Search) is { } pattern)
        {
            compounds = compounds.Where(c => EF.Functions.Like(c.Name, pattern, Paging.LikeEscape) || EF.Functions.Like(c.Address!, pattern, Paging.LikeEscape));
        }
        var (items, total) = await compounds
            .Select(c => new { Compound = c, GridCode = c.Grid!.Code, GridName = c.Grid!.Name })
            .OrderBy(x => x.GridCode).ThenBy(x => x.Compound.Name)
            .PageAsync(page, pageSize, ct);
        return new PageResult<CompoundDto>(items.ConvertAll(x => ToDto(x.Compound, x.GridName)), total, page, pageSize);
    }

    public async Task<CompoundDto> GetAsync(Caller caller, Guid id, CancellationToken ct)
    {
        var compound = await db.Compounds.AsNoTracking().Include(c => c.Grid).FindInScopeAsync(caller, id, What, ct);
        return ToDto(compound, compound.Grid!.Name);
    }

    public async Task<CompoundDto> CreateAsync(Caller caller, CompoundInput input, CancellationToken ct)
    {
        caller.Demand(Permission.ManageOrganization);
        var errors = new FieldErrors();
        Grid? grid = null;
        if (input.GridId is null)
        {
            errors.Add("gridId", "请选择所属网格。");
        }
        else
        {
            grid = await db.Grids.InScopeOf(caller).FirstOrDefaultAsync(g => g.Id == input.GridId && !g.IsRetired, ct);
            if (grid is null)
            {
                errors.Add("gridId", "所属网格不存在、已撤销或不在您的管辖范围内。");
            }
        }
        var fields = Validate(errors, grid, input);
        errors.ThrowIfAny();
        await EnsureNameIsFreeAsync(grid!.Id, fields.Name, null, ct);

        var compound = new Compound { GridId = grid.Id, Name = fields.Name };
        fields.ApplyTo(compound);
        compound.PlaceUnder(grid);
        db.Compounds.Add(compound);
        await db.SaveChangesAsync(ct);
        return ToDto(compound, grid.Name);
    }

    public async Task<CompoundDto> UpdateAsync(Caller caller, Guid id, CompoundInput input, CancellationToken ct)
    {
        caller.Demand(Permission.ManageOrganization);
        var compound = await db.Compounds.Include(c => c.Grid).FindInScopeAsync(caller, id, What, ct);
        var errors = new FieldErrors();
        if (input.GridId is { } gridId && gridId != compound.GridId)
        {
            errors.Add("gridId", "小区/院落的所属网格创建后不能修改。");
        }
        var fields = Validate(errors, compound.Grid, input);
        errors.ThrowIfAny();
        db.ExpectVersion(compound, input.Version, What);
        await EnsureNameIsFreeAsync(compound.GridId, fields.Name, compound.Id, ct);

        compound.Name = fields.Name;
        fields.ApplyTo(compound);
        await db.SaveChangesAsync(ct);
        return ToDto(compound, compound.Grid!.Name);
    }

    public async Task<CompoundDto> RetireAsync(Caller caller, Guid id, Guid? version, CancellationToken ct)
    {
        caller.Demand(Permission.ManageOrganization);
        var compound = await db.Compounds.Include(c => c.Grid).FindInScopeAsync(caller, id, What, ct);
        db.ExpectVersion(compound, version, What);
        if (!compound.IsRetired)
        {
            var buildings = await db.Buildings.CountAsync(b => b.CompoundId == id && !b.IsRetired, ct);
            if (buildings > 0)
            {
                throw new ConflictException(string.Create(CultureInfo.InvariantCulture,
                    $"“{compound.Name}”下还有 {buildings} 栋楼，请先撤销楼栋。"));
            }
            compound.IsRetired = true;
            compound.RetiredAt = db.Clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
        }
        return ToDto(compound, compound.Grid!.Name);
    }

    private static CompoundDto ToDto(Compound c, string gridName) => new(
        c.Id, c.GridId, gridName, c.Name, c.Kind, Compound.KindName(c.Kind), c.Address, c.Longitude, c.Latitude,
        c.PropertyCompany, c.IsRetired, c.Version);

    private async Task EnsureNameIsFreeAsync(Guid gridId, string name, Guid? exceptId, CancellationToken ct)
    {
        if (await db.Compounds.AnyAsync(c => c.GridId == gridId && c.Name == name && c.Id != exceptId, ct))
        {
            throw new ConflictException($"本网格内已有名为“{name}”的小区/院落。");
        }
    }

    private static ValidCompound Validate(FieldErrors errors, Grid? grid, CompoundInput input)
    {
        var name = errors.Text("name", "小区/院落名称", input.Name, InputRules.NameMax);
        var kind = input.Kind is null ? CompoundKind.Commercial : errors.Enum("kind", "小区类型", input.Kind);
        var address = errors.OptionalText("address", "地址", input.Address, InputRules.AddressMax);
        var company = errors.OptionalText("propertyCompany", "物业公司", input.PropertyCompany, InputRules.NameMax);
        if (input.Longitude is null != input.Latitude is null)
        {
            errors.Add(input.Longitude is null ? "longitude" : "latitude", "经度和纬度需同时填写。");
        }
        else if (input.Longitude is { } lon && input.Latitude is { } lat)
        {
            if (lon is < -180 or > 180 || lat is < -90 or > 90)
            {
                errors.Add("longitude", "经纬度超出有效范围。");
            }
            else if (grid is not null && !grid.Boundary.Covers(new Point(lon, lat) { SRID = grid.Boundary.SRID }))
            {
                errors.Add("longitude", $"所选位置不在网格“{grid.Name}”范围内。");
            }
        }
        return new ValidCompound(name, kind, address, input.Longitude, input.Latitude, company);
    }

    private sealed record ValidCompound(string Name, CompoundKind Kind, string? Address, double? Longitude, double? Latitude, string? PropertyCompany)
    {
        public void ApplyTo(Compound compound)
        {
            compound.Kind = Kind;
            compound.Address = Address;
            compound.Longitude = Longitude;
            compound.Latitude = Latitude;
            compound.PropertyCompany = PropertyCompany;
        }
    }
}
