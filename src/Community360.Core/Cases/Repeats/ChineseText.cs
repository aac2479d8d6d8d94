using System.Text;

namespace Community360.Cases.Repeats;

/// <summary>
/// Text normalization and character n-gram features for Chinese complaint text. Chinese has no spaces, and a word
/// segmenter is neither needed nor reliable on colloquial complaints: overlapping character bigrams are the unit
/// (DESIGN §7: most Chinese words are two characters, which FTS5 trigrams cannot match).
/// </summary>
public static class ChineseText
{
    /// <summary>Texts shorter than this (after normalization) also get unigram features, or they would have almost none.</summary>
    public const int UnigramBelowLength = 4;

    /// <summary>
    /// Only the start of a very long description is indexed: complaints state their problem early, and a bound keeps
    /// the index compact and a lookup's cost predictable.
    /// </summary>
    public const int MaxIndexedLength = 400;

    /// <summary>
    /// Full-width forms to half-width, Latin to lower case, and everything but letters (CJK included) and digits
    /// removed: whitespace, Chinese and Latin punctuation, symbols. Null or blank gives an empty string.
    /// </summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }
        var builder = new StringBuilder(text.Length);
        foreach (var raw in text)
        {
            var c = FoldWidth(raw);
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(c is >= 'A' and <= 'Z' ? (char)(c + ('a' - 'A')) : c);
            }
        }
        return builder.ToString();
    }

    /// <summary>
    /// <see cref="Normalize"/> after writing numbers and buildings one way: Chinese numerals before a measure word become
    /// digits (三号楼 → 3号楼, 二十三层 → 23层) and every building form becomes 号楼 (3栋, 3幢, 3#楼, 3# → 3号楼), so
    /// that two wordings of one address share their features.
    /// </summary>
    public static string NormalizeForMatching(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }
        var folded = FoldWidthAndCase(text);
        var withDigits = ChineseNumerals.ReplaceBeforeMeasureWords(folded);
        var canonical = ChineseNumerals.CanonicalBuildingMarker().Replace(withDigits, "${n}号楼");
        return Normalize(canonical);
    }

    /// <summary>
    /// The distinct features of a text, sorted ascending: each character bigram of <see cref="NormalizeForMatching"/>
    /// packed into one int (first UTF-16 unit in the high half, second in the low half, hence no collisions), plus
    /// unigrams (the character alone, high half zero) for texts shorter than <see cref="UnigramBelowLength"/>.
    /// </summary>
    public static int[] Features(string? text) => FeaturesOfNormalized(NormalizeForMatching(text));

    /// <summary>Features of a text that is already the output of <see cref="NormalizeForMatching"/>.</summary>
    public static int[] FeaturesOfNormalized(string normalized)
    {
        var span = normalized.AsSpan(0, Math.Min(normalized.Length, MaxIndexedLength));
        if (span.IsEmpty)
        {
            return [];
        }
        var withUnigrams = span.Length < UnigramBelowLength;
        var features = new int[Math.Max(0, span.Length - 1) + (withUnigrams ? span.Length : 0)];
        var count = 0;
        for (var i = 0; i + 1 < span.Length; i++)
        {
            features[count++] = Bigram(span[i], span[i + 1]);
        }
        if (withUnigrams)
        {
            foreach (var c in span)
            {
                features[count++] = c;
            }
        }
        Array.Sort(features, 0, count);
        var distinct = 0;
        for (var i = 0; i < count; i++)
        {
            if (distinct == 0 || features[distinct - 1] != features[i])
            {
                features[distinct++] = features[i];
            }
        }
        return distinct == features.Length ? features : features[..distinct];
    }

    /// <summary>
    /// The features a similarity is computed on: <see cref="Features"/> plus every CJK character alone, sorted. Single
    /// characters carry much of colloquial Chinese (狗, 灯, 水, 暖); they are weighted by their own, lower, IDF and are not
    /// used to look candidates up, only to score them.
    /// </summary>
    public static int[] ScoringFeatures(string normalized)
    {
        var bigrams = FeaturesOfNormalized(normalized);
        var span = normalized.AsSpan(0, Math.Min(normalized.Length, MaxIndexedLength));
        var all = new List<int>(bigrams.Length + span.Length);
        all.AddRange(bigrams);
        foreach (var c in span)
        {
            if (IsCjk(c))
            {
                all.Add(c);
            }
        }
        all.Sort();
        var distinct = 0;
        for (var i = 0; i < all.Count; i++)
        {
            if (distinct == 0 || all[distinct - 1] != all[i])
            {
                all[distinct++] = all[i];
            }
        }
        return [.. all.GetRange(0, distinct)];
    }

    /// <summary>True for a unigram feature (a character alone), false for a bigram.</summary>
    public static bool IsUnigram(int feature) => (uint)feature <= char.MaxValue;

    /// <summary>CJK unified ideographs (with extension A and the compatibility block).</summary>
    public static bool IsCjk(char c) => c is >= '㐀' and <= '鿿' or >= '豈' and <= '﫿';

    /// <summary>Two UTF-16 units in one int: unique, so a feature never stands for two bigrams.</summary>
    public static int Bigram(char first, char second) => (first << 16) | second;

    /// <summary>The text a feature stands for (for diagnostics and tests).</summary>
    public static string Describe(int feature)
    {
        var first = (char)((uint)feature >> 16);
        var second = (char)(feature & 0xFFFF);
        return first == '\0' ? second.ToString() : string.Concat(first.ToString(), second.ToString());
    }

    internal static string FoldWidthAndCase(string text)
    {
        var chars = new char[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            var c = FoldWidth(text[i]);
            chars[i] = c is >= 'A' and <= 'Z' ? (char)(c + ('a' - 'A')) : c;
        }
        return new string(chars);
    }

    /// <summary>Full-width ASCII (Ａ, ３, ＃) and the ideographic space to their half-width forms.</summary>
    internal static char FoldWidth(char c) => c switch
    {
        >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
        '\u3000' => ' ',
        _ => c,
    };
}
