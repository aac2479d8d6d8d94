using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using NetTopologySuite.Geometries;
using Community360.Organization;
using Community360.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Community360.Tests.Security;

/// <summary>
/// The data-scope matrix. A system administrator and a community worker, both scoped to community A (槐荫里),
/// address every record of community B (清和园) through every endpoint: single records answer 404 exactly as for
/// a record that does not exist, lists and counts leave B out, creating under B is refused, and nothing changes.
/// Each case is run against A's counterpart too, so a 404 cannot come from a malformed request.
/// </summary>
public abstract class DataScopeTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : Community360App
{
    private static readonly ConcurrentDictionary<Community360App, Task<Scene>> Scenes = new();

    public static TheoryData<string> RecordCases => new(
        "GET org-unit", "PUT org-unit", "retire org-unit", "GET partner-unit", "PUT partner-unit",
        "GET grid", "PUT grid", "retire grid", "GET compound", "PUT compound", "retire compound",
        "GET building", "PUT building", "retire building", "GET user", "disable user", "reset password", "locate");

    [Theory]
    [MemberData(nameof(RecordCases))]
    public async Task A_record_of_another_community_answers_404_and_does_not_change(string operation)
    {
        var scene = await SceneAsync();
        var before = await SnapshotAsync(scene.B);

        var onB = await SendAsync(scene.AdminA, operation, scene.B, scene);
        var problem = await onB.ShouldBeProblemAsync(HttpStatusCode.NotFound);

        Assert.Contains("不存在或您无权访问", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(scene.B));
        var onA = await SendAsync(scene.AdminA, operation, scene.A, scene);
        Assert.True(onA.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.Forbidden),
            $"{operation} on community A answered {(int)onA.StatusCode}: {await onA.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [MemberData(nameof(RecordCases))]
    public async Task A_read_only_worker_gets_the_same_404_for_another_community(string operation)
    {
        var scene = await SceneAsync();
        if (operation is "GET user" || !operation.StartsWith("GET", StringComparison.Ordinal) && operation != "locate")
        {
            // Writes and account administration are refused by role before scope is even considered.
            var write = await SendAsync(scene.WorkerA, operation, scene.B, scene);
            await write.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
            return;
        }
        await (await SendAsync(scene.WorkerA, operation, scene.B, scene)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(scene.WorkerA, operation, scene.A, scene)).StatusCode);
    }

    public static TheoryData<string, string, string> CreateUnderB => new()
    {
        { "/api/org-units", "parentId", "partner" },
        { "/api/grids", "communityId", "grid" },
        { "/api/compounds", "gridId", "compound" },
        { "/api/buildings", "compoundId", "building" },
        { "/api/users", "unitId", "user" },
    };

    [Theory]
    [MemberData(nameof(CreateUnderB))]
    public async Task Creating_under_another_community_is_refused_as_unknown_parent(string url, string field, string kind)
    {
        var scene = await SceneAsync();
        var before = await SnapshotAsync(scene.B);

        var problem = await (await scene.AdminA.PostJsonAsync(url, CreateBody(kind, scene.B, scene))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains(problem.FieldErrors(field), m => m.Contains("不在您的管辖范围内", StringComparison.Ordinal));
        Assert.Equal(before, await SnapshotAsync(scene.B));
        // Under A the same call gets past the scope check: created, or refused for another reason
        // (community A is fully tiled, so any new grid there overlaps an existing one).
        var onA = await scene.AdminA.PostJsonAsync(url, CreateBody(kind, scene.A, scene));
        var body = await onA.Content.ReadAsStringAsync();
        Assert.True(onA.StatusCode == HttpStatusCode.Created || onA.StatusCode == HttpStatusCode.BadRequest && !body.Contains("不在您的管辖范围内", StringComparison.Ordinal), body);
    }

    [Theory]
    [InlineData("/api/org-units")]
    [InlineData("/api/grids")]
    [InlineData("/api/compounds")]
    [InlineData("/api/buildings")]
    [InlineData("/api/users")]
    public async Task Lists_and_counts_hold_only_the_callers_subtree(string url)
    {
        var scene = await SceneAsync();
        var page = await (await scene.AdminA.GetAsync($"{url}?pageSize=200")).ShouldBeOkAsync<Page<JsonElement>>();

        var inA = await IdsUnderAsync(url, scene.A.CommunityPath);
        Assert.NotEmpty(page.Items);
        Assert.All(page.Items, item => Assert.Contains(item.GetProperty("id").GetGuid(), inA));
        Assert.Equal(inA.Count, page.Total);
        Assert.DoesNotContain(page.Items, item => scene.B.AllIds.Contains(item.GetProperty("id").GetGuid()));
    }

    [Theory]
    [InlineData("/api/org-units?search=清和园")]
    [InlineData("/api/grids?search=清和园")]
    [InlineData("/api/grids?search=110199001002")]
    [InlineData("/api/grids?communityId={communityB}")]
    [InlineData("/api/compounds?communityId={communityB}")]
    [InlineData("/api/compounds?gridId={gridB}")]
    [InlineData("/api/buildings?compoundId={compoundB}")]
    [InlineData("/api/users?unitId={communityB}")]
    [InlineData("/api/users?search=worker2")]
    public async Task Filtering_for_another_community_finds_nothing_not_even_a_count(string template)
    {
        var scene = await SceneAsync();
        var url = template.Replace("{communityB}", scene.B.CommunityId.ToString(), StringComparison.Ordinal)
            .Replace("{gridB}", scene.B.GridId.ToString(), StringComparison.Ordinal)
            .Replace("{compoundB}", scene.B.CompoundId.ToString(), StringComparison.Ordinal);

        var page = await (await scene.AdminA.GetAsync(url)).ShouldBeOkAsync<Page<JsonElement>>();

        Assert.Empty(page.Items);
        Assert.Equal(0, page.Total);
        var street = await (await scene.StreetAdmin.GetAsync(url)).ShouldBeOkAsync<Page<JsonElement>>();
        Assert.NotEqual(0, street.Total);
    }

    [Fact]
    public async Task A_grid_worker_sees_only_their_own_grid()
    {
        var scene = await SceneAsync();
        var gridWorker = await app.ClientForAsync("grid1");

        var grids = await (await gridWorker.GetAsync("/api/grids")).ShouldBeOkAsync<Page<GridView>>();
        var own = Assert.Single(grids.Items);
        Assert.Equal(scene.A.GridId, own.Id);
        await (await gridWorker.GetAsync($"/api/grids/{scene.A.SecondGridId}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await gridWorker.GetAsync($"/api/org-units/{scene.A.CommunityId}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var compounds = await (await gridWorker.GetAsync("/api/compounds?pageSize=200")).ShouldBeOkAsync<Page<CompoundView>>();
        Assert.All(compounds.Items, c => Assert.Equal(scene.A.GridId, c.GridId));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string operation, Side side, Scene scene)
    {
        var street = scene.StreetAdmin;
        switch (operation)
        {
            case "GET org-unit": return await client.GetAsync($"/api/org-units/{side.CommunityId}");
            case "GET partner-unit": return await client.GetAsync($"/api/org-units/{side.PartnerId}");
            case "GET grid": return await client.GetAsync($"/api/grids/{side.GridId}");
            case "GET compound": return await client.GetAsync($"/api/compounds/{side.CompoundId}");
            case "GET building": return await client.GetAsync($"/api/buildings/{side.BuildingId}");
            case "GET user": return await client.GetAsync($"/api/users/{side.UserId}");
            case "locate": return await client.GetAsync(FormattableString.Invariant($"/api/grids/locate?lon={side.CompoundLongitude}&lat={side.CompoundLatitude}"));
            case "PUT org-unit" or "PUT partner-unit":
            {
                var id = operation == "PUT org-unit" ? side.CommunityId : side.PartnerId;
                var unit = await (await street.GetAsync($"/api/org-units/{id}")).ShouldBeOkAsync<OrgUnitView>();
                return await client.PutJsonAsync($"/api/org-units/{id}", new { name = unit.Name + "（改）", code = unit.Code, version = unit.Version });
            }
            case "retire org-unit":
            {
                var unit = await (await street.GetAsync($"/api/org-units/{side.CommunityId}")).ShouldBeOkAsync<OrgUnitView>();
                return await client.PostJsonAsync($"/api/org-units/{side.CommunityId}/retire", new { version = unit.Version });
            }
            case "PUT grid":
            {
                var grid = await (await street.GetAsync($"/api/grids/{side.GridId}")).ShouldBeOkAsync<GridDetailView>();
                return await client.PutJsonAsync($"/api/grids/{side.GridId}", new { code = grid.Code, name = grid.Name + "（改）", boundary = grid.Boundary, version = grid.Version });
            }
            case "retire grid":
            {
                var grid = await (await street.GetAsync($"/api/grids/{side.GridId}")).ShouldBeOkAsync<GridDetailView>();
                return await client.PostJsonAsync($"/api/grids/{side.GridId}/retire", new { version = grid.Version });
            }
            case "PUT compound" or "retire compound":
            {
                var compound = await (await street.GetAsync($"/api/compounds/{side.CompoundId}")).ShouldBeOkAsync<CompoundView>();
                return operation == "PUT compound"
                    ? await client.PutJsonAsync($"/api/compounds/{side.CompoundId}", new { name = compound.Name + "（改）", version = compound.Version })
                    : await client.PostJsonAsync($"/api/compounds/{side.CompoundId}/retire", new { version = compound.Version });
            }
            case "PUT building" or "retire building":
            {
                var building = await (await street.GetAsync($"/api/buildings/{side.BuildingId}")).ShouldBeOkAsync<BuildingView>();
                return operation == "PUT building"
                    ? await client.PutJsonAsync($"/api/buildings/{side.BuildingId}", new { name = building.Name, floors = building.Floors + 1, version = building.Version })
                    : await client.PostJsonAsync($"/api/buildings/{side.BuildingId}/retire", new { version = building.Version });
            }
            case "disable user" or "reset password":
            {
                var user = await (await street.GetAsync($"/api/users/{side.UserId}")).ShouldBeOkAsync<UserView>();
                var action = operation == "disable user" ? "disable" : "reset-password";
                return await client.PostJsonAsync($"/api/users/{side.UserId}/{action}", new { version = user.Version });
            }
            default: throw new ArgumentOutOfRangeException(nameof(operation), operation, null);
        }
    }

    private static object CreateBody(string kind, Side side, Scene scene) => kind switch
    {
        "partner" => new { kind = "PartnerUnit", name = "测试共建单位" + Guid.NewGuid().ToString("N")[..4], code = "T" + Guid.NewGuid().ToString("N")[..8], parentId = side.CommunityId },
        "grid" => new { communityId = side.CommunityId, code = side.CommunityCode + "9" + Random.Shared.Next(10, 99).ToString(System.Globalization.CultureInfo.InvariantCulture), name = "测试网格", boundary = scene.EmptyCorner(side) },
        "compound" => new { gridId = side.GridId, name = "测试小区" + Guid.NewGuid().ToString("N")[..4] },
        "building" => new { compoundId = side.CompoundId, name = "测试" + Random.Shared.Next(100, 999).ToString(System.Globalization.CultureInfo.InvariantCulture) + "号楼", floors = 6 },
        "user" => new { userName = "scope" + Guid.NewGuid().ToString("N")[..8], displayName = "范围测试", unitId = side.CommunityId },
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Versions and retirement of every B record, and the audit tail: equal before and after means nothing changed.</summary>
    private async Task<string> SnapshotAsync(Side side)
    {
        await using var db = app.CreateDbContext();
        var prefix = side.CommunityPath + "%";
        var units = await db.OrgUnits.Where(o => EF.Functions.Like(o.ScopePath, prefix)).OrderBy(o => o.Id).Select(o => o.Version.ToString() + o.IsRetired).ToListAsync();
        var grids = await db.Grids.Where(o => EF.Functions.Like(o.ScopePath, prefix)).OrderBy(o => o.Id).Select(o => o.Version.ToString() + o.IsRetired).ToListAsync();
        var compounds = await db.Compounds.Where(o => EF.Functions.Like(o.ScopePath, prefix)).OrderBy(o => o.Id).Select(o => o.Version.ToString() + o.IsRetired).ToListAsync();
        var buildings = await db.Buildings.Where(o => EF.Functions.Like(o.ScopePath, prefix)).OrderBy(o => o.Id).Select(o => o.Version.ToString() + o.IsRetired).ToListAsync();
        var users = await db.Users.Where(o => EF.Functions.Like(o.ScopePath, prefix)).OrderBy(o => o.Id).Select(o => o.Version.ToString() + o.IsDisabled + o.PasswordHash).ToListAsync();
        return string.Join("|", units.Concat(grids).Concat(compounds).Concat(buildings).Concat(users));
    }

    private async Task<HashSet<Guid>> IdsUnderAsync(string url, string path)
    {
        await using var db = app.CreateDbContext();
        var prefix = path + "%";
        var ids = url switch
        {
            "/api/org-units" => await db.OrgUnits.Where(o => !o.IsRetired && EF.Functions.Like(o.ScopePath, prefix)).Select(o => o.Id).ToListAsync(),
            "/api/grids" => await db.Grids.Where(o => !o.IsRetired && EF.Functions.Like(o.ScopePath, prefix)).Select(o => o.Id).ToListAsync(),
            "/api/compounds" => await db.Compounds.Where(o => !o.IsRetired && EF.Functions.Like(o.ScopePath, prefix)).Select(o => o.Id).ToListAsync(),
            "/api/buildings" => await db.Buildings.Where(o => !o.IsRetired && EF.Functions.Like(o.ScopePath, prefix)).Select(o => o.Id).ToListAsync(),
            "/api/users" => await db.Users.Where(o => EF.Functions.Like(o.ScopePath, prefix)).Select(o => o.Id).ToListAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(url)),
        };
        return [.. ids];
    }

    private Task<Scene> SceneAsync() => Scenes.GetOrAdd(app, _ => BuildSceneAsync());

    private async Task<Scene> BuildSceneAsync()
    {
        // Side A's account is grid2, not worker1: the controls disable it and reset its password.
        var a = await SideAsync("110199001001", "grid2");
        var b = await SideAsync("110199001002", "worker2");
        var streetAdmin = await app.ClientForAsync("sysadmin");
        var security = await app.ClientForAsync("secadmin");
        var created = await (await streetAdmin.PostJsonAsync("/api/users", new { userName = "admin-a", displayName = "社区甲管理员", unitId = a.CommunityId, password = "Scope#A2026" }))
            .ShouldBeOkAsync<CreatedUserView>(HttpStatusCode.Created);
        await (await security.PutJsonAsync($"/api/users/{created.User.Id}/roles", new { roles = new[] { "SystemAdmin" }, version = created.User.Version }))
            .ShouldBeOkAsync<UserView>();
        var boundaries = new Dictionary<Guid, Geometry>();
        await using (var db = app.CreateDbContext())
        {
            foreach (var side in new[] { a, b })
            {
                boundaries[side.CommunityId] = await db.CommunityBoundaries.Where(x => x.CommunityId == side.CommunityId).Select(x => x.Boundary).SingleAsync();
            }
        }
        return new Scene(a, b, await app.ClientForNewAccountAsync("admin-a", "Scope#A2026"), await app.ClientForAsync("worker1"), streetAdmin, boundaries);
    }

    private async Task<Side> SideAsync(string communityCode, string workerName)
    {
        await using var db = app.CreateDbContext();
        var community = await db.OrgUnits.SingleAsync(o => o.Code == communityCode);
        var partner = await db.OrgUnits.FirstOrDefaultAsync(o => o.ParentId == community.Id && o.Kind == OrgUnitKind.PartnerUnit)
            ?? await CreatePartnerAsync(db, community);
        var grids = await db.Grids.Where(g => g.CommunityId == community.Id).OrderBy(g => g.Code).ToListAsync();
        var compound = await db.Compounds.Where(c => c.GridId == grids[0].Id).OrderBy(c => c.Name).FirstAsync();
        var building = await db.Buildings.Where(x => x.CompoundId == compound.Id).OrderBy(x => x.Name).FirstAsync();
        var user = await db.Users.SingleAsync(u => u.UserName == workerName);
        var prefix = community.ScopePath + "%";
        var all = new HashSet<Guid>(await db.OrgUnits.Where(o => EF.Functions.Like(o.ScopePath, prefix)).Select(o => o.Id).ToListAsync());
        all.UnionWith(await db.Grids.Where(o => EF.Functions.Like(o.ScopePath, prefix)).Select(o => o.Id).ToListAsync());
        all.UnionWith(await db.Compounds.Where(o => EF.Functions.Like(o.ScopePath, prefix)).Select(o => o.Id).ToListAsync());
        all.UnionWith(await db.Buildings.Where(o => EF.Functions.Like(o.ScopePath, prefix)).Select(o => o.Id).ToListAsync());
        all.UnionWith(await db.Users.Where(o => EF.Functions.Like(o.ScopePath, prefix)).Select(o => o.Id).ToListAsync());
        return new Side(community.Id, community.Code, community.ScopePath, partner.Id, grids[0].Id, grids[1].Id, compound.Id,
            compound.Longitude!.Value, compound.Latitude!.Value, building.Id, user.Id, all);
    }

    private static async Task<OrgUnit> CreatePartnerAsync(Community360.Data.AppDbContext db, OrgUnit community)
    {
        var partner = new OrgUnit { Kind = OrgUnitKind.PartnerUnit, Name = community.Name + "共建单位", Code = "S" + community.Code, ParentId = community.Id };
        partner.PlaceUnder(community);
        db.OrgUnits.Add(partner);
        await db.SaveChangesAsync();
        return partner;
    }

    private sealed record Side(
        Guid CommunityId, string CommunityCode, string CommunityPath, Guid PartnerId, Guid GridId, Guid SecondGridId,
        Guid CompoundId, double CompoundLongitude, double CompoundLatitude, Guid BuildingId, Guid UserId, HashSet<Guid> AllIds);

    private sealed record Scene(Side A, Side B, HttpClient AdminA, HttpClient WorkerA, HttpClient StreetAdmin, Dictionary<Guid, Geometry> Boundaries)
    {
        /// <summary>A GeoJSON polygon inside the side's community; the create-grid call is about scope, not geometry.</summary>
        public JsonElement EmptyCorner(Side side)
        {
            var interior = Boundaries[side.CommunityId].InteriorPoint.Coordinate;
            var d = 0.00005;
            var ring = new[] { new[] { interior.X - d, interior.Y - d }, new[] { interior.X + d, interior.Y - d }, new[] { interior.X + d, interior.Y + d }, new[] { interior.X - d, interior.Y + d }, new[] { interior.X - d, interior.Y - d } };
            return JsonSerializer.SerializeToElement(new { type = "Polygon", coordinates = new[] { ring } });
        }
    }
}

public sealed class DataScopeTestsOnSqlite(SqliteApp app) : DataScopeTests<SqliteApp>(app);

public sealed class DataScopeTestsOnPostgres(PostgresApp app) : DataScopeTests<PostgresApp>(app);
