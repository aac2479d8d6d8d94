using System.Buffers.Binary;

namespace Community360.Cases.Attachments;

/// <summary>
/// Walks the chunks of a WebP RIFF container. Removes the EXIF and "XMP " chunks, clears their flags in VP8X and
/// rewrites the RIFF size; the image chunks are copied unchanged. The public copy ends where the RIFF size says.
/// </summary>
internal static class WebPMetadata
{
    private const int HeaderLength = 12;
    private const int ChunkHeaderLength = 8;
    private const int Vp8xPayloadLength = 10;
    private const byte ExifFlag = 0x08;
    private const byte XmpFlag = 0x04;

    public static MetadataFindings Process(ReadOnlySpan<byte> data, ByteSink? output)
    {
        if (FileSniffer.Detect(data)?.Kind is not FileKind.WebP)
        {
            throw AttachmentErrors.CorruptImage();
        }
        var riffSize = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        if (riffSize < 4 || riffSize > (uint)(data.Length - 8))
        {
            throw AttachmentErrors.CorruptImage();
        }
        var riffEnd = 8 + (int)riffSize;
        output?.Write(data[..HeaderLength]);
        var hasLocation = false;
        var removed = riffEnd < data.Length;
        var sawImage = false;
        var flagsAt = -1;
        var p = HeaderLength;
        while (p < riffEnd)
        {
            if (riffEnd - p < ChunkHeaderLength)
            {
                throw AttachmentErrors.CorruptImage();
            }
            var fourCc = data.Slice(p, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(data[(p + 4)..]);
            if (size > (uint)(riffEnd - p - ChunkHeaderLength))
            {
                throw AttachmentErrors.CorruptImage();
            }
            var payloadStart = p + ChunkHeaderLength;
            var payload = data.Slice(payloadStart, (int)size);
            // Chunks are padded to an even size; a missing pad byte after the very last chunk is tolerated.
            var chunkEnd = Math.Min(payloadStart + (int)size + (int)(size & 1), riffEnd);
            var isImageChunk = fourCc.SequenceEqual("VP8 "u8) || fourCc.SequenceEqual("VP8L"u8);
            if (p == HeaderLength && !isImageChunk && !fourCc.SequenceEqual("VP8X"u8))
            {
                throw AttachmentErrors.CorruptImage();
            }

            var drop = false;
            if (fourCc.SequenceEqual("EXIF"u8))
            {
                drop = true;
                hasLocation = hasLocation || ExifGps.HasGpsPointer(payload);
            }
            else if (fourCc.SequenceEqual("XMP "u8))
            {
                drop = true;
                hasLocation = hasLocation || GpsText.Mentions(payload);
            }
            else if (fourCc.SequenceEqual("VP8X"u8))
            {
                if (size < Vp8xPayloadLength || flagsAt >= 0)
                {
                    throw AttachmentErrors.CorruptImage();
                }
                if ((payload[0] & (ExifFlag | XmpFlag)) != 0)
                {
                    removed = true;
                }
                flagsAt = (output?.Length ?? 0) + ChunkHeaderLength;
            }
            else if (isImageChunk || fourCc.SequenceEqual("ANMF"u8))
            {
                sawImage = true;
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
        }
        if (!sawImage)
        {
            throw AttachmentErrors.CorruptImage();
        }
        if (output is not null)
        {
            var written = output.Written;
            if (flagsAt >= 0)
            {
                written[flagsAt] &= unchecked((byte)~(ExifFlag | XmpFlag));
            }
            BinaryPrimitives.WriteUInt32LittleEndian(written[4..], (uint)(written.Length - 8));
        }
        return new MetadataFindings(hasLocation, removed);
    }
}
