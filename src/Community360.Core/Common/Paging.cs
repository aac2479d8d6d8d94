using Microsoft.EntityFrameworkCore;

namespace Community360.Common;

public sealed record PageResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

public static class Paging
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 200;
    public const string LikeEscape = "\\";

    /// <summary>Clamps page numbers instead of refusing them: a list link with page=0 still shows page 1.</summary>
    public static (int Page, int PageSize) Normalize(int? page, int? pageSize) =>
        (Math.Max(page ?? 1, 1), Math.Clamp(pageSize ?? DefaultPageSize, 1, MaxPageSize));

    /// <summary>The total of a query and one page of it; the caller orders the query first.</summary>
    public static async Task<(List<T> Items, int Total)> PageAsync<T>(this IQueryable<T> query, int page, int pageSize, CancellationToken ct)
    {
        var total = await query.CountAsync(ct);
        var items = total == 0 ? [] : await query.Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return (items, total);
    }

    /// <summary>
    /// A LIKE pattern for "contains", with the user's own % and _ escaped (use with <see cref="LikeEscape"/>),
    /// so that a clerk searching for "10_3" finds that text and not every "10x3".
    /// </summary>
    public static string? ContainsPattern(string? search) =>
        string.IsNullOrWhiteSpace(search)
            ? null
            : "%" + search.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
