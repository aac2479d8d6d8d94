using System.Text.RegularExpressions;

namespace Community360.Common;

/// <summary>Formats shared by every form and endpoint, so the same value is accepted everywhere.</summary>
public static partial class InputRules
{
    public const int NameMax = 100;
    public const int ShortNameMax = 50;
    public const int AddressMax = 200;
    public const int PhoneMax = 32;

    [GeneratedRegex(@"^[0-9+\- ]{7,20}$")]
    public static partial Regex Phone();

    [GeneratedRegex(@"^[0-9A-Za-z\-]{2,32}$")]
    public static partial Regex UnitCode();

    [GeneratedRegex(@"^\d+$")]
    public static partial Regex Digits();

    public static void PhoneNumber(this FieldErrors errors, string field, string? phone)
    {
        if (!string.IsNullOrEmpty(phone) && !Phone().IsMatch(phone))
        {
            errors.Add(field, "电话号码格式不正确，只能包含数字、空格、“+”和“-”，长度 7 到 20 位。");
        }
    }
}
