using System.Text;
using Community360.Cases.Attachments;

namespace Community360.Tests.Cases.Attachments;

public sealed class FileSnifferTests
{
    public static TheoryData<string, FileKind, string, string> Accepted => new()
    {
        { nameof(AttachmentFixtures.GpsJpeg), FileKind.Jpeg, "image/jpeg", ".jpg" },
        { nameof(AttachmentFixtures.PlainPng), FileKind.Png, "image/png", ".png" },
        { nameof(AttachmentFixtures.PlainWebP), FileKind.WebP, "image/webp", ".webp" },
        { nameof(AttachmentFixtures.GpsWebP), FileKind.WebP, "image/webp", ".webp" },
        { "pdf", FileKind.Pdf, "application/pdf", ".pdf" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Recognises_the_accepted_types_from_their_first_bytes(string fixture, FileKind kind, string contentType, string extension)
    {
        var bytes = fixture == "pdf" ? Pdf : Fixture(fixture);

        var detected = FileSniffer.Detect(bytes.AsSpan(0, FileSniffer.HeaderLength));

        Assert.NotNull(detected);
        Assert.Equal(kind, detected.Kind);
        Assert.Equal(contentType, detected.ContentType);
        Assert.Equal(extension, detected.Extension);
        Assert.Equal(kind != FileKind.Pdf, detected.IsImage);
    }

    public static TheoryData<string, byte[]> Refused => new()
    {
        { "GIF", Encoding.ASCII.GetBytes("GIF89a\x10\0\x10\0\x80\0\0") },
        { "SVG", Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>") },
        { "SVG with XML declaration", Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>") },
        { "HEIC", [0, 0, 0, 0x18, .. "ftypheic"u8, 0, 0, 0, 0, .. "mif1heic"u8] },
        { "AVIF", [0, 0, 0, 0x1C, .. "ftypavif"u8, 0, 0, 0, 0] },
        { "Windows executable", [.. "MZ"u8, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF] },
        { "ELF", [0x7F, .. "ELF"u8, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0] },
        { "zip", [.. "PK"u8, 3, 4, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0] },
        { "HTML", Encoding.UTF8.GetBytes("<!DOCTYPE html><html><script>alert(1)</script></html>") },
        { "WAV (RIFF but not WebP)", [.. "RIFF"u8, 36, 0, 0, 0, .. "WAVEfmt "u8] },
        { "PDF header not at the start", Encoding.ASCII.GetBytes("<html>%PDF-1.7") },
        { "two bytes of JPEG", [0xFF, 0xD8] },
        { "empty", [] },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Refuses_everything_else(string what, byte[] bytes)
    {
        Assert.True(FileSniffer.Detect(bytes) is null, what);
    }

    internal static readonly byte[] Pdf = Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

    internal static byte[] Fixture(string name) =>
        (byte[])typeof(AttachmentFixtures).GetProperty(name, System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public)!.GetValue(null)!;
}
