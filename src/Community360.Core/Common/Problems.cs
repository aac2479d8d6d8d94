namespace Community360.Common;

/// <summary>
/// An expected failure that the edge turns into a zh-CN ProblemDetails (API) or a message beside the field (UI).
/// Handlers throw these before they change anything.
/// </summary>
public abstract class AppProblemException(string title, string detail) : Exception(detail)
{
    public string Title { get; } = title;
    public string Detail { get; } = detail;
    public abstract int StatusCode { get; }
}

/// <summary>Not found, or outside the caller's data scope: both look the same so that nothing can be inferred.</summary>
public sealed class NotFoundException(string what)
    : AppProblemException("未找到", $"{what}不存在或您无权访问。")
{
    public override int StatusCode => 404;
}

public sealed class ForbiddenException(string detail)
    : AppProblemException("无权操作", detail)
{
    public override int StatusCode => 403;
}

public sealed class ConflictException(string detail, IReadOnlyDictionary<string, object?>? extensions = null)
    : AppProblemException("操作冲突", detail)
{
    public IReadOnlyDictionary<string, object?> Extensions { get; } = extensions ?? new Dictionary<string, object?>();
    public override int StatusCode => 409;

    public static ConflictException StaleVersion(string what) =>
        new($"{what}已被他人修改，请刷新后重试。");
}

public sealed class ValidationException(IReadOnlyDictionary<string, string[]> errors, string? detail = null)
    : AppProblemException("提交的内容有误", detail ?? "请根据提示修改后重新提交。")
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
    public override int StatusCode => 400;

    public static ValidationException For(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] });
}
