using System.Net;
using System.Text.Json;
using Community360.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Community360.Tests.Cases;

public abstract class CaseRepeatPreviewTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : Community360App
{
    private readonly CaseClient _cases = new(app);

    [Fact]
    public async Task A_draft_that_repeats_a_visible_case_is_reported_with_reasons_and_intake_then_links_the_same_case()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var category = await _cases.CategoryIdAsync("生活噪声");
        var place = await _cases.PointInCommunityAsync("110199001001", 3);
        var earlier = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(category, place, title: "楼上住户夜间噪声扰民",
            description: "槐荫里5号楼601住户每天夜里十二点以后还在拖动家具、大声放音乐，严重影响休息，多次沟通无果。",
            address: "槐荫里5号楼601", phone: "17022223333"));
        await using var db = app.CreateDbContext();
        var before = await db.Cases.CountAsync();
        var draft = new
        {
            title = "五号楼楼上夜间噪声又扰民",
            description = "槐荫里五号楼601住户每天夜里十二点以后仍然拖动家具、大声放音乐，严重影响休息，上周反映过还没有解决。",
            address = "槐荫里五号楼",
            longitude = place.Lon,
            latitude = place.Lat,
            categoryId = category,
            complainantPhone = "17044445555",
        };

        var preview = await (await dispatcher.PostJsonAsync("/api/cases/repeat-check", draft)).ShouldBeOkAsync<List<JsonElement>>();

        var hit = Assert.Single(preview, p => p.GetProperty("caseId").GetGuid() == earlier.Id);
        Assert.Equal(earlier.Number, hit.GetProperty("number").GetString());
        Assert.Equal("已受理", hit.GetProperty("stateName").GetString());
        Assert.True(hit.GetProperty("score").GetDouble() > 0);
        var reasons = hit.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.NotEmpty(reasons);
        Assert.All(reasons, r => Assert.True(ApiAssertions.IsChinese(r), r));
        Assert.Equal(before, await db.Cases.CountAsync());

        // Intake of the same draft links the case the preview named.
        var received = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(category, place, title: draft.title, description: draft.description,
            address: draft.address, phone: draft.complainantPhone));
        Assert.Equal(earlier.Id, received.RepeatClusterId);
    }

    [Fact]
    public async Task An_unrelated_draft_finds_nothing_and_a_case_out_of_scope_is_not_revealed()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var outsider = await app.ClientForAsync("worker2");
        var insider = await app.ClientForAsync("worker1");
        var category = await _cases.CategoryIdAsync("路灯故障");
        var place = await _cases.PointInCommunityAsync("110199001001", 5);
        var earlier = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(category, place, title: "小区北门路灯不亮",
            description: "槐荫里小区北门口的三盏路灯坏了十来天，晚上一片漆黑，老人出门很危险。", address: "槐荫里小区北门"));
        var draft = new
        {
            title = "北门路灯还是不亮",
            description = "槐荫里小区北门口路灯坏了快两周了，晚上还是黑的，老人出门很危险。",
            address = "槐荫里小区北门",
            categoryId = category,
        };

        var seen = await (await insider.PostJsonAsync("/api/cases/repeat-check", draft)).ShouldBeOkAsync<List<JsonElement>>();
        var hidden = await (await outsider.PostJsonAsync("/api/cases/repeat-check", draft)).ShouldBeOkAsync<List<JsonElement>>();
        var unrelated = await (await dispatcher.PostJsonAsync("/api/cases/repeat-check", new
        {
            title = "企业咨询稳岗补贴申领",
            description = "公司想了解今年稳岗返还补贴的申请条件和需要准备的材料。",
            categoryId = await _cases.CategoryIdAsync("楼道堆物"),
        })).ShouldBeOkAsync<List<JsonElement>>();

        Assert.Contains(seen, p => p.GetProperty("caseId").GetGuid() == earlier.Id);
        Assert.DoesNotContain(hidden, p => p.GetProperty("caseId").GetGuid() == earlier.Id);
        Assert.Empty(unrelated);
        var department = await app.ClientForAsync("dept1");
        await (await department.PostJsonAsync("/api/cases/repeat-check", draft)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var bad = await (await dispatcher.PostJsonAsync("/api/cases/repeat-check", new { title = "路灯", longitude = 116.4 })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(bad.FieldErrors("latitude"));
    }
}

public sealed class CaseRepeatPreviewTestsOnSqlite(SqliteApp app) : CaseRepeatPreviewTests<SqliteApp>(app);

public sealed class CaseRepeatPreviewTestsOnPostgres(PostgresApp app) : CaseRepeatPreviewTests<PostgresApp>(app);
