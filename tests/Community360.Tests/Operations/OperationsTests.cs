using System.Net;
using System.Text.Json;
using Community360.Data;
using Community360.Tests.Infrastructure;
using Community360.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Community360.Tests.Operations;

public abstract class OperationsTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : Community360App
{
    [Fact]
    public async Task Liveness_and_readiness_answer_without_signing_in()
    {
        var client = app.CreateClient();

        Assert.Equal("Healthy", await (await client.GetAsync("/health")).Content.ReadAsStringAsync());
        Assert.Equal("Healthy", await (await client.GetAsync("/health/ready")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_openapi_document_describes_every_api_group_in_chinese()
    {
        var document = await (await app.CreateClient().GetAsync("/openapi/v1.json")).ShouldBeOkAsync<JsonElement>();

        Assert.Equal("社区治理360 API", document.GetProperty("info").GetProperty("title").GetString());
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var expected in new[] { "/api/auth/login", "/api/org-units", "/api/org-units/{id}", "/api/grids", "/api/grids/import", "/api/grids/locate", "/api/compounds", "/api/buildings", "/api/users", "/api/users/{id}/roles", "/api/audit/verify" })
        {
            Assert.Contains(expected, paths);
        }
        var create = document.GetProperty("paths").GetProperty("/api/org-units").GetProperty("post");
        Assert.True(ApiAssertions.IsChinese(create.GetProperty("summary").GetString()));
        Assert.True(create.GetProperty("responses").TryGetProperty("400", out _));
    }

    [Fact]
    public async Task Anonymous_api_calls_get_401_in_chinese_not_a_redirect()
    {
        var response = await app.CreateClient().GetAsync("/api/grids");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }
}

public sealed class OperationsTestsOnSqlite(SqliteApp app) : OperationsTests<SqliteApp>(app);

public sealed class OperationsTestsOnPostgres(PostgresApp app) : OperationsTests<PostgresApp>(app);

public sealed class LogRedactionTests
{
    [Fact]
    public void Phone_and_id_numbers_never_reach_the_log_in_full()
    {
        var line = RedactingJsonConsoleFormatter.Render(LogLevel.Warning, "Cases", "来电 13812345678 身份证 110105199003071234 反映噪声",
            new InvalidOperationException("caller 13987654321"));

        Assert.DoesNotContain("13812345678", line, StringComparison.Ordinal);
        Assert.DoesNotContain("110105199003071234", line, StringComparison.Ordinal);
        Assert.DoesNotContain("13987654321", line, StringComparison.Ordinal);
        Assert.Contains("138****5678", line, StringComparison.Ordinal);
        Assert.Contains("110105********1234", line, StringComparison.Ordinal);
        var json = JsonDocument.Parse(line).RootElement;
        Assert.Equal("Warning", json.GetProperty("level").GetString());
        Assert.Contains("反映噪声", json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("来电 +86 138-1234-5678", "1234-5678")]
    [InlineData("手机 138 1234 5678", "1234 5678")]
    [InlineData("手机+8613812345678", "13812345678")]
    [InlineData("老身份证 110105900307123", "110105900307123")]
    public void Other_written_forms_of_phones_and_ids_are_masked(string message, string mustNotAppear)
    {
        Assert.DoesNotContain(mustNotAppear, RedactingJsonConsoleFormatter.Render(LogLevel.Information, "Cases", message), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("工单号 20261125000123 已受理", "20261125000123")]
    [InlineData("金额 1234567890", "1234567890")]
    public void Other_numbers_are_left_alone(string message, string kept)
    {
        Assert.Contains(kept, RedactingJsonConsoleFormatter.Render(LogLevel.Information, "Cases", message), StringComparison.Ordinal);
    }
}

/// <summary>
/// A production first start: migrations applied by configuration, no demo data, no well-known password, and the
/// phone-hash key supplied (Production refuses to start without one).
/// </summary>
public sealed class ProductionFirstStartApp() : Community360App(DatabaseProvider.Sqlite)
{
    protected override string Environment => "Production";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Database:MigrateOnStart"] = "true",
        ["Repeats:PhoneHashKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
    };
}

public sealed class ProductionFirstStartTests(ProductionFirstStartApp app) : IClassFixture<ProductionFirstStartApp>
{
    [Fact]
    public async Task Only_the_three_duty_accounts_exist_and_none_has_a_known_password()
    {
        await using var db = app.CreateDbContext();
        var users = await db.Users.OrderBy(u => u.UserName).Select(u => u.UserName).ToListAsync();
        Assert.Equal(["auditadmin", "secadmin", "sysadmin"], users);
        Assert.Empty(await db.OrgUnits.ToListAsync());
        Assert.All(await db.Users.ToListAsync(), u => Assert.True(u.MustChangePassword, $"{u.UserName} keeps a printed password"));

        foreach (var user in users)
        {
            var response = await app.CreateClient().PostJsonAsync("/api/auth/login", new { userName = user, password = Community360App.DemoPassword });
            await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        }
    }
}
