using System.Buffers.Binary;
using System.Text;

namespace Community360.Tests.Cases.Attachments;

/// <summary>Independent, deliberately simple readers of the containers, to check the stripper's output from outside.</summary>
internal static class ImageStructure
{
    public sealed record JpegSegment(byte Marker, int Start, int End);

    /// <summary>Marker segments up to and including the first SOS (fill bytes skipped), and where that scan's data begins.</summary>
    public static (List<JpegSegment> Segments, int ScanStart) JpegHeader(byte[] data)
    {
        Assert.True(data is [0xFF, 0xD8, ..], "SOI missing");
        var segments = new List<JpegSegment>();
        var p = 2;
        while (true)
        {
            while (data[p] == 0xFF && data[p + 1] == 0xFF)
            {
                p++;
            }
            Assert.Equal(0xFF, data[p]);
            var marker = data[p + 1];
            var length = (data[p + 2] << 8) | data[p + 3];
            segments.Add(new JpegSegment(marker, p, p + 2 + length));
            p += 2 + length;
            if (marker == 0xDA)
            {
                return (segments, segments[^1].Start);
            }
        }
    }

    /// <summary>Every marker code in the file, scans included (entropy-coded data skipped).</summary>
    public static List<byte> JpegMarkers(byte[] data)
    {
        var markers = new List<byte>();
        for (var i = 2; i + 1 < data.Length; i++)
        {
            if (data[i] == 0xFF && data[i + 1] is not (0x00 or 0xFF or (>= 0xD0 and <= 0xD7)))
            {
                markers.Add(data[i + 1]);
                if (data[i + 1] == 0xD9)
                {
                    break;
                }
                i += 1 + ((data[i + 2] << 8) | data[i + 3]);
            }
        }
        return markers;
    }

    public static void AssertJpegEndsWithEoi(byte[] data) => Assert.True(data is [.., 0xFF, 0xD9], "EOI missing");

    public sealed record PngChunkInfo(string Type, int Start, int Length, uint Crc)
    {
        public int End => Start + 12 + Length;
    }

    public static List<PngChunkInfo> PngChunks(byte[] data)
    {
        var chunks = new List<PngChunkInfo>();
        var p = 8;
        while (p < data.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(p));
            var type = Encoding.ASCII.GetString(data, p + 4, 4);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(p + 8 + length));
            chunks.Add(new PngChunkInfo(type, p, length, crc));
            p += 12 + length;
        }
        return chunks;
    }

    public static byte[] PngChunk(string type, byte[] payload)
    {
        var chunk = new byte[12 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)payload.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        payload.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + payload.Length), PngCrc(chunk.AsSpan(4, 4 + payload.Length)));
        return chunk;
    }

    /// <summary>Bitwise CRC-32 (no table), so it shares nothing with the product's implementation.</summary>
    public static uint PngCrc(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }
        return ~crc;
    }

    public sealed record RiffChunk(string FourCc, int Start, int Size)
    {
        public int PayloadStart => Start + 8;
    }

    public static List<RiffChunk> WebPChunks(byte[] data)
    {
        var chunks = new List<RiffChunk>();
        var p = 12;
        while (p < data.Length)
        {
            var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(p + 4));
            chunks.Add(new RiffChunk(Encoding.ASCII.GetString(data, p, 4), p, size));
            p += 8 + size + (size & 1);
        }
        return chunks;
    }

    /// <summary>The TIFF block of the first Exif APP1 segment of a JPEG, without the "Exif\0\0" prefix.</summary>
    public static byte[] ExifTiff(byte[] jpeg)
    {
        var app1 = JpegHeader(jpeg).Segments.First(s => s.Marker == 0xE1 && jpeg.AsSpan(s.Start + 4).StartsWith("Exif\0\0"u8));
        return jpeg[(app1.Start + 10)..app1.End];
    }

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
