using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Community360.Cases.Repeats;

/// <summary>
/// Keyed hash of a complainant's phone number (HMAC-SHA256, base64url without padding), so that repeats can be matched
/// on "same caller" without the match index ever holding a number. The key must stay secret: an unkeyed hash of an
/// 11-digit mobile number is reversed by trying all of them. One instance is safe to share between threads.
/// </summary>
public sealed class PhoneHasher
{
    public const int MinimumKeyLength = 16;

    private readonly byte[] _key;

    public PhoneHasher(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < MinimumKeyLength)
        {
            throw new ArgumentException($"The phone hash key must be at least {MinimumKeyLength} bytes.", nameof(key));
        }
        _key = (byte[])key.Clone();
    }

    /// <summary>
    /// The hash of the number's digits, with the country code (+86, 0086, 86 before a mobile number) removed so that
    /// "+86 138-0013-8000" and "13800138000" agree. Null when the input holds no digit.
    /// </summary>
    public string? Hash(string? phone)
    {
        var digits = NormalizeDigits(phone);
        if (digits is null)
        {
            return null;
        }
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(digits), mac);
        return Base64Url.EncodeToString(mac);
    }

    /// <summary>The digits of a phone number without the country code; null when there are none.</summary>
    public static string? NormalizeDigits(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }
        var builder = new StringBuilder(phone.Length);
        foreach (var raw in phone)
        {
            var c = ChineseText.FoldWidth(raw);
            if (char.IsAsciiDigit(c))
            {
                builder.Append(c);
            }
        }
        var digits = builder.ToString();
        if (digits.StartsWith("0086", StringComparison.Ordinal) && digits.Length > 4)
        {
            digits = digits[4..];
        }
        else if (digits.StartsWith("86", StringComparison.Ordinal) && digits.Length == 13 && digits[2] == '1')
        {
            digits = digits[2..];
        }
        return digits.Length == 0 ? null : digits;
    }
}
