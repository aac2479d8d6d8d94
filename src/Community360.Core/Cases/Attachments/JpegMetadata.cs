namespace Community360.Cases.Attachments;

internal readonly record struct MetadataFindings(bool HasLocation, bool RemovedSomething);

/// <summary>
/// Walks the marker segments of a JPEG. Removes APP1 (Exif, XMP, extended XMP), APP13 (Photoshop/IPTC) and the
/// APP2 "MPF" index, keeps every other segment and all entropy-coded data byte-identical, and ends the file at EOI.
/// </summary>
/// <remarks>
/// The walk does not stop at the first SOS: progressive files have several scans with tables between them, and
/// JPEG syntax allows APPn segments there too. Entropy-coded data is copied verbatim; in it 0xFF is always followed
/// by 0x00 (stuffing) or RST0–7, so the next other marker is found without decoding. Whatever follows EOI (the
/// second picture of an MPO, a phone's "motion photo" video, vendor trailers) can carry its own Exif with GPS and is
/// not part of the picture, so the public copy ends at EOI.
/// </remarks>
internal static class JpegMetadata
{
    private const byte Marker = 0xFF;
    private const byte StartOfImage = 0xD8;
    private const byte EndOfImage = 0xD9;
    private const byte StartOfScan = 0xDA;
    private const byte App1 = 0xE1;
    private const byte App2 = 0xE2;
    private const byte App13 = 0xED;

    public static MetadataFindings Process(ReadOnlySpan<byte> data, ByteSink? output)
    {
        if (data.Length < 4 || data[0] != Marker || data[1] != StartOfImage)
        {
            throw AttachmentErrors.CorruptImage();
        }
        output?.Write(data[..2]);
        var hasLocation = false;
        var removed = false;
        var sawFrame = false;
        var sawScan = false;
        var p = 2;
        while (true)
        {
            var segmentStart = p;
            if (p >= data.Length || data[p] != Marker)
            {
                throw AttachmentErrors.CorruptImage();
            }
            while (p < data.Length && data[p] == Marker)
            {
                p++;
            }
            if (p >= data.Length)
            {
                throw AttachmentErrors.CorruptImage();
            }
            var code = data[p++];
            if (code == EndOfImage)
            {
                if (!sawScan)
                {
                    throw AttachmentErrors.CorruptImage();
                }
                output?.Write(data[segmentStart..p]);
                removed |= p < data.Length;
                return new MetadataFindings(hasLocation, removed);
            }
            if (code is 0x00 or StartOfImage)
            {
                throw AttachmentErrors.CorruptImage();
            }
            if (code is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                // TEM and RSTn stand alone, without a length.
                output?.Write(data[segmentStart..p]);
                continue;
            }
            if (data.Length - p < 2)
            {
                throw AttachmentErrors.CorruptImage();
            }
            var length = (data[p] << 8) | data[p + 1];
            if (length < 2 || length > data.Length - p)
            {
                throw AttachmentErrors.CorruptImage();
            }
            var segmentEnd = p + length;
            var payload = data[(p + 2)..segmentEnd];
            var drop = false;
            switch (code)
            {
                case App1:
                    drop = true;
                    hasLocation |= payload.StartsWith("Exif\0"u8) ? ExifGps.HasGpsPointer(payload) : GpsText.Mentions(payload);
                    break;
                case App13:
                    drop = true;
                    break;
                case App2:
                    // The Multi-Picture index points past EOI, where nothing remains in the public copy.
                    drop = payload.StartsWith("MPF\0"u8);
                    break;
                case StartOfScan:
                    if (!sawFrame)
                    {
                        throw AttachmentErrors.CorruptImage();
                    }
                    sawScan = true;
                    break;
                case >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC:
                    sawFrame = true;
                    break;
                default:
                    break;
            }
            if (drop)
            {
                removed = true;
            }
            else
            {
                output?.Write(data[segmentStart..segmentEnd]);
            }
            p = segmentEnd;
            if (code == StartOfScan)
            {
                var scanEnd = EndOfEntropyCodedData(data, p);
                output?.Write(data[p..scanEnd]);
                p = scanEnd;
            }
        }
    }

    /// <summary>Index of the 0xFF that starts the first marker after entropy-coded data beginning at <paramref name="start"/>.</summary>
    private static int EndOfEntropyCodedData(ReadOnlySpan<byte> data, int start)
    {
        var q = start;
        while (true)
        {
            var next = data[q..].IndexOf(Marker);
            if (next < 0)
            {
                throw AttachmentErrors.CorruptImage();
            }
            q += next;
            if (q + 1 >= data.Length)
            {
                throw AttachmentErrors.CorruptImage();
            }
            var following = data[q + 1];
            if (following is 0x00 or (>= 0xD0 and <= 0xD7))
            {
                q += 2;
            }
            else if (following == Marker)
            {
                // Fill bytes before a marker: the last 0xFF of the run starts it.
                q++;
            }
            else
            {
                return q;
            }
        }
    }
}
