using System.Text.RegularExpressions;

namespace Community360.Common;

/// <summary>
/// Marks a property that holds personal data (phone, ID number, address). Audit details record that it changed,
/// never its value, and read models mask it unless the caller reveals it with a reason.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SensitiveAttribute : Attribute;

/// <summary>Masks personal data for display and scrubs it from free text such as log lines.</summary>
public static partial class Masking
{
    /// <summary>138****5678: keeps the carrier prefix and the last four digits, as Chinese service desks do.</summary>
    public static string? Phone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return phone;
        }
        var digits = phone.Trim();
        return digits.Length switch
        {
            >= 11 => string.Concat(digits.AsSpan(0, 3), "****", digits.AsSpan(digits.Length - 4)),
            >= 7 => string.Concat(digits.AsSpan(0, 2), "***", digits.AsSpan(digits.Length - 2)),
            _ => "****",
        };
    }

    /// <summary>110105********123X: region code and last four stay, birth date hidden.</summary>
    public static string? IdNumber(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return id;
        }
        var value = id.Trim();
        return value.Length >= 15
            ? string.Concat(value.AsSpan(0, 6), new string('*', value.Length - 10), value.AsSpan(value.Length - 4))
            : "****";
    }

    /// <summary>Keeps the first part of an address (road or compound) and hides the rest (building, room).</summary>
    public static string? Address(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return address;
        }
        var value = address.Trim();
        var keep = Math.Min(value.Length / 2, 8);
        return string.Concat(value.AsSpan(0, keep), "****");
    }

    /// <summary>
    /// Forms show the masked value; a form sent back with the masked value unchanged means "keep what is stored".
    /// </summary>
    public static string? KeepIfMasked(string? submitted, string? stored) =>
        submitted is not null && stored is not null && submitted == Phone(stored) ? stored : submitted;

    /// <summary>
    /// Replaces anything that looks like a mainland mobile number (with or without +86, spaces or dashes) or a
    /// resident ID number (18 or old 15 digits) in free text.
    /// </summary>
    public static string ScrubText(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }
        var scrubbed = IdNumberInText().Replace(text, m => IdNumber(m.Value)!);
        scrubbed = OldIdNumberInText().Replace(scrubbed, m => IdNumber(m.Value)!);
        return MobileInText().Replace(scrubbed, m =>
        {
            var digits = new string(m.Value.Where(char.IsDigit).ToArray());
            return Phone(digits[^11..])!;
        });
    }

    [GeneratedRegex(@"(?<![\dA-Za-z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dXx])")]
    private static partial Regex IdNumberInText();

    [GeneratedRegex(@"(?<!\d)\d{6}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?!\d)")]
    private static partial Regex OldIdNumberInText();

    [GeneratedRegex(@"(?<!\d)(?:(?:\+|00)?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)")]
    private static partial Regex MobileInText();
}
