using System.Globalization;
using System.Text.RegularExpressions;

namespace Community360.Common;

/// <summary>Collects zh-CN messages per field, then throws one <see cref="ValidationException"/> for all of them.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public FieldErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            list = [];
            _errors[field] = list;
        }
        list.Add(message);
        return this;
    }

    /// <summary>Required, trimmed, at most <paramref name="maxLength"/> characters.</summary>
    public string Text(string field, string label, string? value, int maxLength, bool required = true)
    {
        var trimmed = value?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            if (required)
            {
                Add(field, $"请填写{label}。");
            }
        }
        else if (trimmed.Length > maxLength)
        {
            Add(field, string.Create(CultureInfo.InvariantCulture, $"{label}不能超过 {maxLength} 个字符（当前 {trimmed.Length} 个）。"));
        }
        return trimmed;
    }

    public string? OptionalText(string field, string label, string? value, int maxLength)
    {
        var text = Text(field, label, value, maxLength, required: false);
        return text.Length == 0 ? null : text;
    }

    public T Required<T>(string field, string label, T? value) where T : struct
    {
        if (value is null)
        {
            Add(field, $"请选择{label}。");
            return default;
        }
        return value.Value;
    }

    public TEnum Enum<TEnum>(string field, string label, TEnum? value) where TEnum : struct, Enum
    {
        if (value is null)
        {
            Add(field, $"请选择{label}。");
            return default;
        }
        if (!System.Enum.IsDefined(value.Value))
        {
            Add(field, $"{label}的取值无效。");
        }
        return value.Value;
    }

    public void Pattern(string field, string message, string value, Regex pattern)
    {
        if (value.Length > 0 && !pattern.IsMatch(value))
        {
            Add(field, message);
        }
    }

    public void Range(string field, string label, int? value, int min, int max)
    {
        if (value is { } v && (v < min || v > max))
        {
            Add(field, string.Create(CultureInfo.InvariantCulture, $"{label}应在 {min} 到 {max} 之间。"));
        }
    }

    public void ThrowIfAny()
    {
        if (!IsEmpty)
        {
            throw new ValidationException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
        }
    }
}
