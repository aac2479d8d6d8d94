using Community360.Data;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace Community360.Geography;

/// <summary>The grid a point falls in, and the community (hence the handling unit) behind it.</summary>
public sealed record GridHit(
    Guid GridId,
    string GridCode,
    string GridName,
    Guid CommunityId,
    string CommunityName,
    string ScopePath);

/// <summary>One grid as the locator indexes it.</summary>
public sealed record LocatableGrid(GridHit Grid, Geometry Boundary);

/// <summary>
/// "Which grid is this point in", answered from memory (DESIGN §7: spatial lookups never need the database).
/// Register as a singleton. Readers take the current immutable snapshot without locking; a reload builds a new
/// snapshot aside and swaps the reference. After a grid changes, call <see cref="Invalidate"/>: the next
/// <see cref="EnsureLoadedAsync"/> (or <see cref="LocateAsync"/>) rebuilds the snapshot.
/// </summary>
public sealed class GridLocator : IDisposable
{
    /// <summary>
    /// Another app node's boundary change reaches this node's snapshot within this interval: a cheap count and
    /// last-change query decides whether to reload.
    /// </summary>
    public static readonly TimeSpan FreshnessInterval = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private Snapshot? _snapshot;
    private long _generation;
    private long _lastFreshnessCheck;

    public bool IsLoaded => Volatile.Read(ref _snapshot) is not null;

    /// <summary>True when a change was announced after the current snapshot was read.</summary>
    public bool IsStale => Volatile.Read(ref _snapshot) is not { } snapshot || snapshot.Generation != Interlocked.Read(ref _generation);

    public int GridCount => Volatile.Read(ref _snapshot)?.Count ?? 0;

    /// <summary>
    /// The grid containing the point (a point on a border shared by two grids gets one of them), or null when
    /// no grid covers it. Uses the current snapshot even if it is stale; throws if nothing was ever loaded,
    /// because "no grid" must never be confused with "not loaded yet".
    /// </summary>
    public GridHit? Locate(double longitude, double latitude)
    {
        var snapshot = Volatile.Read(ref _snapshot)
            ?? throw new InvalidOperationException("GridLocator has not been loaded: call EnsureLoadedAsync first.");
        return snapshot.Locate(longitude, latitude);
    }

    /// <summary>Rebuilds the snapshot first if it is missing or stale, then locates.</summary>
    public async Task<GridHit?> LocateAsync(AppDbContext db, double longitude, double latitude, CancellationToken ct)
    {
        await EnsureLoadedAsync(db, ct);
        return Locate(longitude, latitude);
    }

    /// <summary>Announces that grids changed; the snapshot is rebuilt on the next <see cref="EnsureLoadedAsync"/>.</summary>
    public void Invalidate() => Interlocked.Increment(ref _generation);

    public async Task EnsureLoadedAsync(AppDbContext db, CancellationToken ct)
    {
        if (!IsStale && Environment.TickCount64 - Interlocked.Read(ref _lastFreshnessCheck) > (long)FreshnessInterval.TotalMilliseconds)
        {
            Interlocked.Exchange(ref _lastFreshnessCheck, Environment.TickCount64);
            var fingerprint = await FingerprintAsync(db, ct);
            if (Volatile.Read(ref _snapshot) is { } current && current.Fingerprint != fingerprint)
            {
                Invalidate();
            }
        }
        if (!IsStale)
        {
            return;
        }
        await _reloadGate.WaitAsync(ct);
        try
        {
            // Whoever held the gate before us may already have loaded what we need.
            if (IsStale)
            {
                await LoadFromDatabaseAsync(db, ct);
            }
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    /// <summary>Rebuilds the snapshot from the database now, whether or not it is stale.</summary>
    public async Task ReloadAsync(AppDbContext db, CancellationToken ct)
    {
        await _reloadGate.WaitAsync(ct);
        try
        {
            await LoadFromDatabaseAsync(db, ct);
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    /// <summary>Replaces the snapshot with the given grids (seeding, tests, or a caller that already holds them).</summary>
    public void Load(IEnumerable<LocatableGrid> grids) =>
        Volatile.Write(ref _snapshot, Snapshot.Build(grids, Interlocked.Read(ref _generation), fingerprint: null));

    /// <summary>Active grids, of any street, whose envelopes meet the given one: the only ones a boundary can overlap.</summary>
    public async Task<IReadOnlyList<LocatableGrid>> NearAsync(AppDbContext db, Envelope envelope, CancellationToken ct)
    {
        await EnsureLoadedAsync(db, ct);
        return Volatile.Read(ref _snapshot)!.Near(envelope);
    }

    private static async Task<string> FingerprintAsync(AppDbContext db, CancellationToken ct)
    {
        var count = await db.Grids.CountAsync(ct);
        var lastChange = count == 0 ? default : await db.Grids.MaxAsync(g => g.UpdatedAt, ct);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{count}@{lastChange:O}");
    }

    public void Dispose() => _reloadGate.Dispose();

    private async Task LoadFromDatabaseAsync(AppDbContext db, CancellationToken ct)
    {
        // Read the generation before the rows: a change saved while we read bumps it, so we load again next time.
        var generation = Interlocked.Read(ref _generation);
        var fingerprint = await FingerprintAsync(db, ct);
        Interlocked.Exchange(ref _lastFreshnessCheck, Environment.TickCount64);
        var rows = await db.Grids.AsNoTracking()
            .Where(g => !g.IsRetired)
            .Select(g => new
            {
                g.Id,
                g.Code,
                g.Name,
                g.CommunityId,
                CommunityName = g.Community!.Name,
                g.ScopePath,
                g.Boundary,
            })
            .ToListAsync(ct);
        var grids = rows.Select(r => new LocatableGrid(
            new GridHit(r.Id, r.Code, r.Name, r.CommunityId, r.CommunityName, r.ScopePath), r.Boundary));
        Volatile.Write(ref _snapshot, Snapshot.Build(grids, generation, fingerprint));
    }

    private sealed class Snapshot
    {
        private readonly STRtree<Entry> _tree;

        private Snapshot(STRtree<Entry> tree, int count, long generation, string? fingerprint)
        {
            _tree = tree;
            Count = count;
            Generation = generation;
            Fingerprint = fingerprint;
        }

        public string? Fingerprint { get; }

        public int Count { get; }
        public long Generation { get; }

        public static Snapshot Build(IEnumerable<LocatableGrid> grids, long generation, string? fingerprint)
        {
            var tree = new STRtree<Entry>();
            var count = 0;
            foreach (var grid in grids)
            {
                // Anything without area can contain no point; a corrupt row must not stop every lookup.
                if (grid.Boundary is not (Polygon or MultiPolygon) || grid.Boundary.IsEmpty)
                {
                    continue;
                }
                tree.Insert(grid.Boundary.EnvelopeInternal, new Entry(grid.Grid, grid.Boundary, new IndexedPointInAreaLocator(grid.Boundary)));
                count++;
            }
            // Build now, on the loading thread, so that readers only ever traverse a finished tree.
            tree.Build();
            return new Snapshot(tree, count, generation, fingerprint);
        }

        public List<LocatableGrid> Near(Envelope envelope) =>
            _tree.Query(envelope).Select(e => new LocatableGrid(e.Grid, e.Boundary)).ToList();

        public GridHit? Locate(double longitude, double latitude)
        {
            if (!double.IsFinite(longitude) || !double.IsFinite(latitude) || Count == 0)
            {
                return null;
            }
            var point = new Coordinate(longitude, latitude);
            GridHit? onBorder = null;
            foreach (var candidate in _tree.Query(new Envelope(point)))
            {
                switch (candidate.Locator.Locate(point))
                {
                    case Location.Interior:
                        return candidate.Grid;
                    case Location.Boundary:
                        onBorder ??= candidate.Grid;
                        break;
                    default:
                        break;
                }
            }
            return onBorder;
        }
    }

    private sealed record Entry(GridHit Grid, Geometry Boundary, IndexedPointInAreaLocator Locator);
}
