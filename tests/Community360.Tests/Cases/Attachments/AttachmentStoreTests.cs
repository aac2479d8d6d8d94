using System.Security.Cryptography;
using System.Text;
using Community360.Cases.Attachments;
using Community360.Common;
using Microsoft.Extensions.Options;
using static Community360.Tests.Cases.Attachments.AttachmentFixtures;

namespace Community360.Tests.Cases.Attachments;

public sealed class AttachmentStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "c360-attachments-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private AttachmentStore Store(long maxBytes = AttachmentOptions.DefaultMaxBytes) =>
        new(Options.Create(new AttachmentOptions { RootPath = _root, MaxBytes = maxBytes }));

    private string[] StoredFiles() =>
        Directory.Exists(_root)
            ? [.. Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_root, f).Replace('\\', '/')).Order(StringComparer.Ordinal)]
            : [];

    [Fact]
    public async Task A_photo_with_gps_is_stored_as_is_beside_a_public_copy_without_it()
    {
        var store = Store();

        var stored = await store.SaveAsync(new MemoryStream(GpsJpeg), "IMG_0001.JPG", Ct);

        var sha = Convert.ToHexStringLower(SHA256.HashData(GpsJpeg));
        Assert.Equal(sha, stored.Sha256);
        Assert.Equal(GpsJpeg.Length, stored.SizeBytes);
        Assert.Equal("image/jpeg", stored.ContentType);
        Assert.Equal(".jpg", stored.Extension);
        Assert.Equal($"{sha[..2]}/{sha}.jpg", stored.StorageKey);
        Assert.True(stored.HadLocation);
        Assert.True(stored.HasPublicCopy);
        Assert.Equal("IMG_0001.jpg", stored.SafeFileName);
        Assert.Equal([$"{sha[..2]}/{sha}.jpg", $"{sha[..2]}/{sha}.public.jpg"], StoredFiles());
        Assert.Equal(GpsJpeg, await File.ReadAllBytesAsync(Path.Combine(_root, stored.StorageKey), Ct));

        var original = await ReadAll(store.OpenRead(stored, forPublic: false));
        var shown = await ReadAll(store.OpenRead(stored, forPublic: true));
        Assert.Equal(GpsJpeg, original);
        Assert.True(LocationMetadataStripper.HasLocation(original));
        Assert.False(LocationMetadataStripper.HasLocation(shown));
        Assert.Equal(LocationMetadataStripper.Strip(GpsJpeg), shown);
        Assert.Equal(shown, await ReadAll(store.OpenRead(stored.StorageKey, forPublic: true)));
    }

    [Theory]
    [InlineData(nameof(AttachmentFixtures.GpsPng), "image/png", ".png")]
    [InlineData(nameof(AttachmentFixtures.GpsWebP), "image/webp", ".webp")]
    public async Task Png_and_webp_photos_get_a_public_copy_too(string fixture, string contentType, string extension)
    {
        var bytes = FileSnifferTests.Fixture(fixture);

        var stored = await Store().SaveAsync(new MemoryStream(bytes), "photo", Ct);

        Assert.Equal(contentType, stored.ContentType);
        Assert.Equal(extension, stored.Extension);
        Assert.True(stored.HadLocation);
        Assert.True(stored.HasPublicCopy);
        Assert.Equal("photo" + extension, stored.SafeFileName);
        Assert.False(LocationMetadataStripper.HasLocation(await ReadAll(Store().OpenRead(stored, forPublic: true))));
    }

    [Fact]
    public async Task A_root_path_with_a_trailing_separator_works()
    {
        var store = new AttachmentStore(Options.Create(new AttachmentOptions { RootPath = _root + Path.DirectorySeparatorChar }));

        var stored = await store.SaveAsync(new MemoryStream(PlainWebP), "a.webp", Ct);

        Assert.Equal(PlainWebP, await ReadAll(store.OpenRead(stored, forPublic: false)));
    }

    [Fact]
    public async Task An_image_without_metadata_and_a_pdf_have_no_public_copy()
    {
        var store = Store();

        var photo = await store.SaveAsync(new MemoryStream(PlainJpeg), "a.jpg", Ct);
        var pdf = await store.SaveAsync(new MemoryStream(FileSnifferTests.Pdf), "报告.pdf", Ct);

        Assert.False(photo.HasPublicCopy);
        Assert.False(photo.HadLocation);
        Assert.Equal(PlainJpeg, await ReadAll(store.OpenRead(photo, forPublic: true)));
        Assert.False(pdf.HasPublicCopy);
        Assert.Equal("application/pdf", pdf.ContentType);
        Assert.Equal("报告.pdf", pdf.SafeFileName);
        Assert.Equal(FileSnifferTests.Pdf, await ReadAll(store.OpenRead(pdf, forPublic: true)));
        Assert.Equal(2, StoredFiles().Length);
    }

    [Fact]
    public async Task The_same_file_uploaded_twice_is_stored_once_under_one_key()
    {
        var store = Store();

        var first = await store.SaveAsync(new MemoryStream(GpsJpeg), "现场.jpg", Ct);
        var second = await store.SaveAsync(new MemoryStream(GpsJpeg), "again.jpeg", Ct);

        Assert.Equal(first.StorageKey, second.StorageKey);
        Assert.Equal("现场.jpg", first.SafeFileName);
        Assert.Equal("again.jpg", second.SafeFileName);
        Assert.Equal(2, StoredFiles().Length);
        Assert.DoesNotContain(StoredFiles(), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Html_named_jpg_is_refused_and_nothing_is_written()
    {
        var html = Encoding.UTF8.GetBytes("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>");

        var error = await Assert.ThrowsAsync<ValidationException>(() => Store().SaveAsync(new MemoryStream(html), "photo.jpg", Ct));

        Assert.Equal(["不支持的文件类型，只接受 JPG、PNG、WebP 图片和 PDF 文件。"], error.Errors["file"]);
        Assert.Empty(StoredFiles());
    }

    [Fact]
    public async Task Svg_named_png_is_refused()
    {
        var svg = Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>");

        await Assert.ThrowsAsync<ValidationException>(() => Store().SaveAsync(new MemoryStream(svg), "map.png", Ct));
    }

    [Fact]
    public async Task A_truncated_jpeg_is_refused_as_corrupt_and_nothing_is_written()
    {
        var error = await Assert.ThrowsAsync<ValidationException>(
            () => Store().SaveAsync(new MemoryStream(GpsJpeg[..^100]), "cut.jpg", Ct));

        Assert.Equal(["图片文件已损坏，无法处理。"], error.Errors["file"]);
        Assert.Empty(StoredFiles());
    }

    [Fact]
    public async Task An_empty_file_is_refused()
    {
        var error = await Assert.ThrowsAsync<ValidationException>(() => Store().SaveAsync(new MemoryStream(), "a.jpg", Ct));

        Assert.True(error.Errors.ContainsKey("file"));
    }

    [Fact]
    public async Task An_endless_upload_is_refused_after_one_byte_past_the_limit()
    {
        var endless = new EndlessJpegStream();

        var error = await Assert.ThrowsAsync<ValidationException>(() => Store().SaveAsync(endless, "big.jpg", Ct));

        Assert.Equal(["文件过大：最大 10 MB"], error.Errors["file"]);
        Assert.Equal(AttachmentOptions.DefaultMaxBytes + 1, endless.BytesRead);
        Assert.Empty(StoredFiles());
    }

    [Fact]
    public async Task A_seekable_upload_over_the_limit_is_refused_without_reading_it()
    {
        var bytes = new byte[3 * 1024 * 1024];
        GpsJpeg.CopyTo(bytes, 0);
        var big = new MemoryStream(bytes);

        var error = await Assert.ThrowsAsync<ValidationException>(() => Store(maxBytes: 2 * 1024 * 1024).SaveAsync(big, "big.jpg", Ct));

        Assert.Equal(["文件过大：最大 2 MB"], error.Errors["file"]);
        Assert.Equal(0, big.Position);
    }

    [Fact]
    public async Task A_file_of_exactly_the_limit_is_accepted()
    {
        var stored = await Store(maxBytes: GpsWebP.Length).SaveAsync(new NonSeekableStream(GpsWebP), "x.webp", Ct);

        Assert.Equal(GpsWebP.Length, stored.SizeBytes);
        await Assert.ThrowsAsync<ValidationException>(() => Store(maxBytes: GpsWebP.Length - 1).SaveAsync(new NonSeekableStream(GpsWebP), "x.webp", Ct));
    }

    [Fact]
    public void The_size_message_follows_the_configured_limit()
    {
        Assert.Equal("文件过大：最大 10 MB", AttachmentErrors.TooLargeMessage(10 * 1024 * 1024));
        Assert.Equal("文件过大：最大 2.5 MB", AttachmentErrors.TooLargeMessage(5 * 512 * 1024));
        Assert.Equal("文件过大：最大 512 KB", AttachmentErrors.TooLargeMessage(512 * 1024));
    }

    public static TheoryData<string> BadKeys => new()
    {
        null!,
        "",
        "../../etc/passwd",
        "/etc/passwd",
        "ab/../../../etc/passwd",
        "..\\..\\windows\\win.ini",
        "ab/" + new string('a', 64) + ".jpg",
        "AA/" + new string('A', 64) + ".jpg",
        "aa/" + new string('a', 64) + ".exe",
        "aa/" + new string('a', 64) + ".jpg\n",
        "aa/" + new string('a', 64) + ".public.jpg",
        "aa\\" + new string('a', 64) + ".jpg",
        "aa/" + new string('a', 63) + "/.jpg",
        "aa/../aa/" + new string('a', 64) + ".jpg",
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public void Keys_that_are_not_content_hashes_are_refused(string key)
    {
        Assert.False(AttachmentStore.IsValidKey(key));
        Assert.Throws<NotFoundException>(() => Store().OpenRead(key, forPublic: false));
    }

    [Fact]
    public void A_well_formed_key_of_a_file_never_stored_is_not_found()
    {
        var key = "aa/" + new string('a', 64) + ".jpg";

        Assert.True(AttachmentStore.IsValidKey(key));
        Assert.Throws<NotFoundException>(() => Store().OpenRead(key, forPublic: true));
    }

    [Fact]
    public async Task A_lost_public_copy_is_made_again_rather_than_serving_the_original()
    {
        var store = Store();
        var stored = await store.SaveAsync(new MemoryStream(GpsPng), "gps.png", Ct);
        var publicPath = Path.Combine(_root, stored.StorageKey.Replace(".png", ".public.png", StringComparison.Ordinal));
        Assert.True(File.Exists(publicPath));
        File.Delete(publicPath);

        var shown = await ReadAll(store.OpenRead(stored.StorageKey, forPublic: true));

        Assert.False(LocationMetadataStripper.HasLocation(shown));
        Assert.Equal(shown, await File.ReadAllBytesAsync(publicPath, Ct));
    }

    private static async Task<byte[]> ReadAll(Stream stream)
    {
        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, Ct);
            return copy.ToArray();
        }
    }

    /// <summary>A non-seekable upload that never ends, counting what the store takes from it.</summary>
    private sealed class EndlessJpegStream : Stream
    {
        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            for (var i = 0; i < count; i++)
            {
                var position = BytesRead + i;
                buffer[offset + i] = position < 3 ? (byte)(position == 1 ? 0xD8 : 0xFF) : (byte)0x41;
            }
            BytesRead += count;
            return count;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}
