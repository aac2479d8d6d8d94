using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Community360.Tests.Cases.Attachments;
using Community360.Tests.Infrastructure;

namespace Community360.Tests.Cases;

public abstract class CaseRepeatsAndFilesTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : Community360App
{
    private readonly CaseClient _cases = new(app);

    [Fact]
    public async Task The_same_problem_raised_again_is_linked_with_reasons_a_different_one_is_not_and_a_split_is_kept()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var category = await _cases.CategoryIdAsync("生活噪声");
        var place = await _cases.PointInCommunityAsync("110199001005");
        var first = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(category, place, title: "楼上住户夜间噪声扰民",
            description: "春晖社区翠湖苑3号楼702住户每天夜里十二点以后还在拖动家具、大声放音乐，严重影响休息，多次沟通无果。",
            address: "翠湖苑3号楼702", phone: "17011112222"));
        var repeat = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(category, place, title: "三号楼楼上夜间噪声又扰民",
            description: "翠湖苑三号楼702住户每天夜里十二点以后仍然拖动家具、大声放音乐，严重影响休息，上周反映过还没有解决。",
            address: "翠湖苑三号楼", phone: "17033334444"));
        var neighbour = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(await _cases.CategoryIdAsync("楼道堆物"), place, title: "楼道堆放纸箱",
            description: "翠湖苑3号楼二单元楼道里堆满纸箱，堵住通道，存在消防隐患。", address: "翠湖苑3号楼", phone: "17011112222"));

        Assert.NotNull(repeat.RepeatClusterId);
        Assert.Equal(first.Id, repeat.RepeatClusterId);
        Assert.Null(neighbour.RepeatClusterId);
        // Linking is bookkeeping: a dispatcher who opened the first case before the repeat came in can still act on it.
        var dispatchedFirst = await CaseClient.ActAsync(dispatcher, first, "dispatch", new { unitId = await _cases.UnitIdAsync("110199001005") });
        Assert.Equal(first.Id, dispatchedFirst.RepeatClusterId);
        var links = await (await dispatcher.GetAsync($"/api/cases/{repeat.Id}/repeats")).ShouldBeOkAsync<List<JsonElement>>();
        var link = Assert.Single(links);
        Assert.Equal(first.Id, link.GetProperty("earlierCaseId").GetGuid());
        Assert.NotEmpty(link.GetProperty("reasons").EnumerateArray());
        Assert.Contains(link.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()), r => r!.Contains('楼', StringComparison.Ordinal));

        var worker = await app.ClientForAsync("worker2");
        await (await worker.PostAsync($"/api/cases/{repeat.Id}/repeats/{link.GetProperty("id").GetGuid()}/split", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var split = await (await dispatcher.PostAsync($"/api/cases/{repeat.Id}/repeats/{link.GetProperty("id").GetGuid()}/split", null)).ShouldBeOkAsync<JsonElement>();
        Assert.Equal("Split", split.GetProperty("status").GetString());
        var after = await (await dispatcher.GetAsync($"/api/cases/{repeat.Id}")).ShouldBeOkAsync<CaseView>();
        Assert.Null(after.RepeatClusterId);
    }

    [Fact]
    public async Task A_cluster_whose_callback_was_unsatisfied_stands_on_the_list()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var worker = await app.ClientForAsync("worker1");
        var community = await _cases.UnitIdAsync("110199001001");
        var category = await _cases.CategoryIdAsync("路灯故障");
        var place = await _cases.PointInCommunityAsync("110199001001", 4);
        var first = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(category, place, title: "小区门口路灯不亮",
            description: "槐荫里小区东门口的两盏路灯已经坏了一个多星期，晚上一片漆黑，老人出门很危险。", address: "槐荫里小区东门"));
        var dispatched = await CaseClient.ActAsync(dispatcher, first, "dispatch", new { unitId = community });
        var accepted = await CaseClient.ActAsync(worker, await Reload(worker, dispatched), "accept");
        var completed = await CaseClient.ActAsync(worker, accepted, "complete", new { note = "已报修。" });
        await CaseClient.ActAsync(dispatcher, await Reload(dispatcher, completed), "callback", new { contact = "Reached", resolved = false, satisfaction = "Unsatisfied", note = "路灯仍未修好" });
        var again = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(category, place, title: "东门路灯还是不亮",
            description: "槐荫里小区东门口路灯坏了快两周了，上次反映后说报修了，到现在晚上还是黑的。", address: "槐荫里小区东门"));
        Assert.Equal(first.Id, again.RepeatClusterId);

        var standing = await (await dispatcher.GetAsync("/api/cases/repeat-clusters/unsatisfied")).ShouldBeOkAsync<List<JsonElement>>();

        var cluster = Assert.Single(standing, c => c.GetProperty("clusterId").GetGuid() == first.Id);
        Assert.Equal(2, cluster.GetProperty("caseCount").GetInt32());
        Assert.Equal(1, cluster.GetProperty("unsatisfiedCallbacks").GetInt32());
        var links = await (await dispatcher.GetAsync($"/api/cases/{again.Id}/repeats")).ShouldBeOkAsync<List<JsonElement>>();
        Assert.Equal("不满意（未解决）", Assert.Single(links).GetProperty("earlierSatisfaction").GetString());
    }

    [Fact]
    public async Task Photos_keep_their_location_only_for_the_dispatching_office_and_disguised_files_are_refused()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var worker = await app.ClientForAsync("worker1");
        var outsider = await app.ClientForAsync("worker2");
        var community = await _cases.UnitIdAsync("110199001001");
        var received = await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(await _cases.CategoryIdAsync("楼道堆物"), await _cases.PointInCommunityAsync("110199001001", 5)));
        await CaseClient.ActAsync(dispatcher, received, "dispatch", new { unitId = community });
        var photo = AttachmentFixtures.GpsJpeg;

        var uploaded = await (await worker.PostAsync($"/api/cases/{received.Id}/attachments", File(photo, "现场照片.jpg", "image/jpeg"))).ShouldBeOkAsync<JsonElement>(HttpStatusCode.Created);
        var url = uploaded.GetProperty("url").GetString();

        var original = await (await dispatcher.GetAsync(url)).Content.ReadAsByteArrayAsync();
        var forHandler = await worker.GetAsync(url);
        var handlerBytes = await forHandler.Content.ReadAsByteArrayAsync();
        Assert.Equal(photo, original);
        Assert.Equal("image/jpeg", forHandler.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", forHandler.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(HasApp1(photo));
        Assert.False(HasApp1(handlerBytes));
        Assert.Equal([0xFF, 0xD8], handlerBytes[..2]);
        await (await outsider.GetAsync(url)).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        var html = "<html><script>alert(1)</script></html>"u8.ToArray();
        var refused = await (await worker.PostAsync($"/api/cases/{received.Id}/attachments", File(html, "照片.jpg", "image/jpeg"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(refused.FieldErrors("file"));
        var list = await (await dispatcher.GetAsync($"/api/cases/{received.Id}/attachments")).ShouldBeOkAsync<List<JsonElement>>();
        Assert.Single(list);
    }

    [Fact]
    public async Task The_list_pages_by_cursor_without_gaps_or_repeats_and_filters_combine()
    {
        var dispatcher = await app.ClientForAsync("dispatcher");
        var category = await _cases.CategoryIdAsync("楼道堆物");
        for (var i = 0; i < 7; i++)
        {
            await CaseClient.ReceiveAsync(dispatcher, CaseClient.Intake(category, await _cases.PointInCommunityAsync("110199001006", i % 3),
                title: FormattableString.Invariant($"分页测试{i}号楼楼道堆物"), description: FormattableString.Invariant($"丰泽里第{i}号楼楼道堆满杂物，请清理。")));
            app.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        var seen = new List<Guid>();
        string? cursor = null;
        int? total = null;
        do
        {
            var page = await (await dispatcher.GetAsync($"/api/cases?text=分页测试&limit=3{(cursor is null ? "" : "&after=" + cursor)}")).ShouldBeOkAsync<JsonElement>();
            total ??= page.GetProperty("total").GetInt32();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("next").GetString();
        }
        while (cursor is not null);

        Assert.Equal(7, total);
        Assert.Equal(7, seen.Count);
        Assert.Equal(7, seen.Distinct().Count());
        var received = await (await dispatcher.GetAsync("/api/cases?text=分页测试&state=Received&type=CitizenDemand&channel=Hotline12345&limit=50")).ShouldBeOkAsync<JsonElement>();
        Assert.Equal(7, received.GetProperty("total").GetInt32());
        var none = await (await dispatcher.GetAsync("/api/cases?text=分页测试&state=Closed")).ShouldBeOkAsync<JsonElement>();
        Assert.Equal(0, none.GetProperty("total").GetInt32());
        await (await dispatcher.GetAsync("/api/cases?after=garbage")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    private static async Task<CaseView> Reload(HttpClient client, CaseView @case) =>
        await (await client.GetAsync($"/api/cases/{@case.Id}")).ShouldBeOkAsync<CaseView>();

    private static MultipartFormDataContent File(byte[] bytes, string name, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return new MultipartFormDataContent { { content, "file", name } };
    }

    private static bool HasApp1(byte[] jpeg)
    {
        for (var i = 2; i + 3 < jpeg.Length && jpeg[i] == 0xFF;)
        {
            var marker = jpeg[i + 1];
            if (marker == 0xE1)
            {
                return true;
            }
            if (marker == 0xDA)
            {
                return false;
            }
            i += 2 + (jpeg[i + 2] << 8 | jpeg[i + 3]);
        }
        return false;
    }
}

public sealed class CaseRepeatsAndFilesTestsOnSqlite(SqliteApp app) : CaseRepeatsAndFilesTests<SqliteApp>(app);

public sealed class CaseRepeatsAndFilesTestsOnPostgres(PostgresApp app) : CaseRepeatsAndFilesTests<PostgresApp>(app);
