namespace Community360.Cases.Attachments;

public enum FileKind
{
    Jpeg = 1,
    Png = 2,
    WebP = 3,
    Pdf = 4,
}

public sealed record DetectedFile(FileKind Kind, string ContentType, string Extension)
{
    public bool IsImage => Kind is not FileKind.Pdf;
}

/// <summary>
/// Tells the type of an upload from its first bytes. The file name and the client's Content-Type are never
/// consulted: both are whatever the sender typed, and an HTML page named photo.jpg must not be stored as a photo.
/// </summary>
public static class FileSniffer
{
    /// <summary>How many leading bytes <see cref="Detect"/> needs at most.</summary>
    public const int HeaderLength = 12;

    public static readonly DetectedFile Jpeg = new(FileKind.Jpeg, "image/jpeg", ".jpg");
    public static readonly DetectedFile Png = new(FileKind.Png, "image/png", ".png");
    public static readonly DetectedFile WebP = new(FileKind.WebP, "image/webp", ".webp");
    public static readonly DetectedFile Pdf = new(FileKind.Pdf, "application/pdf", ".pdf");

    /// <summary>The accepted type the bytes start with, or null for anything else (GIF, SVG, HEIC, archives, executables, text).</summary>
    public static DetectedFile? Detect(ReadOnlySpan<byte> header)
    {
        if (header.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return Jpeg;
        }
        if (header.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return Png;
        }
        if (header.Length >= 12 && header.StartsWith("RIFF"u8) && header[8..12].SequenceEqual("WEBP"u8))
        {
            return WebP;
        }
        // Only at offset 0: readers that accept a PDF header further in are what makes HTML/PDF polyglots work.
        if (header.StartsWith("%PDF-"u8))
        {
            return Pdf;
        }
        return null;
    }

    public static DetectedFile? FromExtension(string extension) => extension switch
    {
        ".jpg" => Jpeg,
        ".png" => Png,
        ".webp" => WebP,
        ".pdf" => Pdf,
        _ => null,
    };
}
