using System.Net;
using Community360.Auditing;
using Community360.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Community360.Tests.Auditing;

/// <summary>Tampering needs an app of its own: a broken chain would fail every other class's verification.</summary>
public abstract class AuditChainTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : Community360App
{
    [Fact]
    public async Task The_chain_verifies_and_reports_the_first_edited_or_deleted_row()
    {
        var auditor = await app.ClientForAsync("auditadmin");
        var intact = await (await auditor.GetAsync("/api/audit/verify")).ShouldBeOkAsync<AuditVerificationView>();
        Assert.True(intact.IsIntact, intact.Message);
        Assert.True(intact.RowsChecked > 100, $"the demo seed alone writes hundreds of rows, saw {intact.RowsChecked}");

        await using var db = app.CreateDbContext();
        var victim = await db.AuditEntries.Where(e => e.Action == AuditActions.EntityCreated).OrderBy(e => e.Sequence).Skip(10).Select(e => new { e.Sequence, e.Details }).FirstAsync();
        await db.Database.ExecuteSqlAsync($"""UPDATE "AuditEntries" SET "Details" = {victim.Details.Replace("示例", "篡改", StringComparison.Ordinal) + " "} WHERE "Sequence" = {victim.Sequence}""");

        var edited = await (await auditor.GetAsync("/api/audit/verify")).ShouldBeOkAsync<AuditVerificationView>();
        Assert.False(edited.IsIntact);
        Assert.Equal(victim.Sequence, edited.FirstBrokenSequence);
        Assert.Contains("篡改", edited.Message, StringComparison.Ordinal);

        await db.Database.ExecuteSqlAsync($"""UPDATE "AuditEntries" SET "Details" = {victim.Details} WHERE "Sequence" = {victim.Sequence}""");
        Assert.True((await (await auditor.GetAsync("/api/audit/verify")).ShouldBeOkAsync<AuditVerificationView>()).IsIntact);

        var deleted = victim.Sequence + 5;
        await db.Database.ExecuteSqlAsync($"""DELETE FROM "AuditEntries" WHERE "Sequence" = {deleted}""");
        var gap = await (await auditor.GetAsync("/api/audit/verify")).ShouldBeOkAsync<AuditVerificationView>();
        Assert.False(gap.IsIntact);
        Assert.Equal(deleted, gap.FirstBrokenSequence);
        Assert.Contains("缺失", gap.Message, StringComparison.Ordinal);
    }
}

public sealed class AuditChainTestsOnSqlite(SqliteApp app) : AuditChainTests<SqliteApp>(app);

public sealed class AuditChainTestsOnPostgres(PostgresApp app) : AuditChainTests<PostgresApp>(app);

public abstract class AuditTrailTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : Community360App
{
    [Fact]
    public async Task Concurrent_changes_keep_the_chain_gap_free_and_intact()
    {
        var admin = await app.ClientForAsync("sysadmin");
        var compoundId = await FirstCompoundAsync();
        var writes = Enumerable.Range(1, 24).Select(i => admin.PostJsonAsync("/api/buildings",
            new { compoundId, name = FormattableString.Invariant($"并发{i}号楼"), floors = 6 }));

        var responses = await Task.WhenAll(writes);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var auditor = await app.ClientForAsync("auditadmin");
        var verification = await (await auditor.GetAsync("/api/audit/verify")).ShouldBeOkAsync<AuditVerificationView>();
        Assert.True(verification.IsIntact, verification.Message);
    }

    [Fact]
    public async Task Each_change_is_recorded_with_its_actor_and_personal_data_is_never_written_into_the_trail()
    {
        var admin = await app.ClientForAsync("sysadmin");
        var streetId = await StreetIdAsync();
        var created = await (await admin.PostJsonAsync("/api/org-units", new { kind = "PartnerUnit", name = "审计测试单位", code = "AUDIT01", parentId = streetId, contactPerson = "王敏", contactPhone = "13912345678" }))
            .ShouldBeOkAsync<OrgUnitView>(HttpStatusCode.Created);
        Assert.Equal("139****5678", created.ContactPhone);

        var auditor = await app.ClientForAsync("auditadmin");
        var page = await (await auditor.GetAsync($"/api/audit?entityType=OrgUnit&entityId={created.Id}")).ShouldBeOkAsync<AuditPageView>();
        var entry = Assert.Single(page.Items);
        Assert.Equal("sysadmin", entry.ActorName);
        Assert.Equal(AuditActions.EntityCreated, entry.Action);
        Assert.Contains("审计测试单位", entry.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("13912345678", entry.Details, StringComparison.Ordinal);
        Assert.Contains("不记录", entry.Details, StringComparison.Ordinal);

        await using var db = app.CreateDbContext();
        Assert.False(await db.AuditEntries.AnyAsync(e => e.Details.Contains("13912345678")));
    }

    [Fact]
    public async Task Sign_ins_are_audited_and_only_the_audit_admin_reads_the_trail()
    {
        await app.ClientForAsync("leader");
        var auditor = await app.ClientForAsync("auditadmin");
        var signIns = await (await auditor.GetAsync($"/api/audit?action={AuditActions.SignInSucceeded}&limit=500")).ShouldBeOkAsync<AuditPageView>();
        Assert.Contains(signIns.Items, e => e.ActorName == "leader");

        foreach (var user in new[] { "sysadmin", "secadmin", "leader", "worker1" })
        {
            var client = await app.ClientForAsync(user);
            await (await client.GetAsync("/api/audit")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
            await (await client.GetAsync("/api/audit/verify")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task An_auditor_scoped_to_a_community_reads_only_that_subtree()
    {
        var admin = await app.ClientForAsync("sysadmin");
        var security = await app.ClientForAsync("secadmin");
        await using var db = app.CreateDbContext();
        var communityA = await db.OrgUnits.SingleAsync(o => o.Code == "110199001001");
        var created = await (await admin.PostJsonAsync("/api/users", new { userName = "auditor-a", displayName = "甲社区审计员", unitId = communityA.Id, password = "Audit#A2026x" }))
            .ShouldBeOkAsync<CreatedUserView>(HttpStatusCode.Created);
        await (await security.PutJsonAsync($"/api/users/{created.User.Id}/roles", new { roles = new[] { "AuditAdmin" }, version = created.User.Version })).ShouldBeOkAsync<UserView>();
        var auditor = await app.ClientForNewAccountAsync("auditor-a", "Audit#A2026x");

        var page = await (await auditor.GetAsync("/api/audit?limit=500")).ShouldBeOkAsync<AuditPageView>();

        Assert.NotEmpty(page.Items);
        var sequences = page.Items.Select(i => i.Sequence).ToList();
        var paths = await db.AuditEntries.Where(e => sequences.Contains(e.Sequence)).Select(e => e.ScopePath).ToListAsync();
        Assert.All(paths, p => Assert.StartsWith(communityA.ScopePath, p, StringComparison.Ordinal));
        Assert.True(await db.AuditEntries.AnyAsync(e => !e.ScopePath.StartsWith(communityA.ScopePath)), "the trail holds rows of other places that must stay hidden");
    }

    [Fact]
    public async Task The_trail_pages_backwards_with_a_cursor()
    {
        var auditor = await app.ClientForAsync("auditadmin");
        var first = await (await auditor.GetAsync("/api/audit?limit=5")).ShouldBeOkAsync<AuditPageView>();
        Assert.Equal(5, first.Items.Count);
        Assert.NotNull(first.NextBefore);

        var second = await (await auditor.GetAsync($"/api/audit?limit=5&before={first.NextBefore}")).ShouldBeOkAsync<AuditPageView>();

        // The auditor sees only its subtree, so system rows (scope "/") written by other tests leave gaps
        // in the sequence: the expected page is the next five visible rows, read straight from the table.
        await using var db = app.CreateDbContext();
        var scope = await db.Users.Where(u => u.UserName == "auditadmin").Select(u => u.ScopePath).SingleAsync();
        var expected = await db.AuditEntries
            .Where(e => e.Sequence < first.NextBefore!.Value && e.ScopePath.StartsWith(scope))
            .OrderByDescending(e => e.Sequence).Take(5).Select(e => e.Sequence).ToListAsync();
        Assert.Equal(5, expected.Count);
        Assert.Equal(expected, second.Items.Select(e => e.Sequence));
    }

    private async Task<Guid> FirstCompoundAsync()
    {
        await using var db = app.CreateDbContext();
        return await db.Compounds.OrderBy(c => c.Name).Select(c => c.Id).FirstAsync();
    }

    private async Task<Guid> StreetIdAsync()
    {
        await using var db = app.CreateDbContext();
        return await db.OrgUnits.Where(o => o.Code == "110199001").Select(o => o.Id).SingleAsync();
    }
}

public sealed class AuditTrailTestsOnSqlite(SqliteApp app) : AuditTrailTests<SqliteApp>(app);

public sealed class AuditTrailTestsOnPostgres(PostgresApp app) : AuditTrailTests<PostgresApp>(app);
