using System.Globalization;
using System.Text;
using System.Text.Json;
using Community360.Cases;
using Community360.Common;
using Community360.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Community360.Reports;

/// <summary>
/// Turns case events into the additive counters of <see cref="CaseMetricDay"/>. The same <see cref="Count"/> serves the
/// live path (every save that appends events) and the rebuild from the log, so both give the same figures by construction.
/// </summary>
public static class MetricLedger
{
    internal const string Table = "CaseMetricDays";

    private static readonly string[] KeyColumns =
        [nameof(CaseMetricDay.Day), nameof(CaseMetricDay.StreetId), nameof(CaseMetricDay.CommunityId), nameof(CaseMetricDay.GridId),
         nameof(CaseMetricDay.HandlingUnitId), nameof(CaseMetricDay.CategoryId), nameof(CaseMetricDay.Type), nameof(CaseMetricDay.Channel)];

    private static readonly (string Name, Func<CaseMetricDay, long> Get)[] Counters =
    [
        (nameof(CaseMetricDay.Received), m => m.Received),
        (nameof(CaseMetricDay.Dispatched), m => m.Dispatched),
        (nameof(CaseMetricDay.RespondedInTime), m => m.RespondedInTime),
        (nameof(CaseMetricDay.Returned), m => m.Returned),
        (nameof(CaseMetricDay.Reassigned), m => m.Reassigned),
        (nameof(CaseMetricDay.Completed), m => m.Completed),
        (nameof(CaseMetricDay.CompletedOnTime), m => m.CompletedOnTime),
        (nameof(CaseMetricDay.HandlingMinutes), m => m.HandlingMinutes),
        (nameof(CaseMetricDay.Reworked), m => m.Reworked),
        (nameof(CaseMetricDay.Reopened), m => m.Reopened),
        (nameof(CaseMetricDay.Closed), m => m.Closed),
        (nameof(CaseMetricDay.WentOverdue), m => m.WentOverdue),
        (nameof(CaseMetricDay.CallbacksReached), m => m.CallbacksReached),
        (nameof(CaseMetricDay.CallbacksUnreachable), m => m.CallbacksUnreachable),
        (nameof(CaseMetricDay.CallbacksRefused), m => m.CallbacksRefused),
        (nameof(CaseMetricDay.Resolved), m => m.Resolved),
        (nameof(CaseMetricDay.Satisfied), m => m.Satisfied),
        (nameof(CaseMetricDay.BasicallySatisfied), m => m.BasicallySatisfied),
        (nameof(CaseMetricDay.Unsatisfied), m => m.Unsatisfied),
        (nameof(CaseMetricDay.InRepeatCluster), m => m.InRepeatCluster),
    ];

    /// <summary>What never changes on a case and is part of every cell's key.</summary>
    internal readonly record struct CaseKind(CaseType Type, CaseChannel Channel, Guid CategoryId);

    /// <summary>Adds what one event contributes. Pure: it reads only the event (its place snapshot and data) and the case's kind.</summary>
    internal static void Count(MetricTally tally, CaseEvent e, CaseKind kind)
    {
        var day = Day(e.OccurredAt);
        var unit = e.HandlingUnitId ?? Guid.Empty;
        switch (e.Action)
        {
            case CaseAction.Receive:
                tally.At(e, kind, day, unit).Received++;
                break;
            case CaseAction.Dispatch:
                tally.At(e, kind, day, unit).Dispatched++;
                break;
            case CaseAction.Reassign:
            {
                tally.At(e, kind, day, unit).Dispatched++;
                tally.At(e, kind, day, UnitId(e, "fromUnitId")).Reassigned++;
                break;
            }
            case CaseAction.Return:
                tally.At(e, kind, day, UnitId(e, "fromUnitId")).Returned++;
                break;
            case CaseAction.Accept:
                // Counted with the hand-over it answers, so that the numerator of 响应率 is a subset of its denominator.
                if (Bool(e, "respondedInTime") == true && Instant(e, "dispatchedAt") is { } dispatchedAt)
                {
                    tally.At(e, kind, Day(dispatchedAt), unit).RespondedInTime++;
                }
                break;
            case CaseAction.Complete:
            {
                var row = tally.At(e, kind, day, unit);
                row.Completed++;
                row.CompletedOnTime += Bool(e, "onTime") == false ? 0 : 1;
                if (Instant(e, "dispatchedAt") is { } handedOver && handedOver <= e.OccurredAt)
                {
                    row.HandlingMinutes += (long)(e.OccurredAt - handedOver).TotalMinutes;
                }
                break;
            }
            case CaseAction.VerifyFail:
                tally.At(e, kind, day, unit).Reworked++;
                break;
            case CaseAction.Reopen:
                tally.At(e, kind, day, UnitId(e, "fromUnitId")).Reopened++;
                break;
            case CaseAction.Close:
                tally.At(e, kind, day, unit).Closed++;
                break;
            case CaseAction.MarkOverdue:
                tally.At(e, kind, day, unit).WentOverdue++;
                break;
            case CaseAction.Callback:
                CountCallback(tally.At(e, kind, day, unit), e);
                break;
            default:
                break;
        }
    }

    /// <summary>A case joining (+1) or leaving (−1) a repeat cluster counts on the day and place it was received.</summary>
    internal static void CountRepeat(MetricTally tally, CaseEvent receive, CaseKind kind, int delta) =>
        tally.At(receive, kind, Day(receive.OccurredAt), Guid.Empty).InRepeatCluster += delta;

    private static void CountCallback(CaseMetricDay row, CaseEvent e)
    {
        switch (Text(e, "contact"))
        {
            case nameof(CallbackContact.Reached):
                row.CallbacksReached++;
                row.Resolved += Bool(e, "resolved") == true ? 1 : 0;
                switch (Text(e, "satisfaction"))
                {
                    case nameof(Satisfaction.Satisfied):
                        row.Satisfied++;
                        break;
                    case nameof(Satisfaction.BasicallySatisfied):
                        row.BasicallySatisfied++;
                        break;
                    case nameof(Satisfaction.Unsatisfied):
                        row.Unsatisfied++;
                        break;
                    default:
                        break;
                }
                break;
            case nameof(CallbackContact.Unreachable):
                row.CallbacksUnreachable++;
                break;
            case nameof(CallbackContact.Refused):
                row.CallbacksRefused++;
                break;
            default:
                break;
        }
    }

    public static DateOnly Day(DateTime utc) => DateOnly.FromDateTime(ChinaTime.ToLocal(utc));

    /// <summary>
    /// The live path, called by <see cref="AppDbContext.SaveChangesAsync(bool, CancellationToken)"/> before it writes:
    /// the events being appended and the cases entering or leaving a repeat cluster.
    /// </summary>
    internal static async Task<MetricTally> TallyChangesAsync(AppDbContext db, CancellationToken ct)
    {
        var tally = new MetricTally();
        var addedEvents = db.ChangeTracker.Entries<CaseEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        var caseEntries = db.ChangeTracker.Entries<Case>().ToList();
        var repeatChanges = caseEntries.Select(c => (Entry: c, Delta: RepeatDelta(c))).Where(c => c.Delta != 0).ToList();
        if (addedEvents.Count == 0 && repeatChanges.Count == 0)
        {
            return tally;
        }
        var kinds = caseEntries.ToDictionary(c => c.Entity.Id, c => new CaseKind(c.Entity.Type, c.Entity.Channel, c.Entity.CategoryId));
        var missing = addedEvents.Select(e => e.CaseId).Where(id => !kinds.ContainsKey(id)).Distinct().ToList();
        if (missing.Count > 0)
        {
            var loaded = await db.Cases.AsNoTracking().Where(c => missing.Contains(c.Id)).Select(c => new { c.Id, c.Type, c.Channel, c.CategoryId }).ToListAsync(ct);
            foreach (var c in loaded)
            {
                kinds[c.Id] = new CaseKind(c.Type, c.Channel, c.CategoryId);
            }
        }
        foreach (var e in addedEvents)
        {
            Count(tally, e, kinds[e.CaseId]);
        }
        foreach (var (entry, delta) in repeatChanges)
        {
            var id = entry.Entity.Id;
            var receive = addedEvents.FirstOrDefault(e => e.CaseId == id && e.Action == CaseAction.Receive)
                ?? await db.CaseEvents.AsNoTracking().FirstOrDefaultAsync(e => e.CaseId == id && e.Action == CaseAction.Receive, ct);
            if (receive is not null)
            {
                CountRepeat(tally, receive, kinds[id], delta);
            }
        }
        return tally;
    }

    private static int RepeatDelta(EntityEntry<Case> entry)
    {
        var current = entry.Entity.RepeatClusterId is not null;
        return entry.State switch
        {
            EntityState.Added => current ? 1 : 0,
            EntityState.Modified or EntityState.Unchanged =>
                (entry.Property(c => c.RepeatClusterId).OriginalValue is not null, current) switch
                {
                    (false, true) => 1,
                    (true, false) => -1,
                    _ => 0,
                },
            _ => 0,
        };
    }

    /// <summary>
    /// Adds the tally to the stored rows with one atomic upsert (<c>INSERT … ON CONFLICT DO UPDATE SET x = x + excluded.x</c>),
    /// in the caller's transaction: concurrent writers of the same cell add up instead of overwriting each other, and no
    /// global lock is needed. Rows are written in key order so that two writers never wait on each other crosswise.
    /// </summary>
    internal static async Task UpsertAsync(AppDbContext db, MetricTally tally, CancellationToken ct)
    {
        var rows = tally.Rows.Where(r => Counters.Any(c => c.Get(r) != 0)).OrderBy(r => r.Day).ThenBy(r => r.StreetId).ThenBy(r => r.CommunityId)
            .ThenBy(r => r.GridId).ThenBy(r => r.HandlingUnitId).ThenBy(r => r.CategoryId).ThenBy(r => r.Type).ThenBy(r => r.Channel).ToList();
        if (rows.Count == 0)
        {
            return;
        }
        var columns = KeyColumns.Append(nameof(CaseMetricDay.ScopePath)).Concat(Counters.Select(c => c.Name)).ToList();
        var sql = new StringBuilder();
        sql.Append(CultureInfo.InvariantCulture, $"INSERT INTO \"{Table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ");
        var parameters = new List<object>();
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var values = new List<object> { r.Day, r.StreetId, r.CommunityId, r.GridId, r.HandlingUnitId, r.CategoryId, r.Type.ToString(), r.Channel.ToString(), r.ScopePath };
            values.AddRange(Counters.Select(c => c.Name == nameof(CaseMetricDay.HandlingMinutes) ? (object)c.Get(r) : (int)c.Get(r)));
            sql.Append(i == 0 ? "(" : ", (");
            sql.AppendJoin(", ", values.Select((_, j) => "{" + (parameters.Count + j).ToString(CultureInfo.InvariantCulture) + "}"));
            sql.Append(')');
            parameters.AddRange(values);
        }
        sql.Append(CultureInfo.InvariantCulture, $" ON CONFLICT ({string.Join(", ", KeyColumns.Select(c => $"\"{c}\""))}) DO UPDATE SET ");
        sql.AppendJoin(", ", Counters.Select(c => $"\"{c.Name}\" = \"{Table}\".\"{c.Name}\" + excluded.\"{c.Name}\""));
        await db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, ct);
    }

    /// <summary>Every row recomputed from the event log (and the cases' current repeat clusters), in memory.</summary>
    public static async Task<IReadOnlyList<CaseMetricDay>> ComputeFromLogAsync(AppDbContext db, CancellationToken ct)
    {
        var tally = new MetricTally();
        var events = db.CaseEvents.AsNoTracking()
            .Join(db.Cases, e => e.CaseId, c => c.Id, (e, c) => new { Event = e, c.Type, c.Channel, c.CategoryId })
            .AsAsyncEnumerable();
        await foreach (var row in events.WithCancellation(ct))
        {
            Count(tally, row.Event, new CaseKind(row.Type, row.Channel, row.CategoryId));
        }
        var repeats = db.Cases.AsNoTracking().Where(c => c.RepeatClusterId != null)
            .Join(db.CaseEvents.Where(e => e.Action == CaseAction.Receive), c => c.Id, e => e.CaseId, (c, e) => new { Event = e, c.Type, c.Channel, c.CategoryId })
            .AsAsyncEnumerable();
        await foreach (var row in repeats.WithCancellation(ct))
        {
            CountRepeat(tally, row.Event, new CaseKind(row.Type, row.Channel, row.CategoryId), 1);
        }
        return tally.Rows.Where(r => Counters.Any(c => c.Get(r) != 0)).ToList();
    }

    /// <summary>
    /// rebuild-metrics: replaces every row with the figures recomputed from the log, under a lock that holds off the
    /// live path meanwhile (a save waiting for it adds its own events on top of the rebuilt rows once it commits).
    /// </summary>
    public static async Task<int> RebuildAsync(AppDbContext db, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync($"LOCK TABLE \"{Table}\" IN EXCLUSIVE MODE", ct);
        }
        // On SQLite the (immediate) transaction already holds the write lock.
        await db.Set<CaseMetricDay>().ExecuteDeleteAsync(ct);
        var rows = await ComputeFromLogAsync(db, ct);
        foreach (var chunk in rows.Chunk(1000))
        {
            db.Set<CaseMetricDay>().AddRange(chunk);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        await transaction.CommitAsync(CancellationToken.None);
        return rows.Count;
    }

    private static JsonElement? Field(CaseEvent e, string name)
    {
        if (e.Data is null)
        {
            return null;
        }
        using var document = JsonDocument.Parse(e.Data);
        return document.RootElement.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.Clone() : null;
    }

    private static bool? Bool(CaseEvent e, string name) => Field(e, name) is { ValueKind: JsonValueKind.True or JsonValueKind.False } v ? v.GetBoolean() : null;

    private static string? Text(CaseEvent e, string name) => Field(e, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    private static Guid UnitId(CaseEvent e, string name) => Field(e, name) is { ValueKind: JsonValueKind.String } v && v.TryGetGuid(out var id) ? id : Guid.Empty;

    private static DateTime? Instant(CaseEvent e, string name)
    {
        if (Field(e, name) is not { ValueKind: JsonValueKind.String } v || !v.TryGetDateTime(out var at))
        {
            return null;
        }
        return at.Kind switch
        {
            DateTimeKind.Utc => at,
            DateTimeKind.Local => at.ToUniversalTime(),
            _ => DateTime.SpecifyKind(at, DateTimeKind.Utc),
        };
    }
}

/// <summary>Counters per cell being added up, before they are written.</summary>
internal sealed class MetricTally
{
    private readonly Dictionary<(DateOnly, Guid, Guid, Guid, Guid, Guid, CaseType, CaseChannel), CaseMetricDay> _rows = [];

    public IEnumerable<CaseMetricDay> Rows => _rows.Values;

    public bool IsEmpty => _rows.Count == 0;

    public CaseMetricDay At(CaseEvent place, MetricLedger.CaseKind kind, DateOnly day, Guid unit)
    {
        var key = (day, place.StreetId, place.CommunityId ?? Guid.Empty, place.GridId ?? Guid.Empty, unit, kind.CategoryId, kind.Type, kind.Channel);
        if (!_rows.TryGetValue(key, out var row))
        {
            row = new CaseMetricDay
            {
                Day = day,
                StreetId = place.StreetId,
                CommunityId = key.Item3,
                GridId = key.Item4,
                HandlingUnitId = unit,
                CategoryId = kind.CategoryId,
                Type = kind.Type,
                Channel = kind.Channel,
                ScopePath = place.PlaceScopePath,
            };
            _rows[key] = row;
        }
        return row;
    }
}
