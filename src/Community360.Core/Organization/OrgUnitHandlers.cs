using System.Globalization;
using Community360.Common;
using Community360.Data;
using Community360.Identity;
using Microsoft.EntityFrameworkCore;

namespace Community360.Organization;

/// <summary>Lists, reads, creates, updates and retires org units inside the caller's subtree.</summary>
public sealed class OrgUnitHandlers(AppDbContext db)
{
    private const string What = "组织机构";

    public async Task<PageResult<OrgUnitDto>> ListAsync(Caller caller, OrgUnitQuery query, CancellationToken ct)
    {
        var (page, pageSize) = Paging.Normalize(query.Page, query.PageSize);
        var units = db.OrgUnits.AsNoTracking().InScopeOf(caller);
        if (!query.IncludeRetired)
        {
            units = units.Where(u => !u.IsRetired);
        }
        if (query.Kind is { } kind)
        {
            units = units.Where(u => u.Kind == kind);
        }
        if (query.ParentId is { } parentId)
        {
            units = units.Where(u => u.ParentId == parentId);
        }
        if (Paging.ContainsPattern(query.Search) is { } pattern)
        {
            units = units.Where(u => EF.Functions.Like(u.Name, pattern, Paging.LikeEscape) || EF.Functions.Like(u.Code, pattern, Paging.LikeEscape));
        }
        // Codes nest (district 6 digits, street 9, community 12), so ordering by code lists the tree top-down.
        var (items, total) = await units.OrderBy(u => u.Code).ThenBy(u => u.SortOrder).PageAsync(page, pageSize, ct);
        return new PageResult<OrgUnitDto>(items.ConvertAll(OrgUnitDto.From), total, page, pageSize);
    }

    public async Task<OrgUnitDto> GetAsync(Caller caller, Guid id, CancellationToken ct) =>
        OrgUnitDto.From(await db.OrgUnits.AsNoTracking().FindInScopeAsync(caller, id, What, ct));

    public async Task<OrgUnitDto> CreateAsync(Caller caller, OrgUnitInput input, CancellationToken ct)
    {
        caller.Demand(Permission.ManageOrganization);
        var errors = new FieldErrors();
        var kind = errors.Enum("kind", "单位类型", input.Kind);
        OrgUnit? parent = null;
        if (input.ParentId is { } parentId)
        {
            parent = await db.OrgUnits.InScopeOf(caller).FirstOrDefaultAsync(u => u.Id == parentId && !u.IsRetired, ct);
            if (parent is null)
            {
                errors.Add("parentId", "上级单位不存在、已撤销或不在您的管辖范围内。");
            }
        }
        else if (caller.ScopePath != ScopePaths.Root)
        {
            errors.Add("parentId", "请选择上级单位。");
        }
        if (errors.IsEmpty && !OrgUnit.MayBeChildOf(kind, parent?.Kind))
        {
            errors.Add("parentId", parent is null
                ? $"{OrgUnit.DisplayName(kind)}必须有上级单位。"
                : $"{OrgUnit.DisplayName(kind)}不能设在{OrgUnit.DisplayName(parent.Kind)}之下。");
        }
        var fields = ValidateFields(errors, kind, parent, input);
        errors.ThrowIfAny();
        await EnsureCodeIsFreeAsync(fields.Code, exceptId: null, ct);

        var unit = new OrgUnit { Kind = kind, Name = fields.Name, Code = fields.Code, ParentId = parent?.Id };
        fields.ApplyTo(unit);
        unit.PlaceUnder(parent);
        db.OrgUnits.Add(unit);
        await db.SaveChangesAsync(ct);
        return OrgUnitDto.From(unit);
    }

    public async Task<OrgUnitDto> UpdateAsync(Caller caller, Guid id, OrgUnitInput input, CancellationToken ct)
    {
        caller.Demand(Permission.ManageOrganization);
        var unit = await db.OrgUnits.Include(u => u.Parent).FindInScopeAsync(caller, id, What, ct);
        input = input with { ContactPhone = Masking.KeepIfMasked(input.ContactPhone, unit.ContactPhone) };
        var errors = new FieldErrors();
        if (input.Kind is { } kind && kind != unit.Kind)
        {
            errors.Add("kind", "单位类型创建后不能修改；如需调整，请撤销后重新创建。");
        }
        if (input.ParentId is { } parentId && parentId != unit.ParentId)
        {
            errors.Add("parentId", "上级单位创建后不能修改。");
        }
        var fields = ValidateFields(errors, unit.Kind, unit.Parent, input);
        errors.ThrowIfAny();
        db.ExpectVersion(unit, input.Version, What);
        await EnsureCodeIsFreeAsync(fields.Code, exceptId: unit.Id, ct);
        if (fields.Code != unit.Code && await HasDependantsAsync(unit.Id, ct))
        {
            // Children's codes start with this one (a grid's first 12 digits are its community's code).
            throw new ConflictException($"“{unit.Name}”下已有下级单位或网格，其编码以 {unit.Code} 开头，不能修改本单位编码。");
        }

        unit.Name = fields.Name;
        unit.Code = fields.Code;
        fields.ApplyTo(unit);
        await db.SaveChangesAsync(ct);
        return OrgUnitDto.From(unit);
    }

    public async Task<OrgUnitDto> RetireAsync(Caller caller, Guid id, Guid? version, CancellationToken ct)
    {
        caller.Demand(Permission.ManageOrganization);
        var unit = await db.OrgUnits.FindInScopeAsync(caller, id, What, ct);
        db.ExpectVersion(unit, version, What);
        if (unit.IsRetired)
        {
            return OrgUnitDto.From(unit);
        }
        var children = await db.OrgUnits.CountAsync(u => u.ParentId == id && !u.IsRetired, ct);
        var grids = await db.Grids.CountAsync(g => g.CommunityId == id && !g.IsRetired, ct);
        var staff = await db.Users.CountAsync(u => u.UnitId == id && !u.IsDisabled, ct);
        if (children + grids + staff > 0)
        {
            throw new ConflictException(string.Create(CultureInfo.InvariantCulture,
                $"“{unit.Name}”下还有 {children} 个下级单位、{grids} 个网格、{staff} 个在用账号，请先撤销或调整后再撤销本单位。"));
        }
        unit.IsRetired = true;
        unit.RetiredAt = db.Clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return OrgUnitDto.From(unit);
    }

    private async Task<bool> HasDependantsAsync(Guid id, CancellationToken ct) =>
        await db.OrgUnits.AnyAsync(u => u.ParentId == id, ct) || await db.Grids.AnyAsync(g => g.CommunityId == id, ct);

    private async Task EnsureCodeIsFreeAsync(string code, Guid? exceptId, CancellationToken ct)
    {
        if (await db.OrgUnits.AnyAsync(u => u.Code == code && u.Id != exceptId, ct))
        {
            throw new ConflictException($"单位编码 {code} 已被占用，请换一个编码。");
        }
    }

    private static ValidFields ValidateFields(FieldErrors errors, OrgUnitKind kind, OrgUnit? parent, OrgUnitInput input)
    {
        var name = errors.Text("name", "单位名称", input.Name, InputRules.NameMax);
        var code = errors.Text("code", "单位编码", input.Code, 32);
        if (code.Length > 0)
        {
            var expectedDigits = kind switch
            {
                OrgUnitKind.District => 6,
                OrgUnitKind.Street => 9,
                OrgUnitKind.Community => 12,
                OrgUnitKind.Department or OrgUnitKind.PartnerUnit => 0,
            };
            if (expectedDigits > 0)
            {
                if (code.Length != expectedDigits || !InputRules.Digits().IsMatch(code))
                {
                    errors.Add("code", string.Create(CultureInfo.InvariantCulture, $"{OrgUnit.DisplayName(kind)}编码应为 {expectedDigits} 位数字。"));
                }
                else if (parent is { Kind: OrgUnitKind.District or OrgUnitKind.Street } && !code.StartsWith(parent.Code, StringComparison.Ordinal))
                {
                    errors.Add("code", $"{OrgUnit.DisplayName(kind)}编码应以上级单位编码 {parent.Code} 开头。");
                }
            }
            else
            {
                errors.Pattern("code", "编码只能包含字母、数字和“-”，长度 2 到 32 位。", code, InputRules.UnitCode());
            }
        }
        if (input.WorkLine is { } line && !Enum.IsDefined(line))
        {
            errors.Add("workLine", "条线的取值无效。");
        }
        var contactPerson = errors.OptionalText("contactPerson", "联系人", input.ContactPerson, InputRules.ShortNameMax);
        var contactPhone = errors.OptionalText("contactPhone", "联系电话", input.ContactPhone, InputRules.PhoneMax);
        errors.PhoneNumber("contactPhone", contactPhone);
        var address = errors.OptionalText("address", "地址", input.Address, InputRules.AddressMax);
        errors.Range("sortOrder", "排序号", input.SortOrder, 0, 9999);
        return new ValidFields(name, code, input.WorkLine, contactPerson, contactPhone, address, input.SortOrder ?? 0);
    }

    private sealed record ValidFields(
        string Name, string Code, WorkLine? WorkLine, string? ContactPerson, string? ContactPhone, string? Address, int SortOrder)
    {
        public void ApplyTo(OrgUnit unit)
        {
            unit.WorkLine = WorkLine;
            unit.ContactPerson = ContactPerson;
            unit.ContactPhone = ContactPhone;
            unit.Address = Address;
            unit.SortOrder = SortOrder;
        }
    }
}
