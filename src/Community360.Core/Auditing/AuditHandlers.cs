using Community360.Common;
using Community360.Data;
using Community360.Identity;
using Microsoft.EntityFrameworkCore;

namespace Community360.Auditing;

public sealed record AuditQuery(
    string? Action = null,
    string? EntityType = null,
    string? EntityId = null,
    Guid? ActorId = null,
    DateTime? From = null,
    DateTime? To = null,
    long? Before = null,
    int? Limit = null);

public sealed record AuditEntryDto(
    long Sequence, DateTime OccurredAt, Guid? ActorId, string ActorName, string? ActorAddress, string Action,
    string? EntityType, string? EntityId, string Details, string Hash);

/// <summary>Newest first; <see cref="NextBefore"/> is the keyset cursor for the next page (null at the start of the chain).</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntryDto> Items, long? NextBefore);

public sealed record AuditVerification(bool IsIntact, long RowsChecked, long? FirstBrokenSequence, string Message);

/// <summary>Reading and verifying the audit trail: the AuditAdmin's whole job, and nobody else's.</summary>
public sealed class AuditHandlers(AppDbContext db)
{
    private const int BatchSize = 2000;

    public async Task<AuditPage> ListAsync(Caller caller, AuditQuery query, CancellationToken ct)
    {
        caller.Demand(Permission.ReadAudit);
        var limit = Math.Clamp(query.Limit ?? 50, 1, 500);
        var rows = db.AuditEntries.AsNoTracking();
        if (caller.ScopePath != ScopePaths.Root)
        {
            var prefix = caller.ScopePath + "%";
            rows = rows.Where(e => EF.Functions.Like(e.ScopePath, prefix));
        }
        if (query.Before is { } before)
        {
            rows = rows.Where(e => e.Sequence < before);
        }
        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            rows = rows.Where(e => e.Action == query.Action);
        }
        if (!string.IsNullOrWhiteSpace(query.EntityType))
        {
            rows = rows.Where(e => e.EntityType == query.EntityType);
        }
        if (!string.IsNullOrWhiteSpace(query.EntityId))
        {
            rows = rows.Where(e => e.EntityId == query.EntityId);
        }
        if (query.ActorId is { } actor)
        {
            rows = rows.Where(e => e.ActorId == actor);
        }
        if (query.From is { } from)
        {
            var fromUtc = ChinaTime.ToUtc(from);
            rows = rows.Where(e => e.OccurredAt >= fromUtc);
        }
        if (query.To is { } to)
        {
            var toUtc = ChinaTime.ToUtc(to);
            rows = rows.Where(e => e.OccurredAt < toUtc);
        }
        var items = await rows.OrderByDescending(e => e.Sequence).Take(limit + 1)
            .Select(e => new AuditEntryDto(e.Sequence, e.OccurredAt, e.ActorId, e.ActorName, e.ActorAddress, e.Action,
                e.EntityType, e.EntityId, e.Details, e.Hash))
            .ToListAsync(ct);
        var hasMore = items.Count > limit;
        if (hasMore)
        {
            items.RemoveAt(items.Count - 1);
        }
        return new AuditPage(items, hasMore ? items[^1].Sequence : null);
    }

    /// <summary>
    /// Walks the whole chain in sequence order, in batches, and reports the first row whose position, link or
    /// hash does not hold: a deleted row shows as a gap, an edited row as a hash mismatch. The chain is one for the
    /// whole deployment, so every auditor verifies all of it; the answer names positions, never contents.
    /// </summary>
    public async Task<AuditVerification> VerifyAsync(Caller caller, CancellationToken ct)
    {
        caller.Demand(Permission.ReadAudit);
        long expectedSequence = 1;
        var previousHash = AuditChain.GenesisHash;
        long checkedRows = 0;
        while (true)
        {
            var from = expectedSequence;
            var batch = await db.AuditEntries.AsNoTracking()
                .Where(e => e.Sequence >= from)
                .OrderBy(e => e.Sequence)
                .Take(BatchSize)
                .ToListAsync(ct);
            foreach (var row in batch)
            {
                if (row.Sequence != expectedSequence)
                {
                    return Broken(checkedRows, expectedSequence, $"第 {expectedSequence} 条审计记录缺失（下一条为第 {row.Sequence} 条），记录可能被删除。");
                }
                if (!string.Equals(row.PreviousHash, previousHash, StringComparison.Ordinal))
                {
                    return Broken(checkedRows, row.Sequence, $"第 {row.Sequence} 条审计记录与前一条的链接不符，记录可能被篡改或删除。");
                }
                if (!string.Equals(AuditChain.ComputeHash(row), row.Hash, StringComparison.Ordinal))
                {
                    return Broken(checkedRows, row.Sequence, $"第 {row.Sequence} 条审计记录的内容与其哈希不符，记录已被篡改。");
                }
                previousHash = row.Hash;
                expectedSequence++;
                checkedRows++;
            }
            if (batch.Count < BatchSize)
            {
                break;
            }
        }
        return new AuditVerification(true, checkedRows, null, $"审计日志完整，共校验 {checkedRows} 条记录。");
    }

    private static AuditVerification Broken(long checkedRows, long sequence, string message) =>
        new(false, checkedRows, sequence, message);
}
