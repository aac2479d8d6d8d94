using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Community360.Cases.Repeats;

/// <summary>Chinese numerals in addresses (三号楼, 十二栋, 二十三层, 三零一室) read as digits.</summary>
internal static partial class ChineseNumerals
{
    /// <summary>
    /// Rewrites a run of Chinese numerals that stands before a measure word of an address (号, 栋, 单元, 层…) as
    /// digits. Numerals elsewhere (一个问题, 十字路口, 五一小区) stay as they are. Expects lower-cased, width-folded text.
    /// </summary>
    public static string ReplaceBeforeMeasureWords(string text)
    {
        if (text.AsSpan().IndexOfAny(NumeralChars) < 0)
        {
            return text;
        }
        return NumeralsBeforeMeasureWord().Replace(text, m => ToDigits(m.Value) ?? m.Value);
    }

    /// <summary>
    /// "三" → "3", "十二" → "12", "二十" → "20", "一百零五" → "105"; without 十 or 百 the numerals are read digit by digit,
    /// as room numbers are spoken ("三零一" → "301"). Null when the text is not a numeral this can read.
    /// </summary>
    public static string? ToDigits(ReadOnlySpan<char> numerals)
    {
        if (numerals.IsEmpty)
        {
            return null;
        }
        if (numerals.IndexOfAny('十', '百') < 0)
        {
            var builder = new StringBuilder(numerals.Length);
            foreach (var c in numerals)
            {
                var digit = Digit(c);
                if (digit < 0)
                {
                    return null;
                }
                builder.Append((char)('0' + digit));
            }
            return builder.ToString();
        }
        var total = 0;
        var current = -1;
        foreach (var c in numerals)
        {
            switch (c)
            {
                case '十':
                    total += (current < 0 ? 1 : current) * 10;
                    current = -1;
                    break;
                case '百':
                    total += (current < 0 ? 1 : current) * 100;
                    current = -1;
                    break;
                default:
                    var digit = Digit(c);
                    if (digit < 0)
                    {
                        return null;
                    }
                    current = digit;
                    break;
            }
        }
        total += Math.Max(current, 0);
        return total.ToString(CultureInfo.InvariantCulture);
    }

    private static int Digit(char c) => c switch
    {
        '零' or '〇' => 0,
        '一' => 1,
        '二' or '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => -1,
    };

    private static readonly SearchValues<char> NumeralChars = SearchValues.Create("零〇一二两三四五六七八九十百");

    [GeneratedRegex("[零〇一二两三四五六七八九十百]+(?=号|栋|幢|座|单元|层|楼|室|期|区|排|组|#)")]
    private static partial Regex NumeralsBeforeMeasureWord();

    /// <summary>
    /// Every way of writing a building after its number or letter (3号楼, 3栋, 3栋楼, 3幢, 3#楼, 3#, a座) — group
    /// "n" is the number or letter. A lone letter must not follow another letter ("abc座" is not building C).
    /// </summary>
    [GeneratedRegex("(?<n>[0-9]{1,4}|(?<![a-z])[a-z])(?:号楼|栋楼|幢楼|号座|栋|幢|座|#楼|#)")]
    public static partial Regex CanonicalBuildingMarker();
}
