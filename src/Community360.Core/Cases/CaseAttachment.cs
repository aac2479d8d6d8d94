using Community360.Cases.Attachments;
using Community360.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Community360.Cases;

/// <summary>A photo or PDF of a case, stored outside the database by its SHA-256 (see <see cref="AttachmentStore"/>).</summary>
public sealed class CaseAttachment : IHasOwnEventLog
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid CaseId { get; init; }
    public required string FileName { get; init; }
    public required string ContentType { get; init; }
    public long SizeBytes { get; init; }
    public required string Sha256 { get; init; }
    public required string StorageKey { get; init; }
    public bool HadLocation { get; init; }
    public bool HasPublicCopy { get; init; }
    public DateTime UploadedAt { get; init; }
    public Guid? UploadedBy { get; init; }
    public required string UploadedByName { get; init; }

    public static CaseAttachment From(Guid caseId, StoredAttachment stored, Guid? userId, string userName, DateTime at) => new()
    {
        CaseId = caseId,
        FileName = stored.SafeFileName,
        ContentType = stored.ContentType,
        SizeBytes = stored.SizeBytes,
        Sha256 = stored.Sha256,
        StorageKey = stored.StorageKey,
        HadLocation = stored.HadLocation,
        HasPublicCopy = stored.HasPublicCopy,
        UploadedAt = at,
        UploadedBy = userId,
        UploadedByName = userName,
    };
}

internal sealed class CaseAttachmentConfiguration : IEntityTypeConfiguration<CaseAttachment>
{
    public void Configure(EntityTypeBuilder<CaseAttachment> builder)
    {
        builder.Property(a => a.FileName).HasMaxLength(100);
        builder.Property(a => a.ContentType).HasMaxLength(50);
        builder.Property(a => a.Sha256).HasMaxLength(64);
        builder.Property(a => a.StorageKey).HasMaxLength(100);
        builder.Property(a => a.UploadedByName).HasMaxLength(100);
        builder.HasIndex(a => a.CaseId);
        builder.HasOne<Case>().WithMany().HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RepeatLinkConfiguration : IEntityTypeConfiguration<RepeatLink>
{
    public void Configure(EntityTypeBuilder<RepeatLink> builder)
    {
        builder.Property(l => l.Reasons).HasMaxLength(2000);
        builder.Property(l => l.DecidedBy).HasMaxLength(100);
        builder.HasIndex(l => l.CaseId);
        builder.HasIndex(l => l.EarlierCaseId);
        builder.HasIndex(l => new { l.Status, l.DecidedAt });
    }
}
