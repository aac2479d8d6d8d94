using System.Text;
using System.Text.RegularExpressions;

namespace Community360.Cases.Repeats;

/// <summary>
/// Reduces an address to a place key, "compound|building" ("翠园|3") or just "compound" ("翠园") when no building is
/// named, so that one place written several ways gives one key: 翠园小区三号楼, 翠园小区3栋 and 翠园3幢 are all
/// "翠园|3". Administrative prefixes (北京市朝阳区示例街道翠园社区), a road before the compound (示例路翠园小区), units and
/// rooms (2单元301) are left out. A road address gives "road|door number" (示例路12号 → "示例路|12").
/// </summary>
public static partial class PlaceNormalizer
{
    public const char Separator = '|';

    /// <summary>
    /// The place key of an address, using <paramref name="compoundName"/> (when known from the compound register) in
    /// preference to the compound the address names. Null when no compound or road can be recognised: a bare
    /// "3号楼" names no place by itself.
    /// </summary>
    public static string? Normalize(string? compoundName, string? address)
    {
        var text = Prepare(address);
        string? building = null;
        var prefix = text;
        if (Building().Match(text) is { Success: true } strong)
        {
            building = strong.Groups["n"].Value;
            prefix = text[..strong.Index];
        }
        else if (BuildingUnitRoom().Match(text) is { Success: true } dashed && EndsLikeAPlace(text.AsSpan(0, dashed.Index)))
        {
            building = dashed.Groups["n"].Value;
            prefix = text[..dashed.Index];
        }
        else if (DoorNumber().Match(text) is { Success: true } door && EndsLikeAPlace(text.AsSpan(0, door.Index)))
        {
            building = door.Groups["n"].Value;
            prefix = text[..door.Index];
        }

        var compound = CompoundBase(Prepare(compoundName), wholeIsCompound: true)
            ?? CompoundBase(prefix, wholeIsCompound: building is not null);
        if (compound is null)
        {
            return null;
        }
        return building is null
            ? compound
            : string.Concat(compound, Separator.ToString(), building.ToUpperInvariant());
    }

    /// <summary>For a dispatcher: "翠园 3 号楼", "示例路 12 号", "华庭 A 座", or the compound alone.</summary>
    public static string Describe(string placeKey)
    {
        var (compound, building) = Split(placeKey);
        if (building is null)
        {
            return compound;
        }
        if (building.Length == 1 && char.IsAsciiLetter(building[0]))
        {
            return $"{compound} {building} 座";
        }
        return IsRoad(compound) ? $"{compound} {building} 号" : $"{compound} {building} 号楼";
    }

    /// <summary>The compound (or road) part of a place key.</summary>
    public static string CompoundOf(string placeKey) => Split(placeKey).Compound;

    /// <summary>The building (or door number) of a place key; null when the key names the compound only.</summary>
    public static string? BuildingOf(string placeKey) => Split(placeKey).Building;

    /// <summary>True when the key names a road rather than a compound (示例路, 幸福街, 光明胡同).</summary>
    public static bool IsRoad(string compound) =>
        compound.EndsWith('路') || compound.EndsWith('街') || compound.EndsWith('巷') || compound.EndsWith('弄')
        || compound.EndsWith("胡同", StringComparison.Ordinal) || compound.EndsWith("大道", StringComparison.Ordinal);

    private static (string Compound, string? Building) Split(string placeKey)
    {
        var at = placeKey.IndexOf(Separator, StringComparison.Ordinal);
        return at < 0 ? (placeKey, null) : (placeKey[..at], placeKey[(at + 1)..]);
    }

    /// <summary>Width-folded, lower-cased, numerals as digits, buildings as N号楼; only letters, digits and '-' kept.</summary>
    private static string Prepare(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return string.Empty;
        }
        var folded = ChineseText.FoldWidthAndCase(value);
        var withDigits = ChineseNumerals.ReplaceBeforeMeasureWords(folded);
        var canonical = ChineseNumerals.CanonicalBuildingMarker().Replace(withDigits, "${n}号楼");
        var builder = new StringBuilder(canonical.Length);
        foreach (var c in canonical)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(c);
            }
            else if (c is '-' or '—' or '–' or '_')
            {
                builder.Append('-');
            }
        }
        return builder.ToString();
    }

    /// <summary>
    /// The compound's base name: administrative prefixes and a leading road cut off, the compound found by its suffix
    /// (小区, 家园, 苑, 里…) and a trailing 小区/社区 dropped (翠园小区 → 翠园, so that 翠园3幢 agrees). When no compound
    /// suffix is found, a road (示例路) stands for the place; failing that, the whole text when
    /// <paramref name="wholeIsCompound"/> (it stood before a building number or was given as a compound name).
    /// </summary>
    private static string? CompoundBase(string text, bool wholeIsCompound)
    {
        var rest = StripAdministrativePrefixes(text.Trim('-'));
        rest = StripLeadingRoad(rest);
        var compound = FindCompound(rest) ?? FindRoad(rest) ?? (wholeIsCompound ? TrimFillers(rest) : null);
        if (string.IsNullOrEmpty(compound))
        {
            return null;
        }
        foreach (var generic in GenericSuffixes)
        {
            if (compound.Length > generic.Length && compound.EndsWith(generic, StringComparison.Ordinal))
            {
                return compound[..^generic.Length];
            }
        }
        return compound;
    }

    private static readonly string[] GenericSuffixes = ["小区", "社区"];

    private static string StripAdministrativePrefixes(string text)
    {
        var rest = text;
        foreach (var prefix in new[] { Province(), City(), District(), StreetOffice(), CommunityOffice() })
        {
            if (prefix.Match(rest) is { Success: true } m && rest.Length - m.Length >= 2)
            {
                rest = rest[m.Length..];
            }
        }
        return rest;
    }

    /// <summary>
    /// "示例路翠园小区" → "翠园小区"; "示例路12号院" stays (the road and number are the compound's name), and so does a road
    /// followed by no compound (示例路与幸福街交叉口: the road is the place).
    /// </summary>
    private static string StripLeadingRoad(string text)
    {
        if (LeadingRoad().Match(text) is { Success: true } m)
        {
            var rest = text[m.Length..];
            // "安和胡同平房院落2号院": 平房院落 is a kind of place, not a name; without the alley every courtyard is one place.
            if (rest.Length >= 2 && !IsDigitOrDash(rest[0]) && Array.IndexOf(BareSuffixes, rest) < 0
                && !GenericCourtyards.Any(g => rest.StartsWith(g, StringComparison.Ordinal)) && FindCompound(rest) is not null)
            {
                return rest;
            }
        }
        return text;
    }

    private static readonly string[] BareSuffixes = ["小区", "社区", "家园", "花园", "公寓", "大厦", "新村"];

    private static readonly string[] GenericCourtyards = ["平房院落", "平房院", "平房", "大杂院", "四合院", "院落"];

    private static bool IsDigitOrDash(char c) => char.IsAsciiDigit(c) || c == '-';

    private static string? FindCompound(string text)
    {
        for (var i = 1; i < text.Length; i++)
        {
            var length = SuffixLengthAt(text, i);
            if (length == 0)
            {
                continue;
            }
            var end = i + length;
            // 金城苑, 翠园小区, 和平里社区: suffixes run on; 里 and 院 do not continue one (翠园小区里, 翠园小区院内).
            while (end < text.Length && SuffixLengthAt(text, end) is > 0 and var more
                && !(more == 1 && text[end] is '里' or '院'))
            {
                end += more;
            }
            if (Section().Match(text, end) is { Success: true } section && section.Index == end)
            {
                end += section.Length;
            }
            return text[..end];
        }
        return null;
    }

    private static int SuffixLengthAt(string text, int index)
    {
        var span = text.AsSpan(index);
        // 小花园 is a spot in a compound (惠民小区小花园, 惠民小花园), not a compound named …花园 or …园.
        if (text.AsSpan(0, index + 1).EndsWith("小花") || text.AsSpan(0, index + 1).EndsWith("小花园")
            || span.StartsWith("花园", StringComparison.Ordinal) && text[index - 1] == '小')
        {
            return 0;
        }
        foreach (var suffix in MultiCharSuffixes)
        {
            if (span.StartsWith(suffix, StringComparison.Ordinal))
            {
                return suffix.Length;
            }
        }
        return SingleCharSuffixes.Contains(span[0], StringComparison.Ordinal) ? 1 : 0;
    }

    private static readonly string[] MultiCharSuffixes = ["小区", "家园", "花园", "公寓", "大厦", "新村", "社区", "号院"];
    private const string SingleCharSuffixes = "苑院里园村府庭湾城坊";

    private static string? FindRoad(string text) =>
        Road().Match(text) is { Success: true } m ? m.Value : null;

    private static string TrimFillers(string text) => text.TrimEnd('的', '内', '-');

    private static bool EndsLikeAPlace(ReadOnlySpan<char> before)
    {
        if (before.IsEmpty)
        {
            return false;
        }
        return "路街巷弄同道里院园苑村区城府庭湾寓厦坊".Contains(before[^1], StringComparison.Ordinal);
    }

    /// <summary>The building: "3号楼" after <see cref="Prepare"/> has rewritten 三号楼/3栋/3幢/3#, or a lettered block.</summary>
    [GeneratedRegex("(?<n>[0-9]{1,4}|(?<![a-z])[a-z])号楼")]
    private static partial Regex Building();

    /// <summary>Building-unit-room written with dashes, as on forms: 3-2-301.</summary>
    [GeneratedRegex("(?<n>[0-9]{1,3})-[0-9]{1,3}(?:-[0-9]{1,4})?")]
    private static partial Regex BuildingUnitRoom();

    /// <summary>A door number on a road or in a compound: 示例路12号(门口), but not 12号院 (part of a compound's name) or 3号门.</summary>
    [GeneratedRegex("(?<n>[0-9]{1,5})号(?!院|楼|线|门(?!口))")]
    private static partial Regex DoorNumber();

    /// <summary>A part of a compound: 东区, 3区, 2期, a区.</summary>
    [GeneratedRegex("(?:[东西南北中]|[0-9]{1,2}|[a-z])(?:区|期)")]
    private static partial Regex Section();

    [GeneratedRegex(@"^[\p{IsCJKUnifiedIdeographs}]{1,8}?(?:路|大街|街|巷|胡同|大道)(?:[0-9]{1,5}号)?")]
    private static partial Regex LeadingRoad();

    [GeneratedRegex(@"^[\p{IsCJKUnifiedIdeographs}]{1,8}?(?:路|大街|街|巷|胡同|大道)")]
    private static partial Regex Road();

    [GeneratedRegex(@"^[\p{IsCJKUnifiedIdeographs}]{2,7}?(?:省|自治区)")]
    private static partial Regex Province();

    /// <summary>北京市, but not 超市/菜市/夜市/集市/门市 (a shop is not a city).</summary>
    [GeneratedRegex(@"^[\p{IsCJKUnifiedIdeographs}]{2,4}?(?<![超菜夜集门])市")]
    private static partial Regex City();

    [GeneratedRegex(@"^[\p{IsCJKUnifiedIdeographs}]{1,6}?(?<![小社东西南北中新老0-9a-z])(?:区|县)")]
    private static partial Regex District();

    [GeneratedRegex(@"^[\p{IsCJKUnifiedIdeographs}]{2,8}?(?:街道办事处|街道)")]
    private static partial Regex StreetOffice();

    [GeneratedRegex(@"^[\p{IsCJKUnifiedIdeographs}]{2,8}?社区(?:居委会|居民委员会)?(?=[\p{IsCJKUnifiedIdeographs}]{2})")]
    private static partial Regex CommunityOffice();
}
