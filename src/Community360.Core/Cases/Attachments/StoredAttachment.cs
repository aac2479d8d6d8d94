namespace Community360.Cases.Attachments;

/// <summary>
/// A file kept by <see cref="AttachmentStore"/>. <see cref="StorageKey"/> is "{first two hex}/{sha256}{ext}", relative
/// to the store's root; the same bytes always get the same key.
/// </summary>
/// <param name="Sha256">Lower-case hex SHA-256 of the original bytes.</param>
/// <param name="SizeBytes">Size of the original.</param>
/// <param name="ContentType">From the sniffed content: image/jpeg, image/png, image/webp or application/pdf.</param>
/// <param name="Extension">".jpg", ".png", ".webp" or ".pdf", from the sniffed content.</param>
/// <param name="StorageKey">Where the original lives under the store's root.</param>
/// <param name="HadLocation">The original carries GPS coordinates; only the public copy may leave the dispatching office.</param>
/// <param name="HasPublicCopy">A copy without Exif/XMP/IPTC exists and is what <see cref="AttachmentStore.OpenRead(StoredAttachment, bool)"/> serves for public viewers.</param>
/// <param name="SafeFileName">The uploaded name with path, control characters and extension cleaned; for display and downloads only.</param>
public sealed record StoredAttachment(
    string Sha256,
    long SizeBytes,
    string ContentType,
    string Extension,
    string StorageKey,
    bool HadLocation,
    bool HasPublicCopy,
    string SafeFileName);
