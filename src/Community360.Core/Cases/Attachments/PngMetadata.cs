using System.Buffers.Binary;
using System.IO.Compression;

namespace Community360.Cases.Attachments;

/// <summary>
/// Walks the chunks of a PNG, checking every CRC. Removes eXIf and the text chunks (tEXt, zTXt, iTXt: XMP lives in
/// iTXt "XML:com.adobe.xmp", and ImageMagick copies Exif tags such as "exif:GPSLatitude" into tEXt); every other
/// chunk is copied with its original CRC. The public copy ends at IEND.
/// </summary>
internal static class PngMetadata
{
    private const int SignatureLength = 8;
    private const int ChunkOverhead = 12;

    /// <summary>
    /// Bounds what the compressed text chunks of one file may inflate to, all together, while looking for GPS names
    /// in them: deflate expands up to about 1000:1, and a file of many small bombs must not cost more than one.
    /// </summary>
    private const int MaxInflatedText = 32 * 1024 * 1024;

    public static MetadataFindings Process(ReadOnlySpan<byte> data, ByteSink? output)
    {
        if (FileSniffer.Detect(data)?.Kind is not FileKind.Png)
        {
            throw AttachmentErrors.CorruptImage();
        }
        output?.Write(data[..SignatureLength]);
        var hasLocation = false;
        var removed = false;
        var sawImageData = false;
        var p = SignatureLength;
        var first = true;
        var inflateBudget = MaxInflatedText;
        while (true)
        {
            if (data.Length - p < ChunkOverhead)
            {
                throw AttachmentErrors.CorruptImage();
            }
            var length = BinaryPrimitives.ReadUInt32BigEndian(data[p..]);
            if (length > (uint)(data.Length - p - ChunkOverhead))
            {
                throw AttachmentErrors.CorruptImage();
            }
            var chunkEnd = p + ChunkOverhead + (int)length;
            var type = data.Slice(p + 4, 4);
            var payload = data.Slice(p + 8, (int)length);
            var storedCrc = BinaryPrimitives.ReadUInt32BigEndian(data[(chunkEnd - 4)..]);
            if (!IsChunkType(type) || Crc32.Compute(data.Slice(p + 4, 4 + (int)length)) != storedCrc)
            {
                throw AttachmentErrors.CorruptImage();
            }
            if (first && !type.SequenceEqual("IHDR"u8))
            {
                throw AttachmentErrors.CorruptImage();
            }
            first = false;

            var drop = false;
            if (type.SequenceEqual("eXIf"u8))
            {
                drop = true;
                hasLocation = hasLocation || ExifGps.HasGpsPointer(payload);
            }
            else if (type.SequenceEqual("tEXt"u8) || type.SequenceEqual("zTXt"u8) || type.SequenceEqual("iTXt"u8))
            {
                drop = true;
                hasLocation = hasLocation || TextMentionsLocation(type, payload, ref inflateBudget);
            }
            else if (type.SequenceEqual("IDAT"u8))
            {
                sawImageData = true;
            }

            if (drop)
            {
                removed = true;
            }
            else
            {
                output?.Write(data[p..chunkEnd]);
            }
            p = chunkEnd;

            if (type.SequenceEqual("IEND"u8))
            {
                if (!sawImageData)
                {
                    throw AttachmentErrors.CorruptImage();
                }
                removed |= p < data.Length;
                return new MetadataFindings(hasLocation, removed);
            }
        }
    }

    private static bool IsChunkType(ReadOnlySpan<byte> type)
    {
        foreach (var b in type)
        {
            if (b is not ((>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z')))
            {
                return false;
            }
        }
        return true;
    }

    private static bool TextMentionsLocation(ReadOnlySpan<byte> type, ReadOnlySpan<byte> payload, ref int inflateBudget)
    {
        var keywordEnd = payload.IndexOf((byte)0);
        if (keywordEnd < 0)
        {
            return GpsText.Mentions(payload);
        }
        var keyword = payload[..keywordEnd];
        var rest = payload[(keywordEnd + 1)..];
        byte[] text;
        try
        {
            text = ChunkText(type, rest, ref inflateBudget);
        }
        catch (InvalidDataException)
        {
            // Cannot be read (or no budget left to read it), so cannot be shown to be free of location;
            // it is removed either way.
            return true;
        }
        if (GpsText.Mentions(keyword) || GpsText.Mentions(text))
        {
            return true;
        }
        // ImageMagick's "Raw profile type exif|APP1|xmp": a hex dump of the profile after three header lines.
        if (keyword.StartsWith("Raw profile type "u8))
        {
            var profile = DecodeRawProfile(text);
            var exifStart = profile.AsSpan().IndexOf("Exif\0"u8);
            return GpsText.Mentions(profile) || (exifStart >= 0 && ExifGps.HasGpsPointer(profile.AsSpan(exifStart)));
        }
        return false;
    }

    private static byte[] ChunkText(ReadOnlySpan<byte> type, ReadOnlySpan<byte> rest, ref int inflateBudget)
    {
        if (type.SequenceEqual("tEXt"u8))
        {
            return rest.ToArray();
        }
        if (type.SequenceEqual("zTXt"u8))
        {
            return rest.Length < 1 ? [] : Inflate(rest[1..], ref inflateBudget);
        }
        // iTXt: compression flag, method, language tag\0, translated keyword\0, text.
        if (rest.Length < 2)
        {
            return [];
        }
        var compressed = rest[0] == 1;
        var afterLanguage = rest[2..];
        var languageEnd = afterLanguage.IndexOf((byte)0);
        if (languageEnd < 0)
        {
            return rest.ToArray();
        }
        var afterTranslated = afterLanguage[(languageEnd + 1)..];
        var translatedEnd = afterTranslated.IndexOf((byte)0);
        if (translatedEnd < 0)
        {
            return rest.ToArray();
        }
        var text = afterTranslated[(translatedEnd + 1)..];
        return compressed ? Inflate(text, ref inflateBudget) : text.ToArray();
    }

    private static byte[] Inflate(ReadOnlySpan<byte> compressed, ref int inflateBudget)
    {
        using var source = new MemoryStream(compressed.ToArray(), writable: false);
        using var zlib = new ZLibStream(source, CompressionMode.Decompress);
        using var inflated = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = zlib.Read(buffer, 0, buffer.Length)) > 0)
        {
            inflateBudget -= read;
            if (inflateBudget < 0)
            {
                throw new InvalidDataException("Text chunks inflate beyond the inspection budget.");
            }
            inflated.Write(buffer, 0, read);
        }
        return inflated.ToArray();
    }

    private static byte[] DecodeRawProfile(byte[] text)
    {
        var span = text.AsSpan();
        for (var line = 0; line < 3; line++)
        {
            var newline = span.IndexOf((byte)'\n');
            if (newline < 0)
            {
                return [];
            }
            span = span[(newline + 1)..];
        }
        var bytes = new List<byte>(span.Length / 2);
        var high = -1;
        foreach (var c in span)
        {
            var nibble = c switch
            {
                >= (byte)'0' and <= (byte)'9' => c - '0',
                >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
                _ => -1,
            };
            if (nibble < 0)
            {
                continue;
            }
            if (high < 0)
            {
                high = nibble;
            }
            else
            {
                bytes.Add((byte)((high << 4) | nibble));
                high = -1;
            }
        }
        return [.. bytes];
    }
}

/// <summary>The CRC-32 of PNG chunks (ISO 3309 / ITU-T V.42, as in zlib).</summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }
}
