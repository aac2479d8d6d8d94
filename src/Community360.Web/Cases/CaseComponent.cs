using Community360.Cases.Attachments;
using Community360.Web.Components.Shared;
using Microsoft.AspNetCore.Components.Forms;

namespace Community360.Web.Cases;

/// <summary>A console component of the case pages: adds uploading photos and documents to a case.</summary>
public abstract class CaseComponent : ConsoleComponent
{
    /// <summary>
    /// Uploads the files one by one through the attachment store, as POST /api/cases/{id}/attachments does; stops at
    /// the first refusal, which lands in <see cref="ConsoleComponent.Problem"/> under the field "file".
    /// </summary>
    protected async Task<bool> UploadFilesAsync(Guid caseId, IReadOnlyList<IBrowserFile> files, long maxBytes)
    {
        foreach (var file in files)
        {
            if (file.Size > maxBytes)
            {
                Problem = FormProblem.From(AttachmentErrors.TooLarge(maxBytes));
                return false;
            }
            await using var content = file.OpenReadStream(maxBytes);
            var (ok, _) = await TryAsync<CaseConsoleHandlers, AttachmentDto>((h, caller) => h.UploadAsync(caller, caseId, content, file.Name, CancellationToken.None));
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }
}
