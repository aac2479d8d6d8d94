using System.Buffers.Binary;

namespace Community360.Cases.Attachments;

/// <summary>Reads just enough of an Exif (TIFF) block to see whether it points to a GPS IFD.</summary>
internal static class ExifGps
{
    private const ushort GpsIfdPointerTag = 0x8825;
    private const int EntrySize = 12;

    /// <summary>
    /// True when IFD0 holds the GPS IFD pointer (tag 0x8825). An Exif block that cannot be read counts as having one:
    /// it cannot be shown to be free of location, and the block is removed from the public copy either way.
    /// </summary>
    public static bool HasGpsPointer(ReadOnlySpan<byte> exif)
    {
        // JPEG APP1 and some WebP/PNG writers prefix the TIFF header with "Exif\0\0" (or "Exif\0\xFF").
        if (exif.StartsWith("Exif\0"u8))
        {
            exif = exif.Length >= 6 ? exif[6..] : [];
        }
        if (exif.Length < 8)
        {
            return true;
        }
        bool littleEndian;
        if (exif[0] == 'I' && exif[1] == 'I')
        {
            littleEndian = true;
        }
        else if (exif[0] == 'M' && exif[1] == 'M')
        {
            littleEndian = false;
        }
        else
        {
            return true;
        }
        if (ReadUInt16(exif[2..], littleEndian) != 42)
        {
            return true;
        }
        var ifdOffset = ReadUInt32(exif[4..], littleEndian);
        if (ifdOffset > (uint)(exif.Length - 2))
        {
            return true;
        }
        var ifd = exif[(int)ifdOffset..];
        int count = ReadUInt16(ifd, littleEndian);
        var entries = ifd[2..];
        for (var i = 0; i < count; i++)
        {
            if (entries.Length < EntrySize)
            {
                return true;
            }
            if (ReadUInt16(entries, littleEndian) == GpsIfdPointerTag)
            {
                return true;
            }
            entries = entries[EntrySize..];
        }
        return false;
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> bytes, bool littleEndian) =>
        littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(bytes) : BinaryPrimitives.ReadUInt16BigEndian(bytes);

    private static uint ReadUInt32(ReadOnlySpan<byte> bytes, bool littleEndian) =>
        littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt32BigEndian(bytes);
}

/// <summary>Location in XMP (and in text chunks that copy Exif tags) is recognised by the GPS property names.</summary>
internal static class GpsText
{
    public static bool Mentions(ReadOnlySpan<byte> text) =>
        text.IndexOf("exif:GPS"u8) >= 0 || text.IndexOf("GPSLatitude"u8) >= 0 || text.IndexOf("GPSLongitude"u8) >= 0;
}
