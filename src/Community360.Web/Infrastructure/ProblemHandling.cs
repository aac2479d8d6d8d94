using System.Text.Json;
using System.Text.RegularExpressions;
using Community360.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Community360.Web.Infrastructure;

/// <summary>
/// Turns every failure into a ProblemDetails in Simplified Chinese: expected ones (validation, not found,
/// conflict) with their own text, binding errors with the field that was wrong, and the rest as a plain 500.
/// </summary>
internal sealed partial class ProblemDetailsExceptionHandler(
    IProblemDetailsService problemDetails,
    ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            ValidationException validation => new HttpValidationProblemDetails(validation.Errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal))
            {
                Status = validation.StatusCode,
                Title = validation.Title,
                Detail = validation.Detail,
            },
            AppProblemException expected => WithExtensions(new ProblemDetails
            {
                Status = expected.StatusCode,
                Title = expected.Title,
                Detail = expected.Detail,
            }, (expected as ConflictException)?.Extensions),
            BadHttpRequestException badRequest => FromBadRequest(badRequest),
            DbUpdateConcurrencyException => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "操作冲突",
                Detail = "数据已被他人修改，请刷新后重试。",
            },
            DbUpdateException when IsUniqueViolation(exception) => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "操作冲突",
                Detail = "与已有数据重复（编码或名称已被占用），请检查后重试。",
            },
            _ => null,
        };
        if (problem is null)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "服务器内部错误",
                Detail = "处理请求时发生意外错误，请稍后重试；如果问题持续，请把页面上的追踪编号告诉系统管理员。",
            };
        }
        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static ProblemDetails WithExtensions(ProblemDetails problem, IReadOnlyDictionary<string, object?>? extensions)
    {
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }
        return problem;
    }

    private static ProblemDetails FromBadRequest(BadHttpRequestException exception)
    {
        if (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new ProblemDetails { Status = 413, Title = "请求内容过大", Detail = "提交的内容超过了允许的大小。" };
        }
        var field = exception.InnerException is JsonException json && !string.IsNullOrEmpty(json.Path)
            ? json.Path.TrimStart('$', '.')
            : ParameterName().Match(exception.Message) is { Success: true } match ? match.Groups["name"].Value : null;
        var detail = exception.InnerException switch
        {
            JsonException when string.IsNullOrEmpty(field) => "请求内容不是有效的 JSON。",
            JsonException => $"字段“{field}”的值类型或格式不正确。",
            _ when exception.Message.Contains("body was inferred but", StringComparison.Ordinal)
                || exception.Message.Contains("Required parameter", StringComparison.Ordinal) && field is not null => $"缺少必填参数“{field}”。",
            _ when field is not null => $"参数“{field}”的格式不正确。",
            _ => "请求格式不正确。",
        };
        var problem = new HttpValidationProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "提交的内容有误",
            Detail = detail,
        };
        if (!string.IsNullOrEmpty(field))
        {
            problem.Errors[field] = [detail];
        }
        return problem;
    }

    private static bool IsUniqueViolation(Exception exception) =>
        exception.InnerException?.Message is { } message
        && (message.Contains("UNIQUE constraint failed", StringComparison.Ordinal) || message.Contains("23505", StringComparison.Ordinal)
            || message.Contains("duplicate key", StringComparison.Ordinal));

    [GeneratedRegex("parameter \"(?:[^\" ]+ )?(?<name>[^\" ]+)\"")]
    private static partial Regex ParameterName();
}

internal static class ProblemDetailsDefaults
{
    /// <summary>Chinese titles for the answers the framework writes itself (401, 403, 404 …).</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
        if (problem.Title is null || IsEnglishDefault(problem.Title))
        {
            (problem.Title, problem.Detail) = problem.Status switch
            {
                400 => ("提交的内容有误", problem.Detail ?? "请求格式不正确。"),
                401 => ("未登录或登录已过期", "请先登录；如果长时间未操作，会话会自动过期，需要重新登录。"),
                403 => ("无权操作", "您的角色没有执行此操作的权限。"),
                404 => ("未找到", "请求的资源不存在或您无权访问。"),
                405 => ("不支持的请求方法", "此地址不支持该请求方法。"),
                409 => ("操作冲突", problem.Detail ?? "数据已被他人修改，请刷新后重试。"),
                413 => ("请求内容过大", "提交的内容超过了允许的大小。"),
                415 => ("不支持的内容类型", "请以 application/json 格式提交。"),
                429 => ("请求过于频繁", "请稍后再试。"),
                _ when problem.Status >= 500 => ("服务器内部错误", "处理请求时发生意外错误，请稍后重试。"),
                _ => (problem.Title ?? "请求失败", problem.Detail),
            };
        }
    }

    private static bool IsEnglishDefault(string title) => title.All(c => c < 0x2E80);
}
