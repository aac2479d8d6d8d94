using System.Globalization;
using Community360.Common;
using Community360.Data;
using Community360.Identity;
using Community360.Organization;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace Community360.Geography;

/// <summary>Grids inside the caller's subtree: list, read, create, update, retire, and "which grid is here".</summary>
public sealed class GridHandlers(AppDbContext db, GridLocator locator)
{
    private const string What = "网格";

    public async Task<PageResult<GridSummaryDto>> ListAsync(Caller caller, GridQuery query, CancellationToken ct)
    {
        var (page, pageSize) = Paging.Normalize(query.Page, query.PageSize);
        var grids = db.Grids.AsNoTracking().InScopeOf(caller);
        if (!query.IncludeRetired)
        {
            grids = grids.Where(g => !g.IsRetired);
        }
        if (query.CommunityId is { } communityId)
        {
            grids = grids.Where(g => g.CommunityId == communityId);
        }
        if (query.Type is { } type)
        {
            grids = grids.Where(g => g.Type == type);
        }
        if (Paging.ContainsPattern(query.Search) is { } pattern)
        {
            grids = grids.Where(g => EF.Functions.Like(g.Name, pattern, Paging.LikeEscape) || EF.Functions.Like(g.Code, pattern, Paging.LikeEscape));
        }
        var (items, total) = await grids
            .OrderBy(g => g.Code)
            .Select(g => new GridSummaryDto(g.Id, g.CommunityId, g.Community!.Name, g.Code, g.Name, g.Type, Grid.GridTypeName(g.Type),
                Math.Round(g.AreaSquareMeters, 1), g.IsRetired, g.Version))
            .PageAsync(page, pageSize, ct);
        return new PageResult<GridSummaryDto>(items, total, page, pageSize);
    }

    public async Task<GridDto> GetAsync(Caller caller, Guid id, CancellationToken ct)
    {
        var grid = await db.Grids.AsNoTracking().Include(g => g.Community).FindInScopeAsync(caller, id, What, ct);
        return GridDto.From(grid, grid.Community!.Name);
    }

    public async Task<LocateResult> LocateAsync(Caller caller, double? longitude, double? latitude, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (longitude is not (>= -180 and <= 180))
        {
            errors.Add("lon", "请提供有效的经度（-180 到 180）。");
        }
        if (latitude is not (>= -90 and <= 90))
        {
            errors.Add("lat", "请提供有效的纬度（-90 到 90）。");
        }
        errors.ThrowIfAny();
        await locator.EnsureLoadedAsync(db, ct);
        var hit = locator.Locate(longitude!.Value, latitude!.Value);
        var grid = hit is null
            ? null
            : await db.Grids.AsNoTracking().InScopeOf(caller).Where(g => g.Id == hit.GridId)
                .Select(g => new LocateResult(g.Id, g.Code, g.Name, g.CommunityId, g.Community!.Name))
                .FirstOrDefaultAsync(ct);
        return grid ?? throw new NotFoundException("该位置所在的网格");
    }

    public async Task<GridDto> CreateAsync(Caller caller, GridInput input, CancellationToken ct)
    {
        caller.Demand(Permission.ManageOrganization);
        var errors = new FieldErrors();
        OrgUnit? community = null;
        if (input.CommunityId is null)
        {
            errors.Add("communityId", "请选择所属社区。");
        }
        else
        {
            community = await db.OrgUnits.InScopeOf(caller)
                .FirstOrDefaultAsync(u => u.Id == input.CommunityId && u.Kind == OrgUnitKind.Community && !u.IsRetired, ct);
            if (community is null)
            {
                errors.Add("communityId", "所属社区不存在、已撤销或不在您的管辖范围内。");
            }
        }
        var fields = await ValidateAsync(caller, errors, community, input, existing: null, ct);
        errors.ThrowIfAny();
        await EnsureCodeIsFreeAsync(fields.Code, null, ct);

        var grid = new Grid { CommunityId = community!.Id, Code = fields.Code, Name = fields.Name, Boundary = fields.Boundary };
        fields.ApplyTo(grid);
        grid.PlaceUnder(community);
        db.Grids.Add(grid);
        await db.SaveChangesAsync(ct);
        locator.Invalidate();
        return GridDto.From(grid, community.Name);
    }

    public async Task<GridDto> UpdateAsync(Caller caller, Guid id, GridInput input, CancellationToken ct)
    {
        caller.Demand(Permission.ManageOrganization);
        var grid = await db.Grids.Include(g => g.Community).FindInScopeAsync(caller, id, What, ct);
        var errors = new FieldErrors();
        if (input.CommunityId is { } communityId && communityId != grid.CommunityId)
        {
            errors.Add("communityId", "网格的所属社区创建后不能修改；请在新社区下新建网格。");
        }
        input = KeepMaskedPhones(grid, input);
        var fields = await ValidateAsync(caller, errors, grid.Community, input, grid, ct);
        errors.ThrowIfAny();
        db.ExpectVersion(grid, input.Version, What);
        await EnsureCodeIsFreeAsync(fields.Code, grid.Id, ct);

        grid.Code = fields.Code;
        grid.Name = fields.Name;
        grid.Boundary = fields.Boundary;
        fields.ApplyTo(grid);
        await db.SaveChangesAsync(ct);
        locator.Invalidate();
        return GridDto.From(grid, grid.Community!.Name);
    }

    public async Task<GridDto> RetireAsync(Caller caller, Guid id, Guid? version, CancellationToken ct)
    {
        caller.Demand(Permission.ManageOrganization);
        var grid = await db.Grids.Include(g => g.Community).FindInScopeAsync(caller, id, What, ct);
        db.ExpectVersion(grid, version, What);
        if (!grid.IsRetired)
        {
            var compounds = await db.Compounds.CountAsync(c => c.GridId == id && !c.IsRetired, ct);
            if (compounds > 0)
            {
                throw new ConflictException(string.Create(CultureInfo.InvariantCulture,
                    $"网格“{grid.Name}”下还有 {compounds} 个小区/院落，请先将其撤销或划入其他网格。"));
            }
            grid.IsRetired = true;
            grid.RetiredAt = db.Clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
            locator.Invalidate();
        }
        return GridDto.From(grid, grid.Community!.Name);
    }

    private static GridInput KeepMaskedPhones(Grid grid, GridInput input)
    {
        if (input.Responsibilities is null)
        {
            return input;
        }
        var kept = input.Responsibilities.Select(r =>
        {
            var current = grid.Responsibilities.FirstOrDefault(x => x.WorkLine == r.WorkLine);
            return current is null ? r : r with { PersonPhone = Masking.KeepIfMasked(r.PersonPhone, current.PersonPhone) };
        }).ToList();
        return input with { Responsibilities = kept };
    }

    private async Task<ValidGrid> ValidateAsync(Caller caller, FieldErrors errors, OrgUnit? community, GridInput input, Grid? existing, CancellationToken ct)
    {
        var code = errors.Text("code", "网格编码", input.Code, 15);
        if (code.Length > 0)
        {
            if (code.Length != 15 || !InputRules.Digits().IsMatch(code))
            {
                errors.Add("code", "网格编码应为 15 位数字（6 位区划 + 3 位街道 + 3 位社区 + 3 位序号）。");
            }
            else if (community is not null && !code.StartsWith(community.Code, StringComparison.Ordinal))
            {
                errors.Add("code", $"网格编码的前 12 位应为所属社区编码 {community.Code}。");
            }
        }
        var name = errors.Text("name", "网格名称", input.Name, InputRules.NameMax);
        var type = input.Type is null ? existing?.Type ?? GridType.Residential : errors.Enum("type", "网格类型", input.Type);

        Geometry? boundary = null;
        if (input.Boundary is not { } boundaryJson || boundaryJson.ValueKind is System.Text.Json.JsonValueKind.Null or System.Text.Json.JsonValueKind.Undefined)
        {
            errors.Add("boundary", "请提供网格边界（GeoJSON 面）。");
        }
        else if (!GeoJsonGeometry.TryParse(boundaryJson.GetRawText(), out boundary, out var parseError))
        {
            errors.Add("boundary", parseError ?? "网格边界无法解析。");
        }
        else if (community is not null && boundary is not null)
        {
            var communityBoundary = await db.Set<CommunityBoundary>().AsNoTracking()
                .Where(b => b.CommunityId == community.Id).Select(b => b.Boundary).FirstOrDefaultAsync(ct);
            var neighbours = await NeighboursAsync(caller, boundary, existing?.Id, ct);
            foreach (var problem in GridBoundaryRules.Validate(boundary, communityBoundary, neighbours))
            {
                errors.Add("boundary", problem);
            }
        }

        var responsibilities = new List<GridResponsibility>();
        var lines = new HashSet<WorkLine>();
        var inputs = input.Responsibilities ?? (IReadOnlyList<GridResponsibilityInput>?)existing?.Responsibilities
            .Select(r => new GridResponsibilityInput(r.WorkLine, r.PersonName, r.PersonPhone, r.UserId)).ToList() ?? [];
        for (var i = 0; i < inputs.Count; i++)
        {
            var field = string.Create(CultureInfo.InvariantCulture, $"responsibilities[{i}]");
            var line = errors.Enum($"{field}.workLine", "条线", inputs[i].WorkLine);
            if (inputs[i].WorkLine is not null && !lines.Add(line))
            {
                errors.Add($"{field}.workLine", $"条线“{WorkLines.DisplayName(line)}”重复，每条线只能指定一名负责人。");
            }
            var person = errors.Text($"{field}.personName", "负责人姓名", inputs[i].PersonName, InputRules.ShortNameMax);
            var phone = errors.OptionalText($"{field}.personPhone", "负责人电话", inputs[i].PersonPhone, InputRules.PhoneMax);
            errors.PhoneNumber($"{field}.personPhone", phone);
            if (inputs[i].UserId is { } userId && !await db.Users.InScopeOf(caller).AnyAsync(u => u.Id == userId, ct))
            {
                errors.Add($"{field}.userId", "所选账号不存在或不在您的管辖范围内。");
            }
            responsibilities.Add(new GridResponsibility { WorkLine = line, PersonName = person, PersonPhone = phone, UserId = inputs[i].UserId });
        }
        return new ValidGrid(code, name, type, boundary!, responsibilities);
    }

    /// <summary>
    /// Active grids of any street whose envelopes touch the new boundary: the only ones it can overlap. A grid the
    /// caller may not see is not named, so an overlap message cannot be used to map someone else's grids.
    /// </summary>
    private async Task<List<(string Label, Geometry Boundary)>> NeighboursAsync(Caller caller, Geometry boundary, Guid? exceptId, CancellationToken ct)
    {
        var near = await locator.NearAsync(db, boundary.EnvelopeInternal, ct);
        return near
            .Where(g => g.Grid.GridId != exceptId)
            .Select(g => (caller.CanSee(g.Grid.ScopePath) ? $"网格 {g.Grid.GridCode}“{g.Grid.GridName}”" : "其他网格（不在您的管辖范围内）", g.Boundary))
            .ToList();
    }

    private async Task EnsureCodeIsFreeAsync(string code, Guid? exceptId, CancellationToken ct)
    {
        if (await db.Grids.AnyAsync(g => g.Code == code && g.Id != exceptId, ct))
        {
            throw new ConflictException($"网格编码 {code} 已被占用，请换一个编码。");
        }
    }

    private sealed record ValidGrid(string Code, string Name, GridType Type, Geometry Boundary, List<GridResponsibility> Responsibilities)
    {
        public void ApplyTo(Grid grid)
        {
            grid.Type = Type;
            grid.AreaSquareMeters = GeodesicArea.SquareMeters(Boundary);
            grid.SetResponsibilities(Responsibilities);
        }
    }
}
