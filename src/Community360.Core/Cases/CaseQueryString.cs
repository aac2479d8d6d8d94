using System.Globalization;
using Community360.Common;

namespace Community360.Cases;

/// <summary>
/// A <see cref="CaseQuery"/> as the query string of a link (<c>inbox=ToAccept&amp;dateBasis=Completed&amp;from=2026-11-01</c>)
/// and back, with the parameter names and values GET /api/cases takes. Defaults are left out.
/// </summary>
public static class CaseQueryString
{
    public static string Format(CaseQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parts = new List<(string Key, string Value)>();
        void Add(string key, object? value)
        {
            switch (value)
            {
                case null:
                    return;
                case Enum e:
                    parts.Add((key, e.ToString()));
                    break;
                case bool b:
                    parts.Add((key, b ? "true" : "false"));
                    break;
                case Guid g:
                    parts.Add((key, g.ToString("D")));
                    break;
                case DateTime d:
                    parts.Add((key, FormatTime(d)));
                    break;
                case int i:
                    parts.Add((key, i.ToString(CultureInfo.InvariantCulture)));
                    break;
                default:
                    parts.Add((key, Convert.ToString(value, CultureInfo.InvariantCulture)!));
                    break;
            }
        }
        Add("inbox", query.Inbox);
        Add("state", query.State);
        Add("type", query.Type);
        Add("channel", query.Channel);
        Add("categoryId", query.CategoryId);
        Add("unitId", query.UnitId);
        Add("gridId", query.GridId);
        Add("communityId", query.CommunityId);
        Add("open", query.Open);
        Add("overdue", query.Overdue);
        Add("dueSoon", query.DueSoon);
        Add("repeat", query.Repeat);
        Add("repeatClusterId", query.RepeatClusterId);
        Add("responded", query.Responded);
        Add("callbackContact", query.CallbackContact);
        Add("resolved", query.Resolved);
        Add("satisfaction", query.Satisfaction);
        Add("dateBasis", query.DateBasis);
        Add("from", query.From);
        Add("to", query.To);
        Add("text", string.IsNullOrEmpty(query.Text) ? null : query.Text);
        Add("sort", query.Sort);
        Add("after", string.IsNullOrEmpty(query.After) ? null : query.After);
        Add("limit", query.Limit);
        Add("includeTotal", query.IncludeTotal ? null : false);
        return string.Join('&', parts.Select(p => p.Key + "=" + Uri.EscapeDataString(p.Value)));
    }

    /// <summary>
    /// Reads a query string (with or without the leading '?', or a whole relative URL); unknown names are ignored, a value
    /// that cannot be read is a 400 naming the parameter.
    /// </summary>
    public static CaseQuery Parse(string? queryString)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var text = queryString ?? string.Empty;
        var mark = text.IndexOf('?', StringComparison.Ordinal);
        if (mark >= 0)
        {
            text = text[(mark + 1)..];
        }
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Unescape(equals < 0 ? pair : pair[..equals]);
            values[key] = equals < 0 ? string.Empty : Unescape(pair[(equals + 1)..]);
        }
        var errors = new FieldErrors();
        var query = new CaseQuery(
            State: EnumValue<CaseState>(values, errors, "state"),
            Type: EnumValue<CaseType>(values, errors, "type"),
            Channel: EnumValue<CaseChannel>(values, errors, "channel"),
            CategoryId: GuidValue(values, errors, "categoryId"),
            UnitId: GuidValue(values, errors, "unitId"),
            GridId: GuidValue(values, errors, "gridId"),
            CommunityId: GuidValue(values, errors, "communityId"),
            Overdue: BoolValue(values, errors, "overdue"),
            Repeat: BoolValue(values, errors, "repeat"),
            From: TimeValue(values, errors, "from"),
            To: TimeValue(values, errors, "to"),
            Text: Value(values, "text"),
            After: Value(values, "after"),
            Limit: IntValue(values, errors, "limit"),
            IncludeTotal: BoolValue(values, errors, "includeTotal") ?? true,
            Inbox: EnumValue<CaseInbox>(values, errors, "inbox"),
            DateBasis: EnumValue<CaseDateBasis>(values, errors, "dateBasis"),
            Sort: EnumValue<CaseSort>(values, errors, "sort"),
            DueSoon: BoolValue(values, errors, "dueSoon"),
            Open: BoolValue(values, errors, "open"),
            Responded: BoolValue(values, errors, "responded"),
            CallbackContact: EnumValue<CallbackContact>(values, errors, "callbackContact"),
            Resolved: BoolValue(values, errors, "resolved"),
            Satisfaction: EnumValue<Satisfaction>(values, errors, "satisfaction"),
            RepeatClusterId: GuidValue(values, errors, "repeatClusterId"));
        errors.ThrowIfAny();
        return query;
    }

    private static string FormatTime(DateTime value)
    {
        if (value.Kind == DateTimeKind.Utc)
        {
            return value.ToString("O", CultureInfo.InvariantCulture);
        }
        return value.TimeOfDay == TimeSpan.Zero
            ? value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
    }

    private static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    private static string? Value(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    private static T? EnumValue<T>(Dictionary<string, string> values, FieldErrors errors, string key) where T : struct, Enum
    {
        if (Value(values, key) is not { } text)
        {
            return null;
        }
        // Names only: a number would let a link name a value the enum does not have.
        if (!char.IsDigit(text[0]) && text[0] != '-' && Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value))
        {
            return value;
        }
        errors.Add(key, $"参数 {key} 的取值“{text}”无效。");
        return null;
    }

    private static Guid? GuidValue(Dictionary<string, string> values, FieldErrors errors, string key)
    {
        if (Value(values, key) is not { } text)
        {
            return null;
        }
        if (Guid.TryParse(text, out var value))
        {
            return value;
        }
        errors.Add(key, $"参数 {key} 不是有效的编号。");
        return null;
    }

    private static bool? BoolValue(Dictionary<string, string> values, FieldErrors errors, string key)
    {
        if (Value(values, key) is not { } text)
        {
            return null;
        }
        if (bool.TryParse(text, out var value))
        {
            return value;
        }
        errors.Add(key, $"参数 {key} 应为 true 或 false。");
        return null;
    }

    private static int? IntValue(Dictionary<string, string> values, FieldErrors errors, string key)
    {
        if (Value(values, key) is not { } text)
        {
            return null;
        }
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        errors.Add(key, $"参数 {key} 应为整数。");
        return null;
    }

    private static DateTime? TimeValue(Dictionary<string, string> values, FieldErrors errors, string key)
    {
        if (Value(values, key) is not { } text)
        {
            return null;
        }
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value))
        {
            return value;
        }
        errors.Add(key, $"参数 {key} 不是有效的日期或时间（例如 2026-11-01）。");
        return null;
    }
}
