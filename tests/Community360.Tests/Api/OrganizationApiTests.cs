using System.Net;
using System.Text.Json;
using Community360.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Community360.Tests.Api;

public abstract class OrganizationApiTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : Community360App
{
    [Fact]
    public async Task A_system_admin_creates_updates_and_retires_a_community()
    {
        var admin = await app.ClientForAsync("sysadmin");
        var streetId = await IdOfCodeAsync("110199001");

        var created = await (await admin.PostJsonAsync("/api/org-units", new { kind = "Community", name = "新建社区", code = "110199001050", parentId = streetId, contactPerson = "赵红", contactPhone = "13800138000" }))
            .ShouldBeOkAsync<OrgUnitView>(HttpStatusCode.Created);
        Assert.Equal("138****8000", created.ContactPhone);

        // The masked number sent back unchanged keeps the stored one.
        var renamed = await (await admin.PutJsonAsync($"/api/org-units/{created.Id}", new { name = "新建社区（更名）", code = created.Code, contactPhone = created.ContactPhone, version = created.Version }))
            .ShouldBeOkAsync<OrgUnitView>();
        Assert.Equal("新建社区（更名）", renamed.Name);
        Assert.NotEqual(created.Version, renamed.Version);
        await using (var db = app.CreateDbContext())
        {
            Assert.Equal("13800138000", await db.OrgUnits.Where(o => o.Id == created.Id).Select(o => o.ContactPhone).SingleAsync());
        }

        var retired = await (await admin.PostJsonAsync($"/api/org-units/{created.Id}/retire", new { version = renamed.Version })).ShouldBeOkAsync<OrgUnitView>();
        Assert.True(retired.IsRetired);
        var active = await (await admin.GetAsync("/api/org-units?kind=Community&pageSize=200")).ShouldBeOkAsync<Page<OrgUnitView>>();
        Assert.DoesNotContain(active.Items, u => u.Id == created.Id);
        var all = await (await admin.GetAsync("/api/org-units?kind=Community&includeRetired=true&pageSize=200")).ShouldBeOkAsync<Page<OrgUnitView>>();
        Assert.Contains(all.Items, u => u.Id == created.Id);
    }

    [Fact]
    public async Task A_stale_version_is_a_409_and_the_later_writer_does_not_overwrite()
    {
        var admin = await app.ClientForAsync("sysadmin");
        var id = await IdOfCodeAsync("110199001D07");
        var read = await (await admin.GetAsync($"/api/org-units/{id}")).ShouldBeOkAsync<OrgUnitView>();

        await (await admin.PutJsonAsync($"/api/org-units/{id}", new { name = read.Name + "一", code = read.Code, version = read.Version })).ShouldBeOkAsync<OrgUnitView>();
        var conflict = await (await admin.PutJsonAsync($"/api/org-units/{id}", new { name = read.Name + "二", code = read.Code, version = read.Version }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("已被他人修改", conflict.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var now = await (await admin.GetAsync($"/api/org-units/{id}")).ShouldBeOkAsync<OrgUnitView>();
        Assert.Equal(read.Name + "一", now.Name);
    }

    [Fact]
    public async Task Two_simultaneous_edits_with_the_same_version_let_exactly_one_win()
    {
        var admin = await app.ClientForAsync("sysadmin");
        var id = await IdOfCodeAsync("110199001D08");
        var read = await (await admin.GetAsync($"/api/org-units/{id}")).ShouldBeOkAsync<OrgUnitView>();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            admin.PutJsonAsync($"/api/org-units/{id}", new { name = FormattableString.Invariant($"{read.Name}{i}"), code = read.Code, version = read.Version })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Codes_follow_the_tree_and_are_unique()
    {
        var admin = await app.ClientForAsync("sysadmin");
        var streetId = await IdOfCodeAsync("110199001");

        var wrongPrefix = await (await admin.PostJsonAsync("/api/org-units", new { kind = "Community", name = "编码错误社区", code = "110100001001", parentId = streetId }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(wrongPrefix.FieldErrors("code"), m => m.Contains("110199001", StringComparison.Ordinal));

        var duplicate = await (await admin.PostJsonAsync("/api/org-units", new { kind = "Community", name = "重复社区", code = "110199001001", parentId = streetId }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("已被占用", duplicate.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var wrongParent = await (await admin.PostJsonAsync("/api/org-units", new { kind = "Community", name = "挂错社区", code = "110199001060", parentId = await IdOfCodeAsync("110199001001") }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(wrongParent.FieldErrors("parentId"), m => m.Contains("不能设在社区之下", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_community_with_grids_cannot_be_retired()
    {
        var admin = await app.ClientForAsync("sysadmin");
        var id = await IdOfCodeAsync("110199001003");
        var unit = await (await admin.GetAsync($"/api/org-units/{id}")).ShouldBeOkAsync<OrgUnitView>();

        var problem = await (await admin.PostJsonAsync($"/api/org-units/{id}/retire", new { version = unit.Version })).ShouldBeProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("5 个网格", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("%25")]
    [InlineData("_")]
    public async Task Search_treats_wildcard_characters_as_text(string search)
    {
        var admin = await app.ClientForAsync("sysadmin");

        var units = await (await admin.GetAsync($"/api/org-units?search={search}")).ShouldBeOkAsync<Page<OrgUnitView>>();
        var grids = await (await admin.GetAsync($"/api/grids?search={search}")).ShouldBeOkAsync<Page<GridView>>();

        Assert.Equal(0, units.Total);
        Assert.Equal(0, grids.Total);
        var literal = await (await admin.GetAsync("/api/org-units?search=槐荫")).ShouldBeOkAsync<Page<OrgUnitView>>();
        Assert.NotEqual(0, literal.Total);
    }

    [Fact]
    public async Task The_six_work_lines_are_listed_in_chinese()
    {
        var client = await app.ClientForAsync("worker1");

        var lines = await (await client.GetAsync("/api/work-lines")).ShouldBeOkAsync<List<JsonElement>>();

        Assert.Equal(["环保", "应急", "城建", "综合执法", "市场监管", "农业"], lines.Select(l => l.GetProperty("name").GetString()));
    }

    private async Task<Guid> IdOfCodeAsync(string code)
    {
        await using var db = app.CreateDbContext();
        return await db.OrgUnits.Where(o => o.Code == code).Select(o => o.Id).SingleAsync();
    }
}

public sealed class OrganizationApiTestsOnSqlite(SqliteApp app) : OrganizationApiTests<SqliteApp>(app);

public sealed class OrganizationApiTestsOnPostgres(PostgresApp app) : OrganizationApiTests<PostgresApp>(app);
