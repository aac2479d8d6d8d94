using Microsoft.AspNetCore.Identity;

namespace Community360.Identity;

/// <summary>
/// At least 8 characters drawn from at least three of: upper-case, lower-case, digits, symbols. Identity's own
/// options can only demand each class separately, which is stricter than the rule and harder to remember.
/// </summary>
public sealed class ThreeOfFourClassesPasswordValidator : IPasswordValidator<AppUser>
{
    public const int MinimumLength = 8;

    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password)
    {
        var errors = new List<IdentityError>();
        password ??= string.Empty;
        if (password.Length < MinimumLength)
        {
            errors.Add(new IdentityError { Code = "PasswordTooShort", Description = "密码至少需要 8 个字符。" });
        }
        if (CountClasses(password) < 3)
        {
            errors.Add(new IdentityError
            {
                Code = "PasswordTooSimple",
                Description = "密码需包含大写字母、小写字母、数字、特殊符号中的至少三类。",
            });
        }
        if (user.UserName is { Length: > 0 } name && password.Contains(name, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new IdentityError { Code = "PasswordContainsUserName", Description = "密码不能包含用户名。" });
        }
        return Task.FromResult(errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]));
    }

    public static int CountClasses(string password) =>
        (password.Any(char.IsUpper) ? 1 : 0)
        + (password.Any(char.IsLower) ? 1 : 0)
        + (password.Any(char.IsDigit) ? 1 : 0)
        + (password.Any(c => !char.IsLetterOrDigit(c)) ? 1 : 0);
}

/// <summary>Generates passwords that satisfy the policy, for first start in Production and for resets.</summary>
public static class PasswordGenerator
{
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Lower = "abcdefghijkmnopqrstuvwxyz";
    private const string Digits = "23456789";
    private const string Symbols = "!@#$%*-_+=?";

    public static string Generate(int length = 16)
    {
        var all = Upper + Lower + Digits + Symbols;
        var chars = new char[length];
        chars[0] = Pick(Upper);
        chars[1] = Pick(Lower);
        chars[2] = Pick(Digits);
        chars[3] = Pick(Symbols);
        for (var i = 4; i < length; i++)
        {
            chars[i] = Pick(all);
        }
        System.Security.Cryptography.RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }

    private static char Pick(string set) => set[System.Security.Cryptography.RandomNumberGenerator.GetInt32(set.Length)];
}
