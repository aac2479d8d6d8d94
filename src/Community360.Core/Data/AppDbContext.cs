using Community360.Auditing;
using Community360.Cases;
using Community360.Geography;
using Community360.Identity;
using Community360.Organization;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace Community360.Data;

/// <summary>
/// The one EF Core model of the product, shipped on SQLite and PostgreSQL (one migrations assembly each).
/// Saving stamps versions and instants and appends the hash-chained audit rows for every change in the same
/// transaction, so no change can be saved without its audit event.
/// </summary>
public sealed class AppDbContext(
    DbContextOptions<AppDbContext> options,
    TimeProvider timeProvider,
    IAuditActor auditActor)
    : IdentityDbContext<AppUser, AppRole, Guid>(options)
{
    private readonly List<AuditFact> _pendingFacts = [];

    public DbSet<OrgUnit> OrgUnits => Set<OrgUnit>();
    public DbSet<Grid> Grids => Set<Grid>();
    public DbSet<Compound> Compounds => Set<Compound>();
    public DbSet<Building> Buildings => Set<Building>();
    public DbSet<CommunityBoundary> CommunityBoundaries => Set<CommunityBoundary>();
    public DbSet<Case> Cases => Set<Case>();
    public DbSet<CaseEvent> CaseEvents => Set<CaseEvent>();
    public DbSet<CaseAssignment> CaseAssignments => Set<CaseAssignment>();
    public DbSet<CaseCategory> CaseCategories => Set<CaseCategory>();
    public DbSet<CaseTypeConfig> CaseTypeConfigs => Set<CaseTypeConfig>();
    public DbSet<RepeatLink> RepeatLinks => Set<RepeatLink>();
    public DbSet<CaseAttachment> CaseAttachments => Set<CaseAttachment>();
    public DbSet<Calendar.CalendarDay> CalendarDays => Set<Calendar.CalendarDay>();
    public DbSet<Calendar.OfficeHours> OfficeHours => Set<Calendar.OfficeHours>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Reports.CaseMetricDay> CaseMetricDays => Set<Reports.CaseMetricDay>();
    public DbSet<Reports.MetricRuleSet> MetricRuleSets => Set<Reports.MetricRuleSet>();

    public TimeProvider Clock => timeProvider;

    /// <summary>Queues a fact (sign-in, reveal, import) to be chained with the next save.</summary>
    public void Audit(AuditFact fact) => _pendingFacts.Add(fact);

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcDateTimeConverter>();
        configurationBuilder.Properties<Geometry>().HaveConversion<GeometryWkbConverter, GeometryValueComparer>();
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new InvalidOperationException("Use SaveChangesAsync: saving appends audit rows under a lock.");

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var now = AuditChain.Truncate(timeProvider.GetUtcNow().UtcDateTime);
        ChangeTracking.StampVersionsAndTimes(ChangeTracker, now);
        var drafts = ChangeTracking.DescribeChanges(ChangeTracker);
        drafts.AddRange(_pendingFacts.Select(ChangeTracking.Describe));
        _pendingFacts.Clear();
        // Case events update the metric aggregates in the same transaction, so that no event is saved without its count.
        var metrics = await Reports.MetricLedger.TallyChangesAsync(this, cancellationToken);
        if (drafts.Count == 0 && metrics.IsEmpty)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        // A save without audit rows (a case and its events) takes no chain lock, only the aggregates' atomic upsert.
        return await SaveInTransactionAsync(
            drafts.Count == 0 ? _ => Task.CompletedTask : ct => AppendAuditRowsAsync(drafts, now, ct),
            metrics, acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>
    /// Appends the drafts to the hash chain. SQLite transactions from Microsoft.Data.Sqlite are IMMEDIATE: the write
    /// lock is held from the start, so reading the chain's tail cannot race. PostgreSQL needs an explicit lock for the
    /// same guarantee.
    /// </summary>
    private async Task AppendAuditRowsAsync(List<AuditDraft> drafts, DateTime now, CancellationToken cancellationToken)
    {
        if (Database.IsNpgsql())
        {
            await Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(360360001)", cancellationToken);
        }
        var tail = await AuditEntries.AsNoTracking()
            .OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash, e.OccurredAt })
            .FirstOrDefaultAsync(cancellationToken);
        var sequence = tail?.Sequence ?? 0;
        var previousHash = tail?.Hash ?? AuditChain.GenesisHash;
        // Instants follow the chain: a writer that waited for the lock never files a row before its predecessor.
        if (tail is not null && tail.OccurredAt > now)
        {
            now = tail.OccurredAt;
        }
        foreach (var draft in drafts)
        {
            sequence++;
            var actorId = draft.ActorName is null ? auditActor.ActorId : draft.ActorId;
            var actorName = draft.ActorName ?? auditActor.ActorName;
            var scopePath = draft.ScopePath ?? auditActor.ScopePath;
            var hash = AuditChain.ComputeHash(previousHash, sequence, now, actorId, actorName,
                auditActor.ActorAddress, draft.Action, draft.EntityType, draft.EntityId, scopePath, draft.Details);
            AuditEntries.Add(new AuditEntry
            {
                Sequence = sequence,
                OccurredAt = now,
                ActorId = actorId,
                ActorName = actorName,
                ActorAddress = auditActor.ActorAddress,
                Action = draft.Action,
                EntityType = draft.EntityType,
                EntityId = draft.EntityId,
                ScopePath = scopePath,
                Details = draft.Details,
                PreviousHash = previousHash,
                Hash = hash,
            });
            previousHash = hash;
        }
    }

    /// <summary>
    /// Saves inside the caller's transaction or one of its own, with the metric aggregates of the same events. Changes
    /// are accepted only once committed: a failed commit must leave the tracker as it was.
    /// </summary>
    private async Task<int> SaveInTransactionAsync(
        Func<CancellationToken, Task> beforeSave, Reports.MetricTally metrics, bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        var transaction = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            await beforeSave(cancellationToken);
            await Reports.MetricLedger.UpsertAsync(this, metrics, cancellationToken);
            var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(CancellationToken.None);
            }
            if (acceptAllChangesOnSuccess)
            {
                ChangeTracker.AcceptAllChanges();
            }
            return written;
        }
        catch
        {
            DetachAuditRows();
            throw;
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
        }
    }

    private void DetachAuditRows()
    {
        foreach (var entry in ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added).ToList())
        {
            entry.State = EntityState.Detached;
        }
    }
}
