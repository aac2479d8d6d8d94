using Community360.Common;
using Community360.Data;
using Community360.Identity;
using Microsoft.EntityFrameworkCore;

namespace Community360.Geography;

/// <summary>楼栋 inside the caller's subtree.</summary>
public sealed class BuildingHandlers(AppDbContext db)
{
    private const string What = "楼栋";

    public async Task<PageResult<BuildingDto>> ListAsync(Caller caller, BuildingQuery query, CancellationToken ct)
    {
        var (page, pageSize) = Paging.Normalize(query.Page, query.PageSize);
        var buildings = db.Buildings.AsNoTracking().InScopeOf(caller);
        if (!query.IncludeRetired)
        {
            buildings = buildings.Where(b => !b.IsRetired);
        }
        if (query.CompoundId is { } compoundId)
        {
            buildings = buildings.Where(b => b.CompoundId == compoundId);
        }
        if (Paging.ContainsPattern(query.Search) is { } pattern)
        {
            buildings = buildings.Where(b => EF.Functions.Like(b.Name, pattern, Paging.LikeEscape));
        }
        // Name length first: "2号楼" sorts before "10号楼".
        var (items, total) = await buildings
            .Select(b => new { Building = b, CompoundName = b.Compound!.Name })
            .OrderBy(x => x.CompoundName).ThenBy(x => x.Building.Name.Length).ThenBy(x => x.Building.Name)
            .PageAsync(page, pageSize, ct);
        return new PageResult<BuildingDto>(items.ConvertAll(x => ToDto(x.Building, x.CompoundName)), total, page, pageSize);
    }

    public async Task<BuildingDto> GetAsync(Caller caller, Guid id, CancellationToken ct)
    {
        var building = await db.Buildings.AsNoTracking().Include(b => b.Compound).FindInScopeAsync(caller, id, What, ct);
        return ToDto(building, building.Compound!.Name);
    }

    public async Task<BuildingDto> CreateAsync(Caller caller, BuildingInput input, CancellationToken ct)
    {
        caller.Demand(Permission.ManageOrganization);
        var errors = new FieldErrors();
        Compound? compound = null;
        if (input.CompoundId is null)
        {
            errors.Add("compoundId", "请选择所属小区/院落。");
        }
        else
        {
            compound = await db.Compounds.InScopeOf(caller).FirstOrDefaultAsync(c => c.Id == input.CompoundId && !c.IsRetired, ct);
            if (compound is null)
            {
                errors.Add("compoundId", "所属小区/院落不存在、已撤销或不在您的管辖范围内。");
            }
        }
        var fields = Validate(errors, input);
        errors.ThrowIfAny();
        await EnsureNameIsFreeAsync(compound!.Id, fields.Name, null, ct);

        var building = new Building { CompoundId = compound.Id, Name = fields.Name };
        fields.ApplyTo(building);
        building.PlaceUnder(compound);
        db.Buildings.Add(building);
        await db.SaveChangesAsync(ct);
        return ToDto(building, compound.Name);
    }

    public async Task<BuildingDto> UpdateAsync(Caller caller, Guid id, BuildingInput input, CancellationToken ct)
    {
        caller.Demand(Permission.ManageOrganization);
        var building = await db.Buildings.Include(b => b.Compound).FindInScopeAsync(caller, id, What, ct);
        var errors = new FieldErrors();
        if (input.CompoundId is { } compoundId && compoundId != building.CompoundId)
        {
            errors.Add("compoundId", "楼栋的所属小区创建后不能修改。");
        }
        var fields = Validate(errors, input);
        errors.ThrowIfAny();
        db.ExpectVersion(building, input.Version, What);
        await EnsureNameIsFreeAsync(building.CompoundId, fields.Name, building.Id, ct);

        building.Name = fields.Name;
        fields.ApplyTo(building);
        await db.SaveChangesAsync(ct);
        return ToDto(building, building.Compound!.Name);
    }

    public async Task<BuildingDto> RetireAsync(Caller caller, Guid id, Guid? version, CancellationToken ct)
    {
        caller.Demand(Permission.ManageOrganization);
        var building = await db.Buildings.Include(b => b.Compound).FindInScopeAsync(caller, id, What, ct);
        db.ExpectVersion(building, version, What);
        if (!building.IsRetired)
        {
            building.IsRetired = true;
            building.RetiredAt = db.Clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
        }
        return ToDto(building, building.Compound!.Name);
    }

    private static BuildingDto ToDto(Building b, string compoundName) => new(
        b.Id, b.CompoundId, compoundName, b.Name, b.Floors, b.Entrances, b.Households, b.BuiltYear, b.IsRetired, b.Version);

    private async Task EnsureNameIsFreeAsync(Guid compoundId, string name, Guid? exceptId, CancellationToken ct)
    {
        if (await db.Buildings.AnyAsync(b => b.CompoundId == compoundId && b.Name == name && b.Id != exceptId, ct))
        {
            throw new ConflictException($"本小区内已有“{name}”。");
        }
    }

    private ValidBuilding Validate(FieldErrors errors, BuildingInput input)
    {
        var name = errors.Text("name", "楼栋名称", input.Name, InputRules.ShortNameMax);
        errors.Range("floors", "层数", input.Floors, 1, 200);
        errors.Range("entrances", "单元数", input.Entrances, 0, 100);
        errors.Range("households", "户数", input.Households, 0, 10000);
        errors.Range("builtYear", "建成年份", input.BuiltYear, 1800, db.Clock.GetUtcNow().Year + 1);
        if (input.Floors is null)
        {
            errors.Add("floors", "请填写层数。");
        }
        return new ValidBuilding(name, input.Floors ?? 0, input.Entrances ?? 0, input.Households ?? 0, input.BuiltYear);
    }

    private sealed record ValidBuilding(string Name, int Floors, int Entrances, int Households, int? BuiltYear)
    {
        public void ApplyTo(Building building)
        {
            building.Floors = Floors;
            building.Entrances = Entrances;
            building.Households = Households;
            building.BuiltYear = BuiltYear;
        }
    }
}
