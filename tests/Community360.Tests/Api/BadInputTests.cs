using System.Net;
using Community360.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Community360.Tests.Api;

/// <summary>
/// Every write endpoint meets missing fields, wrong types, oversized strings and malformed JSON or GeoJSON:
/// each gets a zh-CN ProblemDetails naming the field, and the database (rows and audit trail) stays as it was.
/// </summary>
public abstract class BadInputTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : Community360App
{
    private static readonly string TooLong = new('长', 101);

    public static TheoryData<string, string, string, string?> Cases => new()
    {
        // method, url, body, field expected in errors (null: a body-level error)
        { "POST", "/api/org-units", "{}", "kind" },
        { "POST", "/api/org-units", """{"kind":"Community","name":"","code":"1101990010","parentId":"{street}"}""", "name" },
        { "POST", "/api/org-units", """{"kind":"Community","name":"新社区","code":"12345","parentId":"{street}"}""", "code" },
        { "POST", "/api/org-units", """{"kind":"Community","name":"新社区","code":"110199001099","parentId":"{street}","contactPhone":"call me"}""", "contactPhone" },
        { "POST", "/api/org-units", $$"""{"kind":"PartnerUnit","name":"{{TooLong}}","code":"LONG1","parentId":"{street}"}""", "name" },
        { "POST", "/api/org-units", """{"kind":7,"name":"新社区","code":"110199001099","parentId":"{street}"}""", "kind" },
        { "POST", "/api/org-units", """{"kind":"Village","name":"新社区","code":"110199001099","parentId":"{street}"}""", "kind" },
        { "POST", "/api/org-units", """{"kind":"PartnerUnit","name":"单位","code":"P1","parentId":"{street}","sortOrder":"first"}""", "sortOrder" },
        { "POST", "/api/org-units", """{"kind":"PartnerUnit","name":"单位","code":"P1","parentId":"not-a-guid"}""", "parentId" },
        { "POST", "/api/org-units", """{"kind":"PartnerUnit","name":"单位" """, null },
        { "POST", "/api/org-units", "", null },
        { "PUT", "/api/org-units/{street}", """{"name":"示例街道","code":"110199001"}""", "version" },
        { "POST", "/api/org-units/{street}/retire", "{}", "version" },
        { "POST", "/api/grids", "{}", "communityId" },
        { "POST", "/api/grids", """{"communityId":"{community}","code":"110199001001099","name":"新网格"}""", "boundary" },
        { "POST", "/api/grids", """{"communityId":"{community}","code":"110199001001099","name":"新网格","boundary":{"type":"Polygon","coordinates":[[116.4,39.9]]}}""", "boundary" },
        { "POST", "/api/grids", """{"communityId":"{community}","code":"110199001001099","name":"新网格","boundary":{"type":"Point","coordinates":[116.4,39.9]}}""", "boundary" },
        { "POST", "/api/grids", """{"communityId":"{community}","code":"110199001001099","name":"新网格","boundary":{"type":"Polygon","coordinates":[[[116.40,39.90],[116.41,39.91],[116.41,39.90],[116.40,39.91],[116.40,39.90]]]}}""", "boundary" },
        { "POST", "/api/grids", """{"communityId":"{community}","code":"110199001002099","name":"新网格","boundary":"{corner}"}""", "code" },
        { "POST", "/api/grids", """{"communityId":"{community}","code":"110199001001099","name":"新网格","boundary":"{corner}","responsibilities":[{"workLine":"Environment","personName":"张三"},{"workLine":"Environment","personName":"李四"}]}""", "responsibilities[1].workLine" },
        { "POST", "/api/grids", """{"communityId":"{community}","code":"110199001001099","name":"新网格","boundary":"{corner}","responsibilities":[{"workLine":"Environment","personName":""}]}""", "responsibilities[0].personName" },
        { "POST", "/api/grids/import?streetId={street}", "这不是 GeoJSON", "geoJson" },
        { "POST", "/api/grids/import?streetId={street}", """{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kind":"grid","code":"abc","name":"坏网格"},"geometry":null}]}""", "features[0]" },
        { "POST", "/api/grids/import", """{"type":"FeatureCollection","features":[]}""", "streetId" },
        { "GET", "/api/grids/locate?lon=500&lat=39.9", "", "lon" },
        { "GET", "/api/grids/locate?lon=abc&lat=39.9", "", "lon" },
        { "POST", "/api/compounds", """{"gridId":"{grid}"}""", "name" },
        { "POST", "/api/compounds", """{"gridId":"{grid}","name":"新小区","longitude":116.4}""", "latitude" },
        { "POST", "/api/compounds", """{"gridId":"{grid}","name":"新小区","longitude":100.0,"latitude":30.0}""", "longitude" },
        { "POST", "/api/compounds", """{"gridId":"{grid}","name":"新小区","kind":"Castle"}""", "kind" },
        { "POST", "/api/buildings", """{"compoundId":"{compound}","name":"99号楼"}""", "floors" },
        { "POST", "/api/buildings", """{"compoundId":"{compound}","name":"99号楼","floors":-1}""", "floors" },
        { "POST", "/api/buildings", """{"compoundId":"{compound}","name":"99号楼","floors":"six"}""", "floors" },
        { "POST", "/api/buildings", """{"compoundId":"{compound}","name":"99号楼","floors":6,"builtYear":3000}""", "builtYear" },
        { "POST", "/api/users", """{"userName":"has space","displayName":"张三","unitId":"{street}"}""", "userName" },
        { "POST", "/api/users", $$"""{"userName":"toolongname","displayName":"{{TooLong}}","unitId":"{street}"}""", "displayName" },
        { "POST", "/api/users", """{"userName":"weakpass","displayName":"张三","unitId":"{street}","password":"password"}""", "password" },
        { "POST", "/api/auth/login", "{}", "userName" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_a_chinese_problem_and_changes_nothing(string method, string url, string body, string? field)
    {
        var ids = await IdsAsync();
        var admin = await app.ClientForAsync("sysadmin");
        var before = await FingerprintAsync();

        var request = new HttpRequestMessage(new HttpMethod(method), ids.Fill(url));
        if (method != "GET")
        {
            request.Content = new StringContent(ids.Fill(body), System.Text.Encoding.UTF8, "application/json");
        }
        var problem = await (await admin.SendAsync(request)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        if (field is not null)
        {
            Assert.NotEmpty(problem.FieldErrors(field));
        }
        Assert.Equal(before, await FingerprintAsync());
    }

    [Fact]
    public async Task An_oversized_request_body_is_refused_before_it_is_read()
    {
        var admin = await app.ClientForAsync("sysadmin");
        var huge = "{\"name\":\"" + new string('x', 3 * 1024 * 1024) + "\"}";

        var response = await admin.SendRawAsync(HttpMethod.Post, "/api/org-units", huge);

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    private async Task<string> FingerprintAsync()
    {
        await using var db = app.CreateDbContext();
        var counts = new[]
        {
            await db.OrgUnits.CountAsync(), await db.Grids.CountAsync(), await db.Compounds.CountAsync(),
            await db.Buildings.CountAsync(), await db.Users.CountAsync(),
        };
        // Sign-ins add audit rows; what must not move is everything else.
        var tail = await db.AuditEntries.Where(e => !e.Action.StartsWith("signin")).OrderByDescending(e => e.Sequence).Select(e => e.Sequence).FirstAsync();
        return string.Join(",", counts) + "@" + tail;
    }

    private async Task<Ids> IdsAsync()
    {
        await using var db = app.CreateDbContext();
        var street = await db.OrgUnits.SingleAsync(o => o.Code == "110199001");
        var community = await db.OrgUnits.SingleAsync(o => o.Code == "110199001001");
        var grid = await db.Grids.Where(g => g.CommunityId == community.Id).OrderBy(g => g.Code).FirstAsync();
        var compound = await db.Compounds.Where(c => c.GridId == grid.Id).OrderBy(c => c.Name).FirstAsync();
        return new Ids(street.Id, community.Id, grid.Id, compound.Id);
    }

    private sealed record Ids(Guid Street, Guid Community, Guid Grid, Guid Compound)
    {
        private const string Corner = """{"type":"Polygon","coordinates":[[[116.0,39.0],[116.0001,39.0],[116.0001,39.0001],[116.0,39.0001],[116.0,39.0]]]}""";

        public string Fill(string text) => text
            .Replace("{street}", Street.ToString(), StringComparison.Ordinal)
            .Replace("{community}", Community.ToString(), StringComparison.Ordinal)
            .Replace("{grid}", Grid.ToString(), StringComparison.Ordinal)
            .Replace("{compound}", Compound.ToString(), StringComparison.Ordinal)
            .Replace("\"{corner}\"", Corner, StringComparison.Ordinal);
    }
}

public sealed class BadInputTestsOnSqlite(SqliteApp app) : BadInputTests<SqliteApp>(app);

public sealed class BadInputTestsOnPostgres(PostgresApp app) : BadInputTests<PostgresApp>(app);
