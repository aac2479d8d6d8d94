using System.Text.RegularExpressions;

namespace Community360.Cases.Repeats;

/// <summary>
/// The compounds and roads the index has seen in place keys (or was told about), used to read a place out of a
/// description when the address is missing or names the compound only: "新华里10#楼没水" gives "新华里|10" once 新华里 is
/// known. Only known names are matched, so an opening such as "居民反映" is never mistaken for a compound. Not
/// thread-safe by itself: the index changes it under its write lock and reads it under its read lock.
/// </summary>
internal sealed partial class KnownPlaces
{
    private const int MinimumNameLength = 2;

    private readonly Dictionary<string, int> _references = new(StringComparer.Ordinal);
    private readonly HashSet<string> _registered = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _referencesBySpan;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _registeredBySpan;
    private int _longest;

    public KnownPlaces()
    {
        _referencesBySpan = _references.GetAlternateLookup<ReadOnlySpan<char>>();
        _registeredBySpan = _registered.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>A compound base name from the register (see <see cref="PlaceNormalizer.CompoundOf"/>).</summary>
    public void Register(string compound)
    {
        if (compound.Length >= MinimumNameLength && _registered.Add(compound))
        {
            _longest = Math.Max(_longest, compound.Length);
        }
    }

    public void Reference(string? placeKey)
    {
        if (placeKey is null)
        {
            return;
        }
        var compound = PlaceNormalizer.CompoundOf(placeKey);
        if (compound.Length < MinimumNameLength)
        {
            return;
        }
        _references[compound] = _references.GetValueOrDefault(compound) + 1;
        _longest = Math.Max(_longest, compound.Length);
    }

    public void Release(string? placeKey)
    {
        if (placeKey is null)
        {
            return;
        }
        var compound = PlaceNormalizer.CompoundOf(placeKey);
        if (_references.TryGetValue(compound, out var count))
        {
            if (count <= 1)
            {
                _references.Remove(compound);
            }
            else
            {
                _references[compound] = count - 1;
            }
        }
    }

    /// <summary>
    /// The place a case is at: its own key, made more precise when the key names no building (or is missing) and the
    /// address or the description names a known compound (and building). The address is read first: it is where the
    /// problem is; a description may mention other places.
    /// </summary>
    public string? Effective(string? placeKey, string normalizedText, string? address = null)
    {
        if (placeKey is not null && PlaceNormalizer.BuildingOf(placeKey) is not null)
        {
            return placeKey;
        }
        var fromAddress = string.IsNullOrEmpty(address) ? null : Infer(ChineseText.NormalizeForMatching(address));
        var current = Refine(placeKey, fromAddress);
        return current is not null && PlaceNormalizer.BuildingOf(current) is not null
            ? current
            : Refine(current, Infer(normalizedText));
    }

    /// <summary>A missing key becomes the inferred one; a compound-only key gains the inferred building of that compound.</summary>
    private static string? Refine(string? placeKey, string? inferred)
    {
        if (placeKey is null)
        {
            return inferred;
        }
        return inferred is not null
            && PlaceNormalizer.BuildingOf(inferred) is not null
            && string.Equals(PlaceNormalizer.CompoundOf(inferred), placeKey, StringComparison.Ordinal)
            ? inferred
            : placeKey;
    }

    /// <summary>
    /// The first known compound (or road) named in a text from <see cref="ChineseText.NormalizeForMatching"/>, with the
    /// building (or door number) right after it when there is one.
    /// </summary>
    public string? Infer(string text)
    {
        if (_longest == 0 || text.Length < MinimumNameLength)
        {
            return null;
        }
        foreach (Match building in BuildingInText().Matches(text))
        {
            if (KnownEndingAt(text.AsSpan(0, building.Index)) is { } compound)
            {
                return string.Concat(compound, PlaceNormalizer.Separator.ToString(), building.Groups["n"].Value.ToUpperInvariant());
            }
        }
        for (var start = 0; start + MinimumNameLength <= text.Length; start++)
        {
            for (var length = Math.Min(_longest, text.Length - start); length >= MinimumNameLength; length--)
            {
                var name = text.AsSpan(start, length);
                if (IsKnown(name))
                {
                    return name.ToString();
                }
            }
        }
        return null;
    }

    /// <summary>The longest known name that the text ends with, allowing a 小区/社区 or 的 between name and building.</summary>
    private string? KnownEndingAt(ReadOnlySpan<char> before)
    {
        if (before.EndsWith("的"))
        {
            before = before[..^1];
        }
        if (before.EndsWith("小区") || before.EndsWith("社区"))
        {
            before = before[..^2];
        }
        for (var length = Math.Min(_longest, before.Length); length >= MinimumNameLength; length--)
        {
            var name = before[^length..];
            if (IsKnown(name))
            {
                return name.ToString();
            }
        }
        return null;
    }

    private bool IsKnown(ReadOnlySpan<char> name) => _referencesBySpan.ContainsKey(name) || _registeredBySpan.Contains(name);

    /// <summary>A building after <see cref="ChineseText.NormalizeForMatching"/> (always N号楼), or a door number N号.</summary>
    [GeneratedRegex("(?<n>[0-9]{1,4}|(?<![a-z])[a-z])号楼|(?<n>[0-9]{1,5})号(?!院|线|门(?!口))")]
    private static partial Regex BuildingInText();
}
