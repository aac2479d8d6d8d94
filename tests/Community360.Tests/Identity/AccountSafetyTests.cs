using System.Net;
using System.Text.Json;
using Community360.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Community360.Tests.Identity;

/// <summary>The separated duties cannot be taken over, and nobody keeps a password someone else chose.</summary>
public abstract class AccountSafetyTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : Community360App
{
    [Theory]
    [InlineData("secadmin", "reset-password")]
    [InlineData("auditadmin", "reset-password")]
    [InlineData("secadmin", "disable")]
    [InlineData("auditadmin", "disable")]
    public async Task The_system_admin_cannot_reset_or_disable_another_duty_account(string target, string action)
    {
        var admin = await app.ClientForAsync("sysadmin");
        var user = await UserAsync(admin, target);

        var problem = await (await admin.PostJsonAsync($"/api/users/{user.Id}/{action}", new { version = user.Version })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        Assert.Contains("三员", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().PostJsonAsync("/api/auth/login", new { userName = target, password = Community360App.DemoPassword })).StatusCode);
    }

    [Fact]
    public async Task A_new_account_must_change_its_initial_password_before_anything_else()
    {
        var admin = await app.ClientForAsync("sysadmin");
        var created = await (await admin.PostJsonAsync("/api/users", new { userName = "newcomer", displayName = "新同事", unitId = await StreetIdAsync(), password = "Start#2026a" }))
            .ShouldBeOkAsync<CreatedUserView>(HttpStatusCode.Created);
        var newcomer = await app.ClientForAsync("newcomer", "Start#2026a");

        var blocked = await (await newcomer.GetAsync("/api/grids")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("修改初始密码", blocked.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await newcomer.GetAsync("/api/auth/me")).StatusCode);

        var same = await (await newcomer.PostJsonAsync("/api/auth/change-password", new { currentPassword = "Start#2026a", newPassword = "Start#2026a" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(same.FieldErrors("newPassword"));
        var wrong = await (await newcomer.PostJsonAsync("/api/auth/change-password", new { currentPassword = "nope", newPassword = "Mine#2026bb" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(wrong.FieldErrors("currentPassword"));
        Assert.Equal(HttpStatusCode.NoContent, (await newcomer.PostJsonAsync("/api/auth/change-password", new { currentPassword = "Start#2026a", newPassword = "Mine#2026bb" })).StatusCode);

        // The old token died with the old password; the new password works everywhere.
        await (await newcomer.GetAsync("/api/auth/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        var signedIn = await app.ClientForAsync("newcomer", "Mine#2026bb");
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/api/grids")).StatusCode);
        Assert.Equal(created.User.Id, (await (await signedIn.GetAsync("/api/auth/me")).ShouldBeOkAsync<JsonElement>()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Signing_out_a_bearer_token_ends_it()
    {
        var client = await app.ClientForAsync("dept1");

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/auth/logout", null)).StatusCode);

        await (await client.GetAsync("/api/auth/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await (await app.ClientForAsync("dept1")).GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_name_locks_out_exactly_like_a_real_account()
    {
        var anonymous = app.CreateClient();
        JsonElement real = default, unknown = default;
        for (var i = 0; i < 6; i++)
        {
            real = await (await anonymous.PostJsonAsync("/api/auth/login", new { userName = "partner1", password = "Wrong#2026" })).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
            unknown = await (await anonymous.PostJsonAsync("/api/auth/login", new { userName = "no-such-person", password = "Wrong#2026" })).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        }

        Assert.Contains("锁定", real.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("锁定", unknown.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(real.GetProperty("title").GetString(), unknown.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_disabled_account_counts_failures_and_locks_out_too()
    {
        var admin = await app.ClientForAsync("sysadmin");
        var created = await (await admin.PostJsonAsync("/api/users", new { userName = "dormant", displayName = "停用账号", unitId = await StreetIdAsync(), password = "Dorm#2026ab" }))
            .ShouldBeOkAsync<CreatedUserView>(HttpStatusCode.Created);
        await (await admin.PostJsonAsync($"/api/users/{created.User.Id}/disable", new { version = created.User.Version })).ShouldBeOkAsync<UserView>();
        var anonymous = app.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await (await anonymous.PostJsonAsync("/api/auth/login", new { userName = "dormant", password = "Guess#2026" })).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        }

        var afterGuessing = await (await anonymous.PostJsonAsync("/api/auth/login", new { userName = "dormant", password = "Dorm#2026ab" })).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Contains("锁定", afterGuessing.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task<UserView> UserAsync(HttpClient admin, string userName)
    {
        var page = await (await admin.GetAsync($"/api/users?search={userName}")).ShouldBeOkAsync<Page<UserView>>();
        return page.Items.Single(u => u.UserName == userName);
    }

    private async Task<Guid> StreetIdAsync()
    {
        await using var db = app.CreateDbContext();
        return await db.OrgUnits.Where(o => o.Code == "110199001").Select(o => o.Id).SingleAsync();
    }
}

public sealed class AccountSafetyTestsOnSqlite(SqliteApp app) : AccountSafetyTests<SqliteApp>(app);

public sealed class AccountSafetyTestsOnPostgres(PostgresApp app) : AccountSafetyTests<PostgresApp>(app);

/// <summary>A host whose sign-in limit is low enough to reach in a test.</summary>
public sealed class RateLimitedApp() : Community360App(Community360.Data.DatabaseProvider.Sqlite)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Identity:SignInAttemptsPerMinute"] = "3" };
}

public sealed class SignInRateLimitTests(RateLimitedApp app) : IClassFixture<RateLimitedApp>
{
    [Fact]
    public async Task Too_many_sign_in_attempts_from_one_address_get_429_in_chinese()
    {
        var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            await client.PostJsonAsync("/api/auth/login", new { userName = "leader", password = "Wrong#2026" });
        }

        var limited = await (await client.PostJsonAsync("/api/auth/login", new { userName = "leader", password = Community360App.DemoPassword }))
            .ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);

        Assert.Contains("频繁", limited.GetProperty("title").GetString(), StringComparison.Ordinal);
    }
}
