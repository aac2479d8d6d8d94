using Community360.Identity;
using Microsoft.EntityFrameworkCore;

namespace Community360.Common;

/// <summary>The data scope, written into the query itself so that a forgotten check cannot leak a row.</summary>
public static class ScopedQueries
{
    public static IQueryable<T> InScopeOf<T>(this IQueryable<T> query, Caller caller) where T : class, IScoped
    {
        if (caller.ScopePath == ScopePaths.Root)
        {
            return query;
        }
        // Paths hold only hex digits and slashes, so the prefix needs no LIKE escaping.
        var prefix = caller.ScopePath + "%";
        return query.Where(e => EF.Functions.Like(e.ScopePath, prefix));
    }

    /// <summary>Loads one row the caller may see, or fails with the same 404 whether it is absent or out of scope.</summary>
    public static async Task<T> FindInScopeAsync<T>(this IQueryable<T> query, Caller caller, Guid id, string what, CancellationToken ct)
        where T : EditableEntity, IScoped =>
        await query.InScopeOf(caller).FirstOrDefaultAsync(e => e.Id == id, ct) ?? throw new NotFoundException(what);

    /// <summary>
    /// Optimistic concurrency: the client sends the version it read. A mismatch now, or a save racing us later
    /// (EF compares the original token), both end in 409.
    /// </summary>
    public static void ExpectVersion<T>(this DbContext db, T entity, Guid? version, string what) where T : class, IVersioned
    {
        if (version is null)
        {
            throw ValidationException.For("version", "缺少版本号 version，请先读取最新数据再提交修改。");
        }
        if (entity.Version != version)
        {
            throw ConflictException.StaleVersion(what);
        }
        db.Entry(entity).Property(e => e.Version).OriginalValue = version.Value;
    }
}
