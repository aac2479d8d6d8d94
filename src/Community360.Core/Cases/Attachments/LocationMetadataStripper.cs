namespace Community360.Cases.Attachments;

/// <summary>What <see cref="LocationMetadataStripper.Inspect"/> found in an image.</summary>
/// <param name="HasLocation">Exif with a GPS IFD pointer, or XMP/text naming GPS properties.</param>
/// <param name="HasMetadata">Something was removed: the public copy differs from the original.</param>
/// <param name="Stripped">The image without metadata able to carry location; the original bytes when nothing was removed.</param>
public sealed record ImageMetadataScan(bool HasLocation, bool HasMetadata, byte[] Stripped);

/// <summary>
/// Removes from photos the metadata that can carry where they were taken (Exif, XMP, IPTC), keeping the picture
/// byte-identical, so that a photo taken at a resident's door can be shown beyond the dispatching office.
/// PDFs are documents, not photos, and pass through unchanged. Malformed or truncated images are refused with a
/// zh-CN <see cref="Common.ValidationException"/>: an image that cannot be walked cannot be shown to be clean.
/// </summary>
public static class LocationMetadataStripper
{
    public static bool HasLocation(ReadOnlySpan<byte> file) => Process(file, output: null).HasLocation;

    public static byte[] Strip(ReadOnlySpan<byte> file) => Inspect(file).Stripped;

    public static ImageMetadataScan Inspect(ReadOnlySpan<byte> file)
    {
        var output = new ByteSink(file.Length);
        var findings = Process(file, output);
        return new ImageMetadataScan(findings.HasLocation, findings.RemovedSomething, findings.RemovedSomething ? output.ToArray() : file.ToArray());
    }

    private static MetadataFindings Process(ReadOnlySpan<byte> file, ByteSink? output) =>
        FileSniffer.Detect(file)?.Kind switch
        {
            FileKind.Jpeg => JpegMetadata.Process(file, output),
            FileKind.Png => PngMetadata.Process(file, output),
            FileKind.WebP => WebPMetadata.Process(file, output),
            FileKind.Pdf => new MetadataFindings(HasLocation: false, RemovedSomething: false),
            null => throw AttachmentErrors.UnsupportedType(),
        };
}
