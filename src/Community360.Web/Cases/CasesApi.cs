using Community360.Cases;
using Community360.Cases.Attachments;
using Community360.Common;
using Community360.Data;
using Community360.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Community360.Web.Cases;

public sealed record RevealRequest(string? Reason);

public sealed record AttachmentDto(Guid Id, string FileName, string ContentType, long SizeBytes, string Sha256, DateTime UploadedAt, string UploadedByName, string Url);

/// <summary>/api/cases: intake, the 接诉即办 actions, timeline, routing suggestion, repeats and attachments.</summary>
public static class CasesApi
{
    private const string ActionErrors = "状态不允许时返回 409（说明当前状态和可执行的操作）；无权执行返回 403；输入有误返回 400；他人已先修改返回 409。";

    public static RouteGroupBuilder MapCasesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cases").WithTags("工单").RequireAuthorization();
        api.MapGet("/", List).WithName("ListCases").WithSummary("工单列表（筛选、游标分页、总数）")
            .WithDescription("按待办箱（inbox）、状态、类型、渠道、分类、承办单位、网格、社区、是否未结束（open）、是否超期、是否临期（dueSoon）、是否重复、"
                + "重复簇、回访结果和时间（from、to 为北京时间，dateBasis 指定受理、派单、办结、结案、回访时间或办理时限）和关键词筛选；"
                + "sort 为 NewestReceived（默认）、OldestReceived、DueSoonest、RecentlyUpdated；after 为同一排序下上一页返回的 next 游标。");
        api.MapGet("/inbox-counts", InboxCounts).WithName("CaseInboxCounts").WithSummary("我的待办：各待办箱的工单数、超期数、临期数")
            .WithDescription("按角色列出调用者的待办箱（待受理、待派单、待签收、处置中、待核查、待回访、待结案）。用 GET /api/cases?inbox={inbox} 可列出其中的工单。");
        api.MapPost("/repeat-check", RepeatCheck).WithName("CaseRepeatCheck").WithSummary("登记前查重：可能重复的既往工单（不保存）")
            .WithDescription("按已填写的标题、内容、地址、位置、分类、社区和电话，返回调用者可见范围内最可能重复的 5 件工单及理由。")
            .ProducesValidationProblem().ProducesProblem(403);
        api.MapPost("/", Receive).WithName("ReceiveCase").WithSummary("受理登记")
            .WithDescription("同一渠道的同一外部工单号重复推送时返回已有工单（200），不会重复创建。有坐标时自动定位网格和社区。")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);
        api.MapGet("/{id:guid}", Get).WithName("GetCase").WithSummary("工单详情（含当前可执行的操作）").ProducesProblem(404);
        api.MapGet("/{id:guid}/timeline", Timeline).WithName("CaseTimeline").WithSummary("办理过程（不可修改的事件记录）").ProducesProblem(404);
        api.MapGet("/{id:guid}/routing", Routing).WithName("CaseRoutingSuggestion").WithSummary("派单建议：网格、社区、承办单位、条线及理由").ProducesProblem(404);
        api.MapPost("/{id:guid}/complainant/reveal", Reveal).WithName("RevealComplainant").WithSummary("查看诉求人完整信息（须填写理由，留痕审计）")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        api.MapGet("/{id:guid}/repeats", Repeats).WithName("CaseRepeats").WithSummary("重复诉求关联及以往办理结果").ProducesProblem(404);
        api.MapPost("/{id:guid}/repeats/{linkId:guid}/confirm", ConfirmRepeat).WithName("ConfirmRepeat").WithSummary("确认为重复诉求").ProducesProblem(403).ProducesProblem(404);
        api.MapPost("/{id:guid}/repeats/{linkId:guid}/split", SplitRepeat).WithName("SplitRepeat").WithSummary("拆分：不是同一问题").ProducesProblem(403).ProducesProblem(404);
        api.MapGet("/repeat-clusters/unsatisfied", UnsatisfiedClusters).WithName("UnsatisfiedRepeatClusters").WithSummary("反复反映且不满意清单");
        api.MapGet("/{id:guid}/attachments", Attachments).WithName("ListCaseAttachments").WithSummary("附件列表").ProducesProblem(404);
        api.MapPost("/{id:guid}/attachments", Upload).WithName("UploadCaseAttachment").WithSummary("上传附件（JPG、PNG、WebP 图片或 PDF）")
            .DisableAntiforgery().Accepts<IFormFile>("multipart/form-data")
            .WithMetadata(new RequestSizeLimitAttribute(AttachmentOptions.DefaultMaxBytes + 64 * 1024))
            .ProducesValidationProblem().ProducesProblem(404).ProducesProblem(413);
        api.MapGet("/{id:guid}/attachments/{attachmentId:guid}", Download).WithName("DownloadCaseAttachment").WithSummary("下载附件（指挥中心以外去除照片位置信息）").ProducesProblem(404);

        foreach (var (route, action, summary) in Actions)
        {
            api.MapPost($"/{{id:guid}}/{route}", (Guid id, CaseActionInput input, Caller caller, CaseHandlers handlers, CancellationToken ct) => Act(id, action, input, caller, handlers, ct))
                .WithName($"Case{action}").WithSummary(summary).WithDescription(ActionErrors)
                .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        }

        app.MapGet("/api/case-categories", Categories).WithTags("工单").RequireAuthorization().WithName("ListCaseCategories").WithSummary("诉求分类（两级）及时限");
        app.MapCaseCategoriesAdminApi();
        return api;
    }

    private static readonly (string Route, CaseAction Action, string Summary)[] Actions =
    [
        ("verify-report", CaseAction.VerifyReport, "核实（网格事件派单前现场核实）"),
        ("dispatch", CaseAction.Dispatch, "派单（unitId 承办单位，coHandlerIds 协办单位；未定位的工单须给出 communityId）"),
        ("accept", CaseAction.Accept, "签收（contactedAt 联系诉求人时间）"),
        ("return", CaseAction.Return, "退单（note 必填理由）"),
        ("reassign", CaseAction.Reassign, "改派"),
        ("extension/request", CaseAction.RequestExtension, "申请延期（requestedDueAt，note 理由）"),
        ("extension/approve", CaseAction.ApproveExtension, "批准延期"),
        ("extension/deny", CaseAction.DenyExtension, "驳回延期（note 理由）"),
        ("suspend", CaseAction.Suspend, "挂起（计时暂停，note 理由）"),
        ("resume", CaseAction.Resume, "恢复办理（时限顺延挂起的工作时间）"),
        ("complete", CaseAction.Complete, "办结（note 办理结果）"),
        ("verify-pass", CaseAction.VerifyPass, "现场核查通过"),
        ("verify-fail", CaseAction.VerifyFail, "现场核查不通过，返工（note 原因）"),
        ("callback", CaseAction.Callback, "回访（contact；联系上时 resolved、satisfaction 必填）"),
        ("reopen", CaseAction.Reopen, "重新办理（未解决或不满意，note 原因）"),
        ("close", CaseAction.Close, "结案"),
        ("void", CaseAction.Void, "作废（note 理由）"),
        ("merge", CaseAction.Merge, "合并到另一工单（targetCaseId）"),
        ("supervise", CaseAction.Supervise, "督办（note 督办意见）"),
        ("leader", CaseAction.AssignLeader, "领导包案（leaderUserId）"),
    ];

    public static async Task<Ok<CasePage>> List([AsParameters] CaseQuery query, Caller caller, CaseHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.ListAsync(caller, query, ct));

    public static async Task<Ok<IReadOnlyList<InboxCountDto>>> InboxCounts(Caller caller, CaseHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.InboxCountsAsync(caller, ct));

    public static async Task<Ok<IReadOnlyList<RepeatPreviewDto>>> RepeatCheck(RepeatDraft draft, Caller caller, CaseRepeats repeats, CancellationToken ct) =>
        TypedResults.Ok(await repeats.PreviewAsync(caller, draft, ct));

    public static async Task<Results<Created<CaseDetailDto>, Ok<CaseDetailDto>>> Receive(CaseIntakeInput input, Caller caller, CaseHandlers handlers, CancellationToken ct)
    {
        var (@case, created) = await handlers.ReceiveAsync(caller, input, ct);
        return created ? TypedResults.Created($"/api/cases/{@case.Id}", @case) : TypedResults.Ok(@case);
    }

    public static async Task<Ok<CaseDetailDto>> Get(Guid id, Caller caller, CaseHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.GetAsync(caller, id, ct));

    public static async Task<Ok<IReadOnlyList<CaseEventDto>>> Timeline(Guid id, Caller caller, CaseHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.TimelineAsync(caller, id, ct));

    public static async Task<Ok<RoutingSuggestion>> Routing(Guid id, Caller caller, CaseHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.SuggestRoutingAsync(caller, id, ct));

    public static async Task<Ok<ComplainantDto>> Reveal(Guid id, RevealRequest request, Caller caller, CaseHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.RevealComplainantAsync(caller, id, request.Reason, ct));

    public static async Task<Ok<IReadOnlyList<RepeatLinkDto>>> Repeats(Guid id, Caller caller, CaseHandlers handlers, CaseRepeats repeats, CancellationToken ct)
    {
        await handlers.GetAsync(caller, id, ct);
        return TypedResults.Ok(await repeats.LinksAsync(id, ct));
    }

    public static async Task<Ok<RepeatLinkDto>> ConfirmRepeat(Guid id, Guid linkId, Caller caller, CaseHandlers handlers, CaseRepeats repeats, CancellationToken ct)
    {
        await handlers.GetAsync(caller, id, ct);
        return TypedResults.Ok(await repeats.DecideAsync(caller, id, linkId, confirm: true, ct));
    }

    public static async Task<Ok<RepeatLinkDto>> SplitRepeat(Guid id, Guid linkId, Caller caller, CaseHandlers handlers, CaseRepeats repeats, CancellationToken ct)
    {
        await handlers.GetAsync(caller, id, ct);
        return TypedResults.Ok(await repeats.DecideAsync(caller, id, linkId, confirm: false, ct));
    }

    public static async Task<Ok<IReadOnlyList<RepeatClusterDto>>> UnsatisfiedClusters(Caller caller, CaseHandlers handlers, CaseRepeats repeats, CancellationToken ct) =>
        TypedResults.Ok(await repeats.UnsatisfiedClustersAsync(handlers.VisibleCases(caller), ct));

    public static async Task<Ok<CaseDetailDto>> Act(Guid id, CaseAction action, CaseActionInput input, Caller caller, CaseHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.ActAsync(caller, id, action, input, ct));

    public static async Task<Ok<IReadOnlyList<AttachmentDto>>> Attachments(Guid id, Caller caller, CaseConsoleHandlers console, CancellationToken ct) =>
        TypedResults.Ok(await console.AttachmentsAsync(caller, id, ct));

    public static async Task<Created<AttachmentDto>> Upload(Guid id, IFormFile? file, Caller caller, CaseConsoleHandlers console, CancellationToken ct)
    {
        await using var content = file?.OpenReadStream();
        var attachment = await console.UploadAsync(caller, id, content, file?.FileName, ct);
        return TypedResults.Created(attachment.Url, attachment);
    }

    public static async Task<IResult> Download(Guid id, Guid attachmentId, HttpContext context, Caller caller, CaseHandlers handlers, AttachmentStore store, AppDbContext db, CancellationToken ct)
    {
        await handlers.GetAsync(caller, id, ct);
        var attachment = await db.CaseAttachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == attachmentId && a.CaseId == id, ct)
            ?? throw new NotFoundException("附件");
        var stream = store.OpenRead(attachment.StorageKey, forPublic: !CasePolicy.SeesOriginalPhotos(caller));
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        context.Response.Headers["Content-Security-Policy"] = "sandbox";
        // PDFs can carry script: always downloaded, never rendered inline by the app's origin.
        var inline = attachment.ContentType != "application/pdf";
        return TypedResults.File(stream, attachment.ContentType, inline ? null : attachment.FileName, enableRangeProcessing: true);
    }

    public static async Task<Ok<IReadOnlyList<CategoryDto>>> Categories(CaseHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.CategoriesAsync(ct));
}
