using System.Globalization;
using Community360.Auditing;
using Community360.Calendar;
using Community360.Common;
using Community360.Data;
using Community360.Identity;
using Community360.Organization;
using Microsoft.EntityFrameworkCore;

namespace Community360.Cases;

public sealed record CaseCategoryQuery(string? Search = null);

public sealed record TimeLimitDto(int Value, TimeLimitUnit Unit, string DisplayName)
{
    public static TimeLimitDto From(TimeLimit limit) => new(limit.Value, limit.Unit, limit.DisplayName);
}

public sealed record CategoryTimeLimitDto(CaseUrgency Urgency, string UrgencyName, TimeLimitDto Response, TimeLimitDto Completion, TimeLimitDto Callback);

/// <summary>
/// A category as its administrator sees it. <see cref="TimeLimits"/> are the category's own rows; an empty list on a
/// subcategory means it uses its parent's (see <see cref="TimeLimitLookup"/>).
/// </summary>
public sealed record CaseCategoryAdminDto(
    Guid Id, string Code, string Name, Guid? ParentId, string? ParentName, WorkLine? WorkLine, string? WorkLineName,
    Guid? DefaultUnitId, string? DefaultUnitName, int SortOrder, IReadOnlyList<CategoryTimeLimitDto> TimeLimits, Guid Version);

public sealed record TimeLimitInput(int? Value, TimeLimitUnit? Unit);

public sealed record CategoryTimeLimitInput(CaseUrgency? Urgency, TimeLimitInput? Response, TimeLimitInput? Completion, TimeLimitInput? Callback);

/// <summary>
/// The routing and time-limit settings of one category; code, name and place in the tree are not edited here.
/// <see cref="DefaultUnitId"/> null means "the community where the case is". An empty <see cref="TimeLimits"/> on a
/// subcategory makes it use its parent's limits.
/// </summary>
public sealed record CaseCategoryInput(WorkLine? WorkLine, Guid? DefaultUnitId, IReadOnlyList<CategoryTimeLimitInput?>? TimeLimits, Guid? Version);

/// <summary>Lists the case category tree for administration and changes a category's work line, default unit and limits.</summary>
public sealed class CaseCategoryHandlers(AppDbContext db)
{
    private const string What = "事项分类";
    public const string UpdatedAction = "case_category.updated";

    public async Task<IReadOnlyList<CaseCategoryAdminDto>> ListAsync(Caller caller, CaseCategoryQuery query, CancellationToken ct)
    {
        caller.Demand(Permission.ManageOrganization);
        var all = await db.CaseCategories.AsNoTracking().Where(c => !c.IsRetired).OrderBy(c => c.Code).ToListAsync(ct);
        var search = query.Search?.Trim();
        if (!string.IsNullOrEmpty(search))
        {
            // A match on a subcategory keeps its parent, and a match on a parent keeps its children: the tree stays readable.
            var matched = all.Where(c => c.Name.Contains(search, StringComparison.OrdinalIgnoreCase) || c.Code.Contains(search, StringComparison.OrdinalIgnoreCase))
                .Select(c => c.Id).ToHashSet();
            var keep = new HashSet<Guid>(matched);
            foreach (var category in all)
            {
                if (matched.Contains(category.Id) && category.ParentId is { } parentId)
                {
                    keep.Add(parentId);
                }
                if (category.ParentId is { } parent && matched.Contains(parent))
                {
                    keep.Add(category.Id);
                }
            }
            all = all.Where(c => keep.Contains(c.Id)).ToList();
        }
        var names = await UnitNamesAsync(all.Select(c => c.DefaultUnitId), ct);
        var parents = await db.CaseCategories.AsNoTracking().Where(c => c.ParentId == null).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        return all.ConvertAll(c => ToDto(c, c.ParentId is { } p ? parents.GetValueOrDefault(p) : null, names));
    }

    public async Task<CaseCategoryAdminDto> UpdateAsync(Caller caller, Guid id, CaseCategoryInput input, CancellationToken ct)
    {
        caller.Demand(Permission.ManageOrganization);
        var category = await db.CaseCategories.Include(c => c.Parent).FirstOrDefaultAsync(c => c.Id == id && !c.IsRetired, ct)
            ?? throw new NotFoundException(What);
        var errors = new FieldErrors();
        if (input.WorkLine is { } line && !Enum.IsDefined(line))
        {
            errors.Add("workLine", "条线的取值无效。");
        }
        if (input.DefaultUnitId is { } unitId)
        {
            var unit = await db.OrgUnits.AsNoTracking().InScopeOf(caller).FirstOrDefaultAsync(u => u.Id == unitId && !u.IsRetired, ct);
            if (unit is null)
            {
                errors.Add("defaultUnitId", "默认承办单位不存在、已撤销或不在您的管辖范围内。");
            }
            else if (unit.Kind is not (OrgUnitKind.Street or OrgUnitKind.Department or OrgUnitKind.PartnerUnit))
            {
                errors.Add("defaultUnitId", $"默认承办单位应为街道、职能科室或共建单位；{OrgUnit.DisplayName(unit.Kind)}请选择“由所在社区办理”。");
            }
        }
        var limits = ValidateLimits(errors, category.ParentId is null, input.TimeLimits);
        errors.ThrowIfAny();
        db.ExpectVersion(category, input.Version, What);

        var before = Describe(category);
        category.WorkLine = input.WorkLine;
        category.DefaultUnitId = input.DefaultUnitId;
        category.TimeLimits.Clear();
        category.TimeLimits.AddRange(limits);
        // The owned JSON rows alone would not bump the token; a category edit must make other open forms stale.
        category.Version = Guid.NewGuid();
        db.Audit(new AuditFact(UpdatedAction, nameof(CaseCategory), id.ToString(), new { category.Code, category.Name, from = before, to = Describe(category) }));
        await db.SaveChangesAsync(ct);

        var names = await UnitNamesAsync([category.DefaultUnitId], ct);
        return ToDto(category, category.Parent?.Name, names);
    }

    private static List<CategoryTimeLimit> ValidateLimits(FieldErrors errors, bool isTopLevel, IReadOnlyList<CategoryTimeLimitInput?>? inputs)
    {
        var limits = new List<CategoryTimeLimit>();
        if (inputs is null || inputs.Count == 0)
        {
            if (isTopLevel)
            {
                errors.Add("timeLimits", "一级分类必须设置“一般”紧急程度的时限。");
            }
            return limits;
        }
        if (inputs.Count > Enum.GetValues<CaseUrgency>().Length)
        {
            errors.Add("timeLimits", "每个紧急程度只能设置一组时限。");
            return limits;
        }
        var seen = new HashSet<CaseUrgency>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var field = string.Create(CultureInfo.InvariantCulture, $"timeLimits[{i}]");
            if (inputs[i] is not { } input)
            {
                errors.Add(field, "该条时限为空。");
                continue;
            }
            var urgency = errors.Enum($"{field}.urgency", "紧急程度", input.Urgency);
            if (input.Urgency is not null && Enum.IsDefined(urgency) && !seen.Add(urgency))
            {
                errors.Add($"{field}.urgency", $"紧急程度“{CaseNames.Of(urgency)}”重复，每个紧急程度只能设置一组时限。");
            }
            var label = input.Urgency is not null && Enum.IsDefined(urgency) ? CaseNames.Of(urgency) : null;
            var response = TimeLimit.Read(errors, $"{field}.response", $"{label}响应时限", input.Response?.Value, input.Response?.Unit);
            var completion = TimeLimit.Read(errors, $"{field}.completion", $"{label}办结时限", input.Completion?.Value, input.Completion?.Unit);
            var callback = TimeLimit.Read(errors, $"{field}.callback", $"{label}回访时限", input.Callback?.Value, input.Callback?.Unit);
            limits.Add(CategoryTimeLimit.Of(urgency, response, completion, callback));
        }
        if (isTopLevel && !seen.Contains(CaseUrgency.Normal))
        {
            errors.Add("timeLimits", "一级分类必须设置“一般”紧急程度的时限。");
        }
        limits.Sort((a, b) => a.Urgency.CompareTo(b.Urgency));
        return limits;
    }

    private static object Describe(CaseCategory category) => new
    {
        workLine = category.WorkLine?.ToString(),
        category.DefaultUnitId,
        timeLimits = category.TimeLimits.OrderBy(l => l.Urgency)
            .Select(l => new { urgency = l.Urgency.ToString(), response = l.Response.DisplayName, completion = l.Completion.DisplayName, callback = l.Callback.DisplayName })
            .ToList(),
    };

    private async Task<Dictionary<Guid, string>> UnitNamesAsync(IEnumerable<Guid?> ids, CancellationToken ct)
    {
        var wanted = ids.OfType<Guid>().Distinct().ToList();
        return wanted.Count == 0
            ? []
            : await db.OrgUnits.AsNoTracking().Where(o => wanted.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
    }

    private static CaseCategoryAdminDto ToDto(CaseCategory c, string? parentName, Dictionary<Guid, string> unitNames) => new(
        c.Id, c.Code, c.Name, c.ParentId, parentName, c.WorkLine, c.WorkLine is { } line ? WorkLines.DisplayName(line) : null,
        c.DefaultUnitId, c.DefaultUnitId is { } unit ? unitNames.GetValueOrDefault(unit) : null, c.SortOrder,
        c.TimeLimits.OrderBy(l => l.Urgency)
            .Select(l => new CategoryTimeLimitDto(l.Urgency, CaseNames.Of(l.Urgency), TimeLimitDto.From(l.Response), TimeLimitDto.From(l.Completion), TimeLimitDto.From(l.Callback)))
            .ToList(),
        c.Version);
}
