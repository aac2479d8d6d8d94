using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Community360.Cases.Attachments;
using Community360.Common;
using static Community360.Tests.Cases.Attachments.AttachmentFixtures;
using static Community360.Tests.Cases.Attachments.ImageStructure;

namespace Community360.Tests.Cases.Attachments;

public sealed class LocationMetadataStripperTests
{
    private const byte App1 = 0xE1;
    private const byte App13 = 0xED;

    // ---- JPEG ----

    [Theory]
    [InlineData(nameof(AttachmentFixtures.GpsJpeg))]
    [InlineData(nameof(AttachmentFixtures.GpsProgressiveJpeg))]
    public void Jpeg_loses_exif_xmp_and_iptc_and_keeps_every_other_byte(string fixture)
    {
        var original = FileSnifferTests.Fixture(fixture);
        Assert.True(LocationMetadataStripper.HasLocation(original));

        var scan = LocationMetadataStripper.Inspect(original);

        Assert.True(scan.HasLocation);
        Assert.True(scan.HasMetadata);
        var stripped = scan.Stripped;
        Assert.False(LocationMetadataStripper.HasLocation(stripped));
        AssertJpegEndsWithEoi(stripped);
        var markers = JpegMarkers(stripped);
        Assert.DoesNotContain(App1, markers);
        Assert.DoesNotContain(App13, markers);
        Assert.Equal([.. JpegMarkers(original).Where(m => m is not (App1 or App13))], markers);
        Assert.DoesNotContain("GPS", Encoding.Latin1.GetString(stripped), StringComparison.Ordinal);

        // The picture itself: everything from the first SOS to EOI, byte for byte.
        var originalScan = original.AsSpan(JpegHeader(original).ScanStart);
        var strippedScan = stripped.AsSpan(JpegHeader(stripped).ScanStart);
        Assert.True(originalScan.SequenceEqual(strippedScan));
        // And the segments before it that are kept (JFIF, tables, frame header), in order and unchanged.
        var keptOriginal = JpegHeader(original).Segments.Where(s => s.Marker is not (App1 or App13)).Select(s => original[s.Start..s.End]);
        var keptStripped = JpegHeader(stripped).Segments.Select(s => stripped[s.Start..s.End]);
        Assert.Equal(keptOriginal, keptStripped);
        Assert.Equal(original.Length - JpegHeader(original).Segments.Where(s => s.Marker is App1 or App13).Sum(s => s.End - s.Start), stripped.Length);

        var again = LocationMetadataStripper.Inspect(stripped);
        Assert.False(again.HasMetadata);
        Assert.Equal(stripped, again.Stripped);
    }

    [Fact]
    public void Jpeg_without_metadata_is_returned_unchanged()
    {
        var scan = LocationMetadataStripper.Inspect(PlainJpeg);

        Assert.False(scan.HasLocation);
        Assert.False(scan.HasMetadata);
        Assert.Equal(PlainJpeg, scan.Stripped);
    }

    [Fact]
    public void Exif_without_a_gps_pointer_is_metadata_but_not_location()
    {
        var scan = LocationMetadataStripper.Inspect(ExifWithoutGpsJpeg);

        Assert.False(scan.HasLocation);
        Assert.True(scan.HasMetadata);
        Assert.DoesNotContain(App1, JpegMarkers(scan.Stripped));
        Assert.Equal(PlainJpeg, scan.Stripped);
    }

    [Fact]
    public void Xmp_alone_in_a_jpeg_counts_as_location()
    {
        var xmp = Encoding.UTF8.GetBytes("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><rdf:Description exif:GPSLatitude=\"39,54.252N\"/></x:xmpmeta>");
        var jpeg = InsertAfterSoi(PlainJpeg, Segment(App1, xmp));

        Assert.True(LocationMetadataStripper.HasLocation(jpeg));
        Assert.Equal(PlainJpeg, LocationMetadataStripper.Strip(jpeg));
    }

    [Fact]
    public void Handles_fill_bytes_many_app_segments_metadata_between_scans_and_trailers()
    {
        var exif = GpsExifSegment();
        var icc = Segment(0xE2, [.. "ICC_PROFILE\0"u8, 1, 1, 0xAA, 0xBB]);
        var mpf = Segment(0xE2, [.. "MPF\0"u8, .. "MM\0*"u8, 0, 0, 0, 8]);
        var adobe = Segment(0xEE, [.. "Adobe"u8, 0, 100, 0, 0, 0, 0, 1]);
        var comment = Segment(0xFE, "kept comment"u8.ToArray());
        var iptc = Segment(App13, [.. "Photoshop 3.0\0"u8, .. "8BIM"u8, 4, 4, 0, 0, 0, 0, 0, 0]);
        var (header, scanStart) = JpegHeader(PlainJpeg);
        var app0End = header[0].End;
        var expectedHead = Concat(PlainJpeg[..app0End], icc, [0xFF, 0xFF, 0xFF], adobe, comment);
        var input = Concat(
            PlainJpeg[..app0End],
            [0xFF, 0xFF], exif, icc, mpf, iptc, [0xFF, 0xFF, 0xFF], adobe, comment, exif,
            PlainJpeg[app0End..scanStart],
            PlainJpeg[scanStart..^2],
            Segment(App1, "http://ns.adobe.com/xap/1.0/\0<exif:GPSLatitude>1</exif:GPSLatitude>"u8.ToArray()),
            [0xFF, 0xD9],
            Concat("trailing second picture "u8.ToArray(), exif));

        var scan = LocationMetadataStripper.Inspect(input);

        Assert.True(scan.HasLocation);
        var expected = Concat(expectedHead, PlainJpeg[app0End..]);
        Assert.Equal(expected, scan.Stripped);
    }

    [Fact]
    public void App1_between_the_scans_of_a_progressive_jpeg_is_removed_too()
    {
        var original = LocationMetadataStripper.Strip(GpsProgressiveJpeg);
        var secondScan = JpegSegmentsAll(original).Where(s => s.Marker == 0xDA).ElementAt(1);
        var input = Concat(original[..secondScan.Start], GpsExifSegment(), original[secondScan.Start..]);

        Assert.True(LocationMetadataStripper.HasLocation(input));
        Assert.Equal(original, LocationMetadataStripper.Strip(input));
    }

    public static TheoryData<string, int> TruncatedJpegs => new()
    {
        { "cut inside the entropy-coded data", PlainJpeg.Length - 40 },
        { "EOI missing", PlainJpeg.Length - 2 },
        { "last byte missing", PlainJpeg.Length - 1 },
        { "cut inside a table", 40 },
        { "cut inside the SOS header", JpegHeader(PlainJpeg).ScanStart + 5 },
        { "SOI and the first byte of a marker", 3 },
    };

    [Theory]
    [MemberData(nameof(TruncatedJpegs))]
    public void Truncated_jpeg_is_refused_as_corrupt(string what, int length)
    {
        var error = Assert.Throws<ValidationException>(() => LocationMetadataStripper.Inspect(PlainJpeg.AsSpan(0, length)));

        Assert.Equal(["图片文件已损坏，无法处理。"], error.Errors["file"]);
        Assert.NotNull(what);
    }

    [Fact]
    public void Jpeg_segment_longer_than_the_file_is_refused()
    {
        var input = Concat(PlainJpeg[..2], [0xFF, App1, 0xFF, 0xF0], "Exif\0\0MM"u8.ToArray());

        Assert.Throws<ValidationException>(() => LocationMetadataStripper.HasLocation(input));
    }

    // ---- PNG ----

    [Theory]
    [InlineData(nameof(AttachmentFixtures.GpsPng))]
    [InlineData(nameof(AttachmentFixtures.ImageMagickGpsPng))]
    public void Png_loses_exif_and_text_chunks_and_keeps_the_others_with_their_crcs(string fixture)
    {
        var original = FileSnifferTests.Fixture(fixture);

        var scan = LocationMetadataStripper.Inspect(original);

        Assert.True(scan.HasLocation);
        Assert.True(scan.HasMetadata);
        var stripped = scan.Stripped;
        Assert.Equal(original[..8], stripped[..8]);
        var chunks = PngChunks(stripped);
        Assert.Equal("IHDR", chunks[0].Type);
        Assert.Equal("IEND", chunks[^1].Type);
        Assert.DoesNotContain(chunks, c => c.Type is "eXIf" or "tEXt" or "zTXt" or "iTXt");
        Assert.All(chunks, c => Assert.Equal(PngCrc(stripped.AsSpan(c.Start + 4, 4 + c.Length)), c.Crc));
        var kept = PngChunks(original).Where(c => c.Type is not ("eXIf" or "tEXt" or "zTXt" or "iTXt")).Select(c => original[c.Start..c.End]);
        Assert.Equal(kept, chunks.Select(c => stripped[c.Start..c.End]));
        Assert.Contains(chunks, c => c.Type == "IDAT");
        Assert.False(LocationMetadataStripper.HasLocation(stripped));
        Assert.DoesNotContain("GPS", Encoding.Latin1.GetString(stripped), StringComparison.Ordinal);
    }

    [Fact]
    public void Png_text_chunks_without_location_are_metadata_but_not_location()
    {
        var scan = LocationMetadataStripper.Inspect(PlainPng);

        Assert.False(scan.HasLocation);
        Assert.True(scan.HasMetadata);
        Assert.DoesNotContain(PngChunks(scan.Stripped), c => c.Type == "tEXt");
    }

    [Fact]
    public void Png_finds_gps_in_compressed_xmp_and_in_hex_raw_profiles()
    {
        var xmp = "<x:xmpmeta><rdf:Description><exif:GPSLongitude>116,24.444E</exif:GPSLongitude></rdf:Description></x:xmpmeta>"u8.ToArray();
        var iTxt = PngChunk("iTXt", [.. "XML:com.adobe.xmp\0"u8, 1, 0, 0, 0, .. Deflate(xmp)]);
        var zTxt = PngChunk("zTXt", [.. "Comment\0"u8, 0, .. Deflate(xmp)]);
        var tiff = ExifTiff(GpsJpeg);
        var rawProfile = PngChunk("zTXt", [.. "Raw profile type exif\0"u8, 0, .. Deflate(RawProfile(tiff))]);
        var rawNoGps = PngChunk("tEXt", [.. "Raw profile type exif\0"u8, .. RawProfile(WithoutGpsPointer(tiff))]);
        var plain = LocationMetadataStripper.Strip(PlainPng);

        foreach (var chunk in new[] { iTxt, zTxt, rawProfile })
        {
            var png = Concat(plain[..33], chunk, plain[33..]);
            Assert.True(LocationMetadataStripper.HasLocation(png));
            Assert.Equal(plain, LocationMetadataStripper.Strip(png));
        }
        Assert.False(LocationMetadataStripper.HasLocation(Concat(plain[..33], rawNoGps, plain[33..])));
    }

    [Fact]
    public void Png_with_a_wrong_crc_or_without_iend_is_refused()
    {
        var badCrc = (byte[])PlainPng.Clone();
        var idat = PngChunks(badCrc).First(c => c.Type == "IDAT");
        badCrc[idat.Start + 9] ^= 0x01;

        Assert.Throws<ValidationException>(() => LocationMetadataStripper.Strip(badCrc));
        Assert.Throws<ValidationException>(() => LocationMetadataStripper.Strip(PlainPng.AsSpan(0, PlainPng.Length - 12)));
    }

    // ---- WebP ----

    [Fact]
    public void WebP_loses_exif_and_xmp_chunks_and_flags_and_gets_a_correct_riff_size()
    {
        var scan = LocationMetadataStripper.Inspect(GpsWebP);

        Assert.True(scan.HasLocation);
        Assert.True(scan.HasMetadata);
        var stripped = scan.Stripped;
        Assert.Equal((uint)(stripped.Length - 8), BinaryPrimitives.ReadUInt32LittleEndian(stripped.AsSpan(4)));
        var chunks = WebPChunks(stripped);
        Assert.Equal(["VP8X", "VP8 "], chunks.Select(c => c.FourCc));
        Assert.Equal(0, stripped[chunks[0].PayloadStart] & 0x0C);
        var originalVp8 = WebPChunks(GpsWebP).Single(c => c.FourCc == "VP8 ");
        Assert.Equal(GpsWebP.AsSpan(originalVp8.Start, 8 + originalVp8.Size).ToArray(), stripped.AsSpan(chunks[1].Start, 8 + chunks[1].Size).ToArray());
        Assert.Equal(chunks[1].Start + 8 + chunks[1].Size + (chunks[1].Size & 1), stripped.Length);
        Assert.False(LocationMetadataStripper.HasLocation(stripped));
        Assert.False(LocationMetadataStripper.Inspect(stripped).HasMetadata);
    }

    [Fact]
    public void WebP_xmp_alone_counts_as_location_and_plain_webp_is_unchanged()
    {
        Assert.True(LocationMetadataStripper.HasLocation(XmpGpsWebP));
        Assert.False(LocationMetadataStripper.HasLocation(LocationMetadataStripper.Strip(XmpGpsWebP)));

        var plain = LocationMetadataStripper.Inspect(PlainWebP);
        Assert.False(plain.HasMetadata);
        Assert.Equal(PlainWebP, plain.Stripped);
    }

    [Fact]
    public void WebP_whose_riff_size_exceeds_the_file_is_refused()
    {
        Assert.Throws<ValidationException>(() => LocationMetadataStripper.Strip(GpsWebP.AsSpan(0, GpsWebP.Length - 1)));
    }

    // ---- PDF and robustness ----

    [Fact]
    public void Pdf_is_a_document_and_passes_through()
    {
        var scan = LocationMetadataStripper.Inspect(FileSnifferTests.Pdf);

        Assert.False(scan.HasLocation);
        Assert.False(scan.HasMetadata);
        Assert.Equal(FileSnifferTests.Pdf, scan.Stripped);
    }

    [Theory]
    [InlineData(nameof(AttachmentFixtures.GpsJpeg))]
    [InlineData(nameof(AttachmentFixtures.GpsProgressiveJpeg))]
    [InlineData(nameof(AttachmentFixtures.GpsPng))]
    [InlineData(nameof(AttachmentFixtures.ImageMagickGpsPng))]
    [InlineData(nameof(AttachmentFixtures.GpsWebP))]
    [InlineData(nameof(AttachmentFixtures.PlainWebP))]
    public void Every_truncation_is_refused_with_a_validation_error_and_nothing_else(string fixture)
    {
        var image = FileSnifferTests.Fixture(fixture);

        for (var length = 0; length < image.Length; length++)
        {
            var prefix = image.AsSpan(0, length).ToArray();
            var error = Record.Exception(() => LocationMetadataStripper.Inspect(prefix));
            Assert.True(error is ValidationException, $"{fixture} cut to {length} bytes: {error?.GetType().Name ?? "accepted"}");
        }
    }

    [Theory]
    [InlineData(nameof(AttachmentFixtures.GpsJpeg))]
    [InlineData(nameof(AttachmentFixtures.GpsProgressiveJpeg))]
    [InlineData(nameof(AttachmentFixtures.GpsPng))]
    [InlineData(nameof(AttachmentFixtures.GpsWebP))]
    public void Random_corruption_never_escapes_as_anything_but_a_validation_error(string fixture)
    {
        var image = FileSnifferTests.Fixture(fixture);
        var random = new Random(360);

        for (var round = 0; round < 3000; round++)
        {
            var damaged = (byte[])image.Clone();
            for (var flips = random.Next(1, 6); flips > 0; flips--)
            {
                damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            }
            var error = Record.Exception(() =>
            {
                var scan = LocationMetadataStripper.Inspect(damaged);
                LocationMetadataStripper.Inspect(scan.Stripped);
            });
            Assert.True(error is null or ValidationException, $"{fixture} round {round}: {error}");
        }
    }

    private static byte[] Segment(byte marker, byte[] payload)
    {
        var length = payload.Length + 2;
        return [0xFF, marker, (byte)(length >> 8), (byte)length, .. payload];
    }

    private static byte[] GpsExifSegment() => Segment(App1, [.. "Exif\0\0"u8, .. ExifTiff(GpsJpeg)]);

    private static byte[] InsertAfterSoi(byte[] jpeg, byte[] segment) => Concat(jpeg[..2], segment, jpeg[2..]);

    private static List<JpegSegment> JpegSegmentsAll(byte[] data)
    {
        var segments = new List<JpegSegment>();
        for (var i = 2; i + 3 < data.Length; i++)
        {
            if (data[i] == 0xFF && data[i + 1] is not (0x00 or 0xFF or (>= 0xD0 and <= 0xD9)))
            {
                var end = i + 2 + ((data[i + 2] << 8) | data[i + 3]);
                segments.Add(new JpegSegment(data[i + 1], i, end));
                i = end - 1;
            }
        }
        return segments;
    }

    /// <summary>ImageMagick's layout: name line, length line, then the profile as lines of hex.</summary>
    private static byte[] RawProfile(byte[] tiff)
    {
        byte[] profile = [.. "Exif\0\0"u8, .. tiff];
        var hex = string.Join("\n", Convert.ToHexStringLower(profile).Chunk(72).Select(c => new string(c)));
        return Encoding.ASCII.GetBytes($"\nexif\n{profile.Length,8}\n{hex}\n");
    }

    /// <summary>The same big-endian TIFF block with IFD0's GPS pointer tag renamed to DateTime (0x0132).</summary>
    private static byte[] WithoutGpsPointer(byte[] tiff)
    {
        Assert.True(tiff is [(byte)'M', (byte)'M', ..]);
        var copy = (byte[])tiff.Clone();
        var ifd = (int)BinaryPrimitives.ReadUInt32BigEndian(copy.AsSpan(4));
        var count = BinaryPrimitives.ReadUInt16BigEndian(copy.AsSpan(ifd));
        var renamed = 0;
        for (var i = 0; i < count; i++)
        {
            var entry = copy.AsSpan(ifd + 2 + (i * 12));
            if (BinaryPrimitives.ReadUInt16BigEndian(entry) == 0x8825)
            {
                BinaryPrimitives.WriteUInt16BigEndian(entry, 0x0132);
                renamed++;
            }
        }
        Assert.Equal(1, renamed);
        return copy;
    }

    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal))
        {
            zlib.Write(data);
        }
        return output.ToArray();
    }
}
