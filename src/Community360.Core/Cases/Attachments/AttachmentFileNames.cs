using System.Globalization;
using System.Text;

namespace Community360.Cases.Attachments;

public static class AttachmentFileNames
{
    public const int MaxLength = 100;
    public const string Fallback = "附件";

    /// <summary>
    /// A display and download name from what the client sent: last path part only, no control or bidi-override
    /// characters (which can make "gpj.exe" read as "exe.jpg"), no characters Windows cannot save, at most
    /// <see cref="MaxLength"/> characters, ending in the extension of the sniffed type rather than the claimed one.
    /// </summary>
    public static string Sanitize(string? fileName, string extension)
    {
        var name = fileName ?? string.Empty;
        name = name[(name.LastIndexOfAny(['/', '\\']) + 1)..];

        var clean = new StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            // Also what a lone surrogate enumerates as.
            if (rune == Rune.ReplacementChar)
            {
                continue;
            }
            switch (Rune.GetUnicodeCategory(rune))
            {
                case UnicodeCategory.Control:
                case UnicodeCategory.Format:
                case UnicodeCategory.LineSeparator:
                case UnicodeCategory.ParagraphSeparator:
                case UnicodeCategory.Surrogate:
                case UnicodeCategory.PrivateUse:
                case UnicodeCategory.OtherNotAssigned:
                    continue;
                default:
                    break;
            }
            clean.Append(rune.Value is '<' or '>' or ':' or '"' or '|' or '?' or '*' ? "_" : rune.ToString());
        }

        var stem = clean.ToString().Normalize(NormalizationForm.FormC).Trim();
        var dot = stem.LastIndexOf('.');
        if (dot >= 0 && IsExtension(stem.AsSpan(dot + 1)))
        {
            stem = stem[..dot];
        }
        stem = TrimName(stem);
        if (stem.Length == 0)
        {
            stem = Fallback;
        }
        return Truncate(stem, MaxLength - extension.Length) + extension;
    }

    private static string TrimName(string value) => value.Trim().Trim('.').Trim();

    private static bool IsExtension(ReadOnlySpan<char> suffix)
    {
        if (suffix.Length is 0 or > 10)
        {
            return false;
        }
        foreach (var c in suffix)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Cuts on a text-element boundary, so no surrogate pair or combining sequence is split.</summary>
    private static string Truncate(string value, int maxLength)
    {
        if (value.Length <= maxLength)
        {
            return value;
        }
        var end = 0;
        var elements = StringInfo.GetTextElementEnumerator(value);
        while (elements.MoveNext())
        {
            var next = elements.ElementIndex + elements.GetTextElement().Length;
            if (next > maxLength)
            {
                break;
            }
            end = next;
        }
        return TrimName(value[..end]) is { Length: > 0 } cut ? cut : Fallback;
    }
}
