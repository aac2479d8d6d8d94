using Community360.Calendar;
using Community360.Common;
using Community360.Organization;

namespace Community360.Cases;

/// <summary>
/// A two-level category (市容环境 → 暴露垃圾). It names the work line and the default handling unit that routing
/// suggests, and its time limits per urgency; a subcategory without its own limits uses its parent's.
/// </summary>
public sealed class CaseCategory : EditableEntity
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    public Guid? ParentId { get; init; }
    public CaseCategory? Parent { get; init; }
    public WorkLine? WorkLine { get; set; }

    /// <summary>The unit that usually handles it; null means "the community where the case is".</summary>
    public Guid? DefaultUnitId { get; set; }
    public int SortOrder { get; set; }
    public List<CategoryTimeLimit> TimeLimits { get; init; } = [];
}

/// <summary>Response (accept + contact), completion and callback limits for one urgency.</summary>
public sealed class CategoryTimeLimit
{
    public required CaseUrgency Urgency { get; set; }
    public int ResponseValue { get; set; }
    public TimeLimitUnit ResponseUnit { get; set; }
    public int CompletionValue { get; set; }
    public TimeLimitUnit CompletionUnit { get; set; }
    public int CallbackValue { get; set; }
    public TimeLimitUnit CallbackUnit { get; set; }

    public TimeLimit Response => new(ResponseValue, ResponseUnit);
    public TimeLimit Completion => new(CompletionValue, CompletionUnit);
    public TimeLimit Callback => new(CallbackValue, CallbackUnit);

    public static CategoryTimeLimit Of(CaseUrgency urgency, TimeLimit response, TimeLimit completion, TimeLimit callback) => new()
    {
        Urgency = urgency,
        ResponseValue = response.Value,
        ResponseUnit = response.Unit,
        CompletionValue = completion.Value,
        CompletionUnit = completion.Unit,
        CallbackValue = callback.Value,
        CallbackUnit = callback.Unit,
    };
}

/// <summary>The limits that apply to a case: its category's for its urgency, else the normal ones, else the parent's.</summary>
public static class TimeLimitLookup
{
    /// <summary>Used when no category row says anything: one working day to respond, five to complete, two to call back.</summary>
    public static CategoryTimeLimit Fallback(CaseUrgency urgency) => CategoryTimeLimit.Of(urgency,
        TimeLimit.WorkingHours(8), TimeLimit.WorkingDays(5), TimeLimit.WorkingDays(2));

    public static CategoryTimeLimit For(CaseCategory category, CaseUrgency urgency) =>
        Find(category, urgency) ?? (category.Parent is { } parent ? Find(parent, urgency) : null) ?? Fallback(urgency);

    private static CategoryTimeLimit? Find(CaseCategory category, CaseUrgency urgency) =>
        category.TimeLimits.FirstOrDefault(l => l.Urgency == urgency)
        ?? (urgency == CaseUrgency.Normal ? null : category.TimeLimits.FirstOrDefault(l => l.Urgency == CaseUrgency.Normal));
}
