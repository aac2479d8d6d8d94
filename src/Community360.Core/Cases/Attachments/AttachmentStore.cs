using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Community360.Common;
using Microsoft.Extensions.Options;

namespace Community360.Cases.Attachments;

/// <summary>
/// Keeps uploaded files on disk, outside the database, named by their SHA-256: the same file uploaded twice is
/// stored once, and a stored file never changes. Images with Exif/XMP/IPTC also get a ".public" copy without it.
/// Who may see a case, and who counts as outside the dispatching office, is decided by the caller.
/// </summary>
public sealed partial class AttachmentStore
{
    private const string PublicSuffix = ".public";
    private const int ReadChunk = 81920;

    /// <summary>Everything is held in memory while it is checked and hashed, so the limit stays well below 2 GB.</summary>
    private const long MaxConfigurableBytes = 512L * 1024 * 1024;

    private readonly long _maxBytes;
    private readonly string _root;

    public AttachmentStore(IOptions<AttachmentOptions> options)
    {
        var value = options.Value;
        if (value.MaxBytes is <= 0 or > MaxConfigurableBytes)
        {
            throw new InvalidOperationException($"Attachments:MaxBytes must be between 1 and {MaxConfigurableBytes}.");
        }
        if (string.IsNullOrWhiteSpace(value.RootPath))
        {
            throw new InvalidOperationException("Attachments:RootPath must be set.");
        }
        _maxBytes = value.MaxBytes;
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(value.RootPath));
    }

    public long MaxBytes => _maxBytes;

    /// <summary>
    /// Checks and stores an upload. Refuses with a zh-CN <see cref="ValidationException"/> on field "file" a file that
    /// is empty, larger than the limit (read no further than one byte past it), of another type than JPEG, PNG,
    /// WebP or PDF judged by its content, or an image that cannot be walked to its end.
    /// </summary>
    public async Task<StoredAttachment> SaveAsync(Stream content, string? fileName, CancellationToken ct)
    {
        var bytes = await ReadAtMostAsync(content, ct);
        if (bytes.Length == 0)
        {
            throw AttachmentErrors.EmptyFile();
        }
        var detected = FileSniffer.Detect(bytes) ?? throw AttachmentErrors.UnsupportedType();
        var scan = detected.IsImage ? LocationMetadataStripper.Inspect(bytes) : null;

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var key = $"{sha256[..2]}/{sha256}{detected.Extension}";
        var originalPath = FullPath(key);
        await WriteOnceAsync(originalPath, bytes, ct);
        var hasPublicCopy = false;
        if (scan is { HasMetadata: true })
        {
            await WriteOnceAsync(PublicPath(originalPath), scan.Stripped, ct);
            hasPublicCopy = true;
        }

        return new StoredAttachment(
            sha256,
            bytes.Length,
            detected.ContentType,
            detected.Extension,
            key,
            scan?.HasLocation ?? false,
            hasPublicCopy,
            AttachmentFileNames.Sanitize(fileName, detected.Extension));
    }

    public Stream OpenRead(StoredAttachment attachment, bool forPublic) => OpenRead(attachment.StorageKey, forPublic);

    /// <summary>
    /// The original, or for <paramref name="forPublic"/> the copy without location metadata when the image has one.
    /// When no public copy is on disk the original is checked again before it is served publicly, and a lost copy
    /// is written anew: a missing file must never turn into coordinates shown to a resident.
    /// A key that is not "{hh}/{sha256}.{jpg|png|webp|pdf}" or names no stored file is reported as not found.
    /// </summary>
    public Stream OpenRead(string storageKey, bool forPublic)
    {
        if (!IsValidKey(storageKey))
        {
            throw new NotFoundException("附件");
        }
        var originalPath = FullPath(storageKey);
        if (!File.Exists(originalPath))
        {
            throw new NotFoundException("附件");
        }
        var isImage = FileSniffer.FromExtension(Path.GetExtension(storageKey))?.IsImage == true;
        if (forPublic && isImage)
        {
            var publicPath = PublicPath(originalPath);
            if (File.Exists(publicPath))
            {
                return OpenFile(publicPath);
            }
            var scan = LocationMetadataStripper.Inspect(File.ReadAllBytes(originalPath));
            if (scan.HasMetadata)
            {
                WriteOnce(publicPath, scan.Stripped);
                return new MemoryStream(scan.Stripped, writable: false);
            }
        }
        return OpenFile(originalPath);
    }

    public static bool IsValidKey(string? storageKey) =>
        storageKey is not null
        && StorageKeyPattern().IsMatch(storageKey)
        && string.CompareOrdinal(storageKey, 0, storageKey, 3, 2) == 0;

    // \z, not $: "$" would also match before a trailing newline.
    [GeneratedRegex(@"^[0-9a-f]{2}/[0-9a-f]{64}\.(?:jpg|png|webp|pdf)\z", RegexOptions.CultureInvariant)]
    private static partial Regex StorageKeyPattern();

    private string FullPath(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, key));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new NotFoundException("附件");
        }
        return path;
    }

    private static string PublicPath(string originalPath) =>
        Path.ChangeExtension(originalPath, null) + PublicSuffix + Path.GetExtension(originalPath);

    private static FileStream OpenFile(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous | FileOptions.SequentialScan);

    private async Task<byte[]> ReadAtMostAsync(Stream content, CancellationToken ct)
    {
        if (content.CanSeek && content.Length - content.Position > _maxBytes)
        {
            throw AttachmentErrors.TooLarge(_maxBytes);
        }
        using var buffer = new MemoryStream(content.CanSeek ? (int)Math.Max(content.Length - content.Position, 0) : ReadChunk);
        var chunk = new byte[ReadChunk];
        while (true)
        {
            // One byte past the limit is enough to know the file is too large.
            var want = (int)Math.Min(chunk.Length, _maxBytes + 1 - buffer.Length);
            var read = await content.ReadAsync(chunk.AsMemory(0, want), ct);
            if (read == 0)
            {
                return buffer.ToArray();
            }
            await buffer.WriteAsync(chunk.AsMemory(0, read), ct);
            if (buffer.Length > _maxBytes)
            {
                throw AttachmentErrors.TooLarge(_maxBytes);
            }
        }
    }

    /// <summary>
    /// Content-addressed, so an existing file with the same bytes is left alone. New files go to a temporary name
    /// in the same folder and are renamed into place, so no reader ever sees half a file.
    /// </summary>
    private static async Task WriteOnceAsync(string path, byte[] bytes, CancellationToken ct)
    {
        if (File.Exists(path) && (await File.ReadAllBytesAsync(path, ct)).AsSpan().SequenceEqual(bytes))
        {
            return;
        }
        var temp = TempPath(path);
        try
        {
            // WriteThrough: the bytes are on disk before the rename publishes the name.
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous | FileOptions.WriteThrough))
            {
                await stream.WriteAsync(bytes, ct);
            }
            MoveIntoPlace(temp, path);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static void WriteOnce(string path, byte[] bytes)
    {
        var temp = TempPath(path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
            {
                stream.Write(bytes);
            }
            MoveIntoPlace(temp, path);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static string TempPath(string path)
    {
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $".{Guid.NewGuid():N}.tmp");
    }

    private static void MoveIntoPlace(string temp, string path)
    {
        try
        {
            File.Move(temp, path, overwrite: true);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another upload of the same bytes won the race (Windows refuses to replace a file that is open).
        }
    }
}
