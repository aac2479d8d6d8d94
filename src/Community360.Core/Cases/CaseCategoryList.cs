using Community360.Organization;
using Microsoft.EntityFrameworkCore;

namespace Community360.Cases;

public sealed partial class CaseHandlers
{
    /// <summary>The two-level category tree in code order, with work lines, default units and time limits (诉求分类).</summary>
    public async Task<IReadOnlyList<CategoryDto>> CategoriesAsync(CancellationToken ct)
    {
        var categories = await db.CaseCategories.AsNoTracking().Where(c => !c.IsRetired).OrderBy(c => c.Code).ToListAsync(ct);
        var unitIds = categories.Select(c => c.DefaultUnitId).OfType<Guid>().Distinct().ToList();
        var units = await db.OrgUnits.Where(o => unitIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        return categories.ConvertAll(c => new CategoryDto(c.Id, c.Code, c.Name, c.ParentId, c.WorkLine,
            c.WorkLine is { } line ? WorkLines.DisplayName(line) : null, c.DefaultUnitId,
            c.DefaultUnitId is { } unit ? units.GetValueOrDefault(unit) : null,
            c.TimeLimits.OrderBy(l => l.Urgency).Select(l => new CategoryLimitDto(l.Urgency, CaseNames.Of(l.Urgency), l.Response.DisplayName, l.Completion.DisplayName, l.Callback.DisplayName)).ToList()));
    }
}
