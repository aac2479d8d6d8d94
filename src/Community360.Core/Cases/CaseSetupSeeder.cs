using Community360.Calendar;
using Community360.Cases.Seeding;
using Community360.Data;
using Microsoft.EntityFrameworkCore;

namespace Community360.Cases;

/// <summary>Per-type step settings and the category tree with its default units and time limits; safe at every start.</summary>
public sealed class CaseSetupSeeder(AppDbContext db)
{
    public async Task SeedAsync(CancellationToken ct)
    {
        var existingTypes = await db.CaseTypeConfigs.Select(c => c.Type).ToListAsync(ct);
        db.CaseTypeConfigs.AddRange(CaseTypeConfig.Defaults().Where(c => !existingTypes.Contains(c.Type)));
        if (!await db.CaseCategories.AnyAsync(ct))
        {
            var units = await db.OrgUnits.Where(o => !o.IsRetired).ToDictionaryAsync(o => o.Code, o => o.Id, StringComparer.Ordinal, ct);
            var byCode = new Dictionary<string, CaseCategory>(StringComparer.Ordinal);
            var order = 0;
            foreach (var seed in CategoryCatalog.All.OrderBy(s => s.ParentCode is null ? 0 : 1).ThenBy(s => s.Code, StringComparer.Ordinal))
            {
                var category = new CaseCategory
                {
                    Code = seed.Code,
                    Name = seed.Name,
                    ParentId = seed.ParentCode is null ? null : byCode[seed.ParentCode].Id,
                    WorkLine = seed.WorkLine,
                    DefaultUnitId = seed.DefaultUnitCode is { } code && units.TryGetValue(code, out var unitId) ? unitId : null,
                    SortOrder = order++,
                    TimeLimits = LimitsOf(seed),
                };
                byCode[seed.Code] = category;
                db.CaseCategories.Add(category);
            }
        }
        await Reports.MetricsHandlers.SeedAsync(db, ct);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Normal limits as catalogued; urgent ones count natural hours, as 接诉即办 does for urgent matters.</summary>
    private static List<CategoryTimeLimit> LimitsOf(CategorySeed seed)
    {
        var normal = CategoryTimeLimit.Of(CaseUrgency.Normal, Limit(seed.Response), Limit(seed.Completion), Limit(seed.Callback));
        var urgentCompletion = seed.UrgentCompletion is { } urgent ? Limit(urgent) : TimeLimit.NaturalHours(24);
        return
        [
            normal,
            CategoryTimeLimit.Of(CaseUrgency.Urgent, TimeLimit.NaturalHours(2), urgentCompletion, Limit(seed.Callback)),
            CategoryTimeLimit.Of(CaseUrgency.VeryUrgent, TimeLimit.NaturalHours(1),
                new TimeLimit(Math.Max(1, urgentCompletion.Value / 2), urgentCompletion.Unit), Limit(seed.Callback)),
        ];
    }

    private static TimeLimit Limit(LimitSeed seed) => new(seed.Value, Enum.Parse<TimeLimitUnit>(seed.Unit));
}
