using Community360.Auditing;
using Community360.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Community360.Web.Auditing;

/// <summary>/api/audit: the AuditAdmin reads the trail and verifies its hash chain.</summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/audit").WithTags("审计").RequireAuthorization(nameof(Permission.ReadAudit));
        api.MapGet("/", List).WithName("ListAuditEntries").WithSummary("审计日志（新到旧，before 为翻页游标）").ProducesProblem(403);
        api.MapGet("/verify", Verify).WithName("VerifyAuditChain").WithSummary("校验审计日志哈希链，报告第一条被篡改或缺失的记录").ProducesProblem(403);
        return api;
    }

    public static async Task<Ok<AuditPage>> List([AsParameters] AuditQuery query, Caller caller, AuditHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.ListAsync(caller, query, ct));

    public static async Task<Ok<AuditVerification>> Verify(Caller caller, AuditHandlers handlers, CancellationToken ct) =>
        TypedResults.Ok(await handlers.VerifyAsync(caller, ct));
}
