using Community360.Cases;
using Community360.Cases.Attachments;
using Community360.Common;
using Community360.Data;
using Community360.Identity;
using Microsoft.EntityFrameworkCore;

namespace Community360.Web.Cases;

public sealed record LeaderOption(Guid Id, string DisplayName);

/// <summary>
/// What the console's case pages need besides <see cref="CaseHandlers"/>: attachments, repeat links, categories and
/// pickers, with the same scope checks the API applies (the case must be visible before anything of it is read).
/// </summary>
public sealed class CaseConsoleHandlers(AppDbContext db, CaseHandlers handlers, CaseRepeats repeats, AttachmentStore store)
{
    public long MaxAttachmentBytes => store.MaxBytes;

    public async Task<IReadOnlyList<AttachmentDto>> AttachmentsAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await handlers.GetAsync(caller, id, ct);
        var items = await db.CaseAttachments.AsNoTracking().Where(a => a.CaseId == id).OrderBy(a => a.UploadedAt).ToListAsync(ct);
        return items.ConvertAll(ToDto);
    }

    public async Task<AttachmentDto> UploadAsync(Caller caller, Guid id, Stream? content, string? fileName, CancellationToken ct)
    {
        var @case = await handlers.GetAsync(caller, id, ct);
        if (@case.AllowedActions.Count == 0 && !CasePolicy.IsDispatchOffice(caller))
        {
            throw new ForbiddenException("该工单已结束或您当前不能为其补充附件。");
        }
        if (content is null)
        {
            throw ValidationException.For(AttachmentErrors.Field, "请选择要上传的文件。");
        }
        var stored = await store.SaveAsync(content, fileName, ct);
        var attachment = CaseAttachment.From(id, stored, caller.UserId, caller.DisplayName, db.Clock.GetUtcNow().UtcDateTime);
        db.CaseAttachments.Add(attachment);
        await db.SaveChangesAsync(ct);
        return ToDto(attachment);
    }

    public async Task<IReadOnlyList<RepeatLinkDto>> RepeatLinksAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await handlers.GetAsync(caller, id, ct);
        return await repeats.LinksAsync(id, ct);
    }

    public async Task<RepeatLinkDto> DecideRepeatAsync(Caller caller, Guid id, Guid linkId, bool confirm, CancellationToken ct)
    {
        await handlers.GetAsync(caller, id, ct);
        return await repeats.DecideAsync(caller, id, linkId, confirm, ct);
    }

    /// <summary>The categories of both levels, in code order (a parent before its children).</summary>
    public Task<IReadOnlyList<CategoryDto>> CategoriesAsync(CancellationToken ct) => handlers.CategoriesAsync(ct);

    /// <summary>Street leaders the caller may put in charge of a case (领导包案).</summary>
    public async Task<IReadOnlyList<LeaderOption>> LeadersAsync(Caller caller, CancellationToken ct) =>
        await db.Users.InScopeOf(caller)
            .Where(u => !u.IsDisabled && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.StreetLeader)))
            .OrderBy(u => u.DisplayName)
            .Select(u => new LeaderOption(u.Id, u.DisplayName))
            .ToListAsync(ct);

    /// <summary>A case the caller sees, by its number (for merging into it); null when there is none.</summary>
    public async Task<Guid?> FindVisibleByNumberAsync(Caller caller, string? number, CancellationToken ct)
    {
        var wanted = number?.Trim();
        if (string.IsNullOrEmpty(wanted))
        {
            return null;
        }
        return await handlers.VisibleCases(caller).Where(c => c.Number == wanted).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
    }

    internal static AttachmentDto ToDto(CaseAttachment a) =>
        new(a.Id, a.FileName, a.ContentType, a.SizeBytes, a.Sha256, a.UploadedAt, a.UploadedByName, $"/api/cases/{a.CaseId}/attachments/{a.Id}");
}
