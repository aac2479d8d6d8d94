using System.Net;
using System.Text.Json;
using Community360.Auditing;
using Community360.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Community360.Tests.Identity;

public abstract class AuthenticationTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : Community360App
{
    [Fact]
    public async Task A_bearer_token_signs_in_an_api_client()
    {
        var client = await app.ClientForAsync("dispatcher");

        var me = await (await client.GetAsync("/api/auth/me")).ShouldBeOkAsync<JsonElement>();

        Assert.Equal("dispatcher", me.GetProperty("userName").GetString());
        Assert.Contains("Dispatcher", me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("示例街道", me.GetProperty("scopeName").GetString());
    }

    [Fact]
    public async Task A_cookie_signs_in_the_web_ui_and_expires_after_idle_time()
    {
        var client = app.CreateClient();
        var login = await client.PostJsonAsync("/api/auth/login?useCookies=true", new { userName = "leader", password = Community360App.DemoPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("c360.session=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me")).StatusCode);

        app.Clock.Advance(TimeSpan.FromMinutes(31));

        await (await client.GetAsync("/api/auth/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_in_chinese_without_telling_whether_the_account_exists()
    {
        var client = app.CreateClient();

        var wrongPassword = await (await client.PostJsonAsync("/api/auth/login", new { userName = "worker2", password = "Wrong#123" }))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        var unknownUser = await (await client.PostJsonAsync("/api/auth/login", new { userName = "nobody-here", password = "Wrong#123" }))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Equal(wrongPassword.GetProperty("detail").GetString(), unknownUser.GetProperty("detail").GetString());
        await using var db = app.CreateDbContext();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.SignInFailed && e.ActorName == "worker2"));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.SignInFailed && e.ActorName == "nobody-here"));
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_until_the_security_admin_unlocks_it()
    {
        var admin = await app.ClientForAsync("sysadmin");
        var created = await (await admin.PostJsonAsync("/api/users", new { userName = "lockme", displayName = "锁定测试", unitId = await StreetIdAsync(), password = "Lock#Test2026" }))
            .ShouldBeOkAsync<CreatedUserView>(HttpStatusCode.Created);
        var anonymous = app.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await (await anonymous.PostJsonAsync("/api/auth/login", new { userName = "lockme", password = "Wrong#2026" })).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        }

        var locked = await (await anonymous.PostJsonAsync("/api/auth/login", new { userName = "lockme", password = "Lock#Test2026" }))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("锁定", locked.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var security = await app.ClientForAsync("secadmin");
        var user = await (await security.GetAsync($"/api/users/{created.User.Id}")).ShouldBeOkAsync<UserView>();
        Assert.True(user.IsLockedOut);
        await (await security.PostJsonAsync($"/api/users/{user.Id}/unlock", new { version = user.Version })).ShouldBeOkAsync<UserView>();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostJsonAsync("/api/auth/login", new { userName = "lockme", password = "Lock#Test2026" })).StatusCode);
        await using var db = app.CreateDbContext();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.SignInLockedOut && e.ActorName == "lockme"));
    }

    [Theory]
    [InlineData("short1A", "8 个字符")]
    [InlineData("alllowercase", "至少三类")]
    [InlineData("12345678901", "至少三类")]
    public async Task Weak_passwords_are_refused_with_the_rule_in_chinese(string password, string expected)
    {
        var admin = await app.ClientForAsync("sysadmin");
        var userName = "weak" + Guid.NewGuid().ToString("N")[..6];

        var problem = await (await admin.PostJsonAsync("/api/users", new { userName, displayName = "弱密码", unitId = await StreetIdAsync(), password }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains(problem.FieldErrors("password"), m => m.Contains(expected, StringComparison.Ordinal));
        await using var db = app.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(u => u.UserName == userName));
    }

    [Fact]
    public async Task Disabling_an_account_ends_its_sessions_at_once()
    {
        var admin = await app.ClientForAsync("sysadmin");
        var created = await (await admin.PostJsonAsync("/api/users", new { userName = "leaver", displayName = "离职人员", unitId = await StreetIdAsync(), password = "Leave#2026x" }))
            .ShouldBeOkAsync<CreatedUserView>(HttpStatusCode.Created);
        var leaver = await app.ClientForAsync("leaver", "Leave#2026x");
        Assert.Equal(HttpStatusCode.OK, (await leaver.GetAsync("/api/auth/me")).StatusCode);

        await (await admin.PostJsonAsync($"/api/users/{created.User.Id}/disable", new { version = created.User.Version })).ShouldBeOkAsync<UserView>();

        await (await leaver.GetAsync("/api/auth/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await app.CreateClient().PostJsonAsync("/api/auth/login", new { userName = "leaver", password = "Leave#2026x" }))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_three_separated_duties_cannot_be_held_by_one_account_and_grants_are_audited()
    {
        var admin = await app.ClientForAsync("sysadmin");
        var security = await app.ClientForAsync("secadmin");
        var created = await (await admin.PostJsonAsync("/api/users", new { userName = "duties", displayName = "兼任测试", unitId = await StreetIdAsync() }))
            .ShouldBeOkAsync<CreatedUserView>(HttpStatusCode.Created);
        Assert.False(string.IsNullOrEmpty(created.GeneratedPassword));

        var refused = await (await security.PutJsonAsync($"/api/users/{created.User.Id}/roles", new { roles = new[] { "SystemAdmin", "AuditAdmin" }, version = created.User.Version }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(refused.FieldErrors("roles"), m => m.Contains("三员分立", StringComparison.Ordinal));

        var granted = await (await security.PutJsonAsync($"/api/users/{created.User.Id}/roles", new { roles = new[] { "Dispatcher" }, version = created.User.Version }))
            .ShouldBeOkAsync<UserView>();
        Assert.Equal(["Dispatcher"], granted.Roles);
        await using var db = app.CreateDbContext();
        var audit = await db.AuditEntries.Where(e => e.Action == AuditActions.RolesChanged && e.EntityId == created.User.Id.ToString()).SingleAsync();
        Assert.Equal("secadmin", audit.ActorName);
        Assert.Contains("Dispatcher", audit.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_security_admin_grants_roles_and_nobody_grants_their_own()
    {
        var admin = await app.ClientForAsync("sysadmin");
        var users = await (await admin.GetAsync("/api/users?search=secadmin")).ShouldBeOkAsync<Page<UserView>>();
        var secadmin = Assert.Single(users.Items);

        await (await admin.PutJsonAsync($"/api/users/{secadmin.Id}/roles", new { roles = new[] { "SystemAdmin" }, version = secadmin.Version }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var security = await app.ClientForAsync("secadmin");
        await (await security.PutJsonAsync($"/api/users/{secadmin.Id}/roles", new { roles = new[] { "SecurityAdmin", "StreetLeader" }, version = secadmin.Version }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_refresh_token_gives_a_new_access_token()
    {
        var client = app.CreateClient();
        var tokens = await (await client.PostJsonAsync("/api/auth/login", new { userName = "leader", password = Community360App.DemoPassword }))
            .ShouldBeOkAsync<JsonElement>();

        var refreshed = await (await client.PostJsonAsync("/api/auth/refresh", new { refreshToken = tokens.GetProperty("refreshToken").GetString() }))
            .ShouldBeOkAsync<JsonElement>();

        Assert.False(string.IsNullOrEmpty(refreshed.GetProperty("accessToken").GetString()));
        await (await client.PostJsonAsync("/api/auth/refresh", new { refreshToken = "not-a-token" })).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    private async Task<Guid> StreetIdAsync()
    {
        await using var db = app.CreateDbContext();
        return await db.OrgUnits.Where(o => o.Code == "110199001").Select(o => o.Id).SingleAsync();
    }
}

public sealed class AuthenticationTestsOnSqlite(SqliteApp app) : AuthenticationTests<SqliteApp>(app);

public sealed class AuthenticationTestsOnPostgres(PostgresApp app) : AuthenticationTests<PostgresApp>(app);
