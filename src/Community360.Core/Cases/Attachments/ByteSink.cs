namespace Community360.Cases.Attachments;

/// <summary>
/// Collects the kept parts of a file. Stripping only ever removes bytes, so the buffer is sized to the input once
/// and never grows; fields such as a RIFF size are patched in place afterwards.
/// </summary>
internal sealed class ByteSink(int capacity)
{
    private readonly byte[] _buffer = new byte[capacity];

    public int Length { get; private set; }

    public Span<byte> Written => _buffer.AsSpan(0, Length);

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buffer.Length - Length)
        {
            throw new InvalidOperationException("Stripped output cannot be larger than its input.");
        }
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
    }

    public byte[] ToArray() => Written.ToArray();
}
