using System.Net;
using Community360.Calendar;
using Community360.Cases;
using Community360.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Community360.Tests.Cases;

public sealed record CategoryLimitPartView(int Value, string Unit, string DisplayName);

public sealed record CategoryLimitView(string Urgency, string UrgencyName, CategoryLimitPartView Response, CategoryLimitPartView Completion, CategoryLimitPartView Callback);

public sealed record CategoryAdminView(
    Guid Id, string Code, string Name, Guid? ParentId, string? WorkLine, Guid? DefaultUnitId, string? DefaultUnitName,
    List<CategoryLimitView> TimeLimits, Guid Version);

public abstract class CaseCategoryApiTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : Community360App
{
    [Fact]
    public async Task The_system_admin_sees_the_whole_tree_with_editable_limits_and_can_search_it()
    {
        var admin = await app.ClientForAsync("sysadmin");

        var all = await (await admin.GetAsync("/api/case-categories/admin")).ShouldBeOkAsync<List<CategoryAdminView>>();
        Assert.Equal(20, all.Count(c => c.ParentId is null));
        Assert.Equal(122, all.Count(c => c.ParentId is not null));
        Assert.All(all.Where(c => c.ParentId is null), c => Assert.Contains(c.TimeLimits, l => l.Urgency == "Normal"));

        var sub = all.First(c => c.ParentId is not null);
        var found = await (await admin.GetAsync($"/api/case-categories/admin?search={Uri.EscapeDataString(sub.Name)}")).ShouldBeOkAsync<List<CategoryAdminView>>();
        Assert.Contains(found, c => c.Id == sub.Id);
        Assert.Contains(found, c => c.Id == sub.ParentId);
        Assert.True(found.Count < all.Count);
    }

    [Fact]
    public async Task A_category_edit_is_saved_versioned_audited_and_used_by_the_public_list()
    {
        var admin = await app.ClientForAsync("sysadmin");
        var all = await (await admin.GetAsync("/api/case-categories/admin")).ShouldBeOkAsync<List<CategoryAdminView>>();
        var category = all.First(c => c.ParentId is not null && c.Code.EndsWith("02", StringComparison.Ordinal));
        var unit = all.First(c => c.DefaultUnitId is not null).DefaultUnitId;

        var saved = await (await admin.PutJsonAsync($"/api/case-categories/{category.Id}", new
        {
            workLine = "Emergency",
            defaultUnitId = unit,
            timeLimits = new object[]
            {
                new { urgency = "Normal", response = new { value = 6, unit = "WorkingHours" }, completion = new { value = 3, unit = "WorkingDays" }, callback = new { value = 1, unit = "WorkingDays" } },
                new { urgency = "Urgent", response = new { value = 1, unit = "NaturalHours" }, completion = new { value = 12, unit = "NaturalHours" }, callback = new { value = 1, unit = "WorkingDays" } },
            },
            version = category.Version,
        })).ShouldBeOkAsync<CategoryAdminView>();

        Assert.Equal("Emergency", saved.WorkLine);
        Assert.Equal(unit, saved.DefaultUnitId);
        Assert.NotEqual(category.Version, saved.Version);
        Assert.Equal(["Normal", "Urgent"], saved.TimeLimits.Select(l => l.Urgency));
        Assert.Equal("3 个工作日", saved.TimeLimits[0].Completion.DisplayName);
        await using (var db = app.CreateDbContext())
        {
            var stored = await db.CaseCategories.AsNoTracking().SingleAsync(c => c.Id == category.Id);
            Assert.Equal(2, stored.TimeLimits.Count);
            var normal = stored.TimeLimits.Single(l => l.Urgency == CaseUrgency.Normal);
            Assert.Equal(new TimeLimit(6, TimeLimitUnit.WorkingHours), normal.Response);
            Assert.Equal(new TimeLimit(3, TimeLimitUnit.WorkingDays), normal.Completion);
            Assert.Equal(saved.Version, stored.Version);
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == CaseCategoryHandlers.UpdatedAction && e.EntityId == category.Id.ToString()));
        }
        var publicList = await (await admin.GetAsync("/api/case-categories")).ShouldBeOkAsync<List<System.Text.Json.JsonElement>>();
        var shown = publicList.Single(c => c.GetProperty("id").GetGuid() == category.Id);
        Assert.Equal("3 个工作日", shown.GetProperty("timeLimits")[0].GetProperty("completion").GetString());

        // The form read before the save is now stale.
        var stale = await (await admin.PutJsonAsync($"/api/case-categories/{category.Id}", new { workLine = "Environment", timeLimits = Array.Empty<object>(), version = category.Version }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("已被他人修改", stale.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_limits_are_named_per_field_in_chinese_and_change_nothing()
    {
        var admin = await app.ClientForAsync("sysadmin");
        var all = await (await admin.GetAsync("/api/case-categories/admin")).ShouldBeOkAsync<List<CategoryAdminView>>();
        var top = all.First(c => c.ParentId is null && c.Code.EndsWith('3'));

        var problem = await (await admin.PutJsonAsync($"/api/case-categories/{top.Id}", new
        {
            workLine = "Environment",
            defaultUnitId = Guid.NewGuid(),
            timeLimits = new object[]
            {
                new { urgency = "Urgent", response = new { value = 0, unit = "NaturalHours" }, completion = new { unit = "NaturalHours" }, callback = new { value = 1 } },
                new { urgency = "Urgent", response = new { value = 1, unit = "NaturalHours" }, completion = new { value = 10001, unit = "WorkingDays" }, callback = new { value = 1, unit = "WorkingDays" } },
            },
            version = top.Version,
        })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("1 到 10000", problem.FieldErrors("timeLimits[0].response.value")[0], StringComparison.Ordinal);
        Assert.Contains("请填写", problem.FieldErrors("timeLimits[0].completion.value")[0], StringComparison.Ordinal);
        Assert.Contains("计时方式", problem.FieldErrors("timeLimits[0].callback.unit")[0], StringComparison.Ordinal);
        Assert.Contains("重复", problem.FieldErrors("timeLimits[1].urgency")[0], StringComparison.Ordinal);
        Assert.Contains("10000", problem.FieldErrors("timeLimits[1].completion.value")[0], StringComparison.Ordinal);
        Assert.Contains("一般", problem.FieldErrors("timeLimits")[0], StringComparison.Ordinal);
        Assert.Contains("默认承办单位", problem.FieldErrors("defaultUnitId")[0], StringComparison.Ordinal);

        await using var db = app.CreateDbContext();
        var stored = await db.CaseCategories.AsNoTracking().SingleAsync(c => c.Id == top.Id);
        Assert.Equal(top.Version, stored.Version);
        Assert.Equal(top.TimeLimits.Count, stored.TimeLimits.Count);
        Assert.Equal(top.WorkLine, stored.WorkLine?.ToString());
    }

    [Fact]
    public async Task A_subcategory_may_fall_back_to_its_parents_limits_but_a_top_level_one_may_not()
    {
        var admin = await app.ClientForAsync("sysadmin");
        var all = await (await admin.GetAsync("/api/case-categories/admin")).ShouldBeOkAsync<List<CategoryAdminView>>();
        var top = all.First(c => c.ParentId is null && c.Code.EndsWith('4'));
        var sub = all.First(c => c.ParentId == top.Id);

        var cleared = await (await admin.PutJsonAsync($"/api/case-categories/{sub.Id}", new { workLine = sub.WorkLine, defaultUnitId = sub.DefaultUnitId, timeLimits = Array.Empty<object>(), version = sub.Version }))
            .ShouldBeOkAsync<CategoryAdminView>();
        Assert.Empty(cleared.TimeLimits);
        await using (var db = app.CreateDbContext())
        {
            var stored = await db.CaseCategories.AsNoTracking().Include(c => c.Parent).SingleAsync(c => c.Id == sub.Id);
            var parentNormal = top.TimeLimits.Single(l => l.Urgency == "Normal");
            Assert.Equal(parentNormal.Completion.Value, TimeLimitLookup.For(stored, CaseUrgency.Normal).CompletionValue);
        }

        var refused = await (await admin.PutJsonAsync($"/api/case-categories/{top.Id}", new { workLine = top.WorkLine, timeLimits = Array.Empty<object>(), version = top.Version }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("一级分类", refused.FieldErrors("timeLimits")[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dispatcher")]
    [InlineData("secadmin")]
    [InlineData("auditadmin")]
    public async Task Only_the_system_admin_may_read_or_change_category_settings(string userName)
    {
        var client = await app.ClientForAsync(userName);
        await using var db = app.CreateDbContext();
        var category = await db.CaseCategories.AsNoTracking().OrderBy(c => c.Code).FirstAsync();

        await (await client.GetAsync("/api/case-categories/admin")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await client.PutJsonAsync($"/api/case-categories/{category.Id}", new { workLine = "Agriculture", timeLimits = Array.Empty<object>(), version = category.Version }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        await using var after = app.CreateDbContext();
        Assert.Equal(category.Version, (await after.CaseCategories.AsNoTracking().SingleAsync(c => c.Id == category.Id)).Version);
        Assert.False(await after.AuditEntries.AnyAsync(e => e.Action == CaseCategoryHandlers.UpdatedAction && e.EntityId == category.Id.ToString()));
    }
}

public sealed class CaseCategoryApiTestsOnSqlite(SqliteApp app) : CaseCategoryApiTests<SqliteApp>(app);

public sealed class CaseCategoryApiTestsOnPostgres(PostgresApp app) : CaseCategoryApiTests<PostgresApp>(app);
