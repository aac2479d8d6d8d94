using System.Text.Json;
using Community360.Auditing;
using Community360.Cases.Repeats;
using Community360.Common;
using Community360.Data;
using Community360.Geography;
using Community360.Identity;
using Microsoft.EntityFrameworkCore;

namespace Community360.Cases;

public enum RepeatLinkStatus
{
    Suggested = 1,
    Confirmed = 2,
    Split = 3,
}

/// <summary>"This case repeats that earlier one", with the finder's reasons and the dispatcher's decision.</summary>
public sealed class RepeatLink : IHasOwnEventLog
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid CaseId { get; init; }
    public required Guid EarlierCaseId { get; init; }
    public double Score { get; init; }
    public double TextSimilarity { get; init; }
    public bool SamePlace { get; init; }
    public bool SamePhone { get; init; }
    public bool SameCategory { get; init; }

    /// <summary>JSON array of the finder's reasons, in Chinese.</summary>
    public required string Reasons { get; init; }
    public RepeatLinkStatus Status { get; set; } = RepeatLinkStatus.Suggested;
    public DateTime CreatedAt { get; init; }
    public DateTime? DecidedAt { get; set; }
    public string? DecidedBy { get; set; }
}

public sealed record RepeatLinkDto(
    Guid Id, Guid CaseId, string CaseNumber, Guid EarlierCaseId, string EarlierNumber, string EarlierTitle, string EarlierStateName,
    string? EarlierResult, string? EarlierSatisfaction, double Score, RepeatLinkStatus Status, IReadOnlyList<string> Reasons);

/// <summary>What the clerk has typed so far; every field optional.</summary>
public sealed record RepeatDraft(
    string? Title = null,
    string? Description = null,
    string? Address = null,
    double? Longitude = null,
    double? Latitude = null,
    Guid? CategoryId = null,
    Guid? CommunityId = null,
    string? ComplainantPhone = null);

public sealed record RepeatPreviewDto(
    Guid CaseId, string Number, string Title, CaseState State, string StateName, DateTime ReceivedAt, string? EarlierResult,
    string? EarlierSatisfaction, double Score, IReadOnlyList<string> Reasons);

public sealed record RepeatClusterDto(
    Guid ClusterId, int CaseCount, string LatestNumber, string LatestTitle, string? CommunityName, DateTime LatestReceivedAt,
    int UnresolvedCallbacks, int UnsatisfiedCallbacks);

/// <summary>Options for the keyed phone hash; outside Development the key must be configured (Repeats:PhoneHashKey).</summary>
public sealed class RepeatSettings
{
    public const string Section = "Repeats";

    /// <summary>Base64, at least 16 bytes. Whoever holds it can test phone numbers against the hashes, so keep it out of the database.</summary>
    public string? PhoneHashKey { get; set; }
    public int WindowDays { get; set; } = 30;
}

/// <summary>
/// The in-memory repeat index of one app node, fed from the database: loaded once, then topped up with cases other
/// nodes received (checked at most every 30 seconds), and with the dispatchers' confirm/split decisions.
/// </summary>
public sealed class RepeatIndexHost(RepeatSettings settings) : IDisposable
{
    private static readonly TimeSpan SyncInterval = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTime _syncedUpTo = DateTime.MinValue;
    private long _lastSync;

    public RepeatIndex Index { get; } = new();
    public PhoneHasher Hasher { get; } = new(KeyFrom(settings));
    public RepeatOptions Options { get; } = new() { Window = TimeSpan.FromDays(settings.WindowDays) };

    public async Task EnsureCurrentAsync(AppDbContext db, DateTime now, CancellationToken ct)
    {
        if (_syncedUpTo != DateTime.MinValue && Environment.TickCount64 - Interlocked.Read(ref _lastSync) < (long)SyncInterval.TotalMilliseconds)
        {
            return;
        }
        await _gate.WaitAsync(ct);
        try
        {
            var from = _syncedUpTo == DateTime.MinValue ? now - Options.Window : _syncedUpTo.AddMinutes(-1);
            if (_syncedUpTo == DateTime.MinValue)
            {
                // Known compounds first: a place is read out of a description only with the compounds known at indexing.
                Index.RegisterCompounds(await db.Compounds.AsNoTracking().Select(c => c.Name).ToListAsync(ct));
            }
            var rows = await db.Cases.AsNoTracking()
                .Where(c => c.ReceivedAt >= from && c.State != CaseState.Voided)
                .Select(c => new { c.Id, c.ReceivedAt, c.CategoryId, ParentId = db.CaseCategories.Where(k => k.Id == c.CategoryId).Select(k => k.ParentId).FirstOrDefault(), c.CommunityId, c.ComplainantPhoneHash, c.PlaceKey, c.Title, c.Description, c.Address })
                .ToListAsync(ct);
            Index.AddRange(rows.Where(r => !Index.Contains(r.Id))
                .Select(r => new RepeatDocument(r.Id, r.ReceivedAt, r.CategoryId, r.ParentId, r.CommunityId, r.ComplainantPhoneHash, r.PlaceKey, r.Title + "。" + r.Description) { Address = r.Address }));
            var decisions = await db.RepeatLinks.AsNoTracking().Where(l => l.Status != RepeatLinkStatus.Suggested && l.DecidedAt >= from).ToListAsync(ct);
            foreach (var decision in decisions)
            {
                Record(decision);
            }
            Index.EvictOlderThan(now - Options.Window);
            _syncedUpTo = now;
            Interlocked.Exchange(ref _lastSync, Environment.TickCount64);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Record(RepeatLink decision)
    {
        if (decision.Status == RepeatLinkStatus.Confirmed)
        {
            Index.RecordConfirmed(decision.CaseId, decision.EarlierCaseId);
        }
        else if (decision.Status == RepeatLinkStatus.Split)
        {
            Index.RecordSplit(decision.CaseId, decision.EarlierCaseId);
        }
    }

    public void Dispose()
    {
        _gate.Dispose();
        Index.Dispose();
    }

    /// <summary>A fixed key for development and tests only; <see cref="RepeatSettings"/> supplies the real one.</summary>
    public static readonly byte[] DevelopmentKey = "community360-development-only-key"u8.ToArray();

    private static byte[] KeyFrom(RepeatSettings settings) =>
        string.IsNullOrWhiteSpace(settings.PhoneHashKey) ? DevelopmentKey : Convert.FromBase64String(settings.PhoneHashKey);
}

/// <summary>Repeat suggestions for new cases, the dispatcher's decisions, and the standing list of unsatisfied repeats.</summary>
public sealed class CaseRepeats(AppDbContext db, RepeatIndexHost host, GridLocator? locator = null)
{
    private const int LinksPerCase = 3;
    private const int PreviewSize = 5;

    /// <summary>
    /// 重复诉求提示 while the intake form is filled in: the earlier cases, visible to the caller, that intake would link the
    /// draft to, found in the same index and with the same document intake builds. Nothing is saved or indexed.
    /// </summary>
    public async Task<IReadOnlyList<RepeatPreviewDto>> PreviewAsync(Caller caller, RepeatDraft draft, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var errors = new FieldErrors();
        var title = errors.OptionalText("title", "标题", draft.Title, CaseRules.TitleMax);
        var description = errors.OptionalText("description", "诉求内容", draft.Description, CaseRules.DescriptionMax);
        var address = errors.OptionalText("address", "事发地址", draft.Address, InputRules.AddressMax);
        var phone = errors.OptionalText("complainantPhone", "联系电话", draft.ComplainantPhone, InputRules.PhoneMax);
        if (draft.Longitude is null != draft.Latitude is null)
        {
            errors.Add(draft.Longitude is null ? "longitude" : "latitude", "经度和纬度需同时填写。");
        }
        errors.ThrowIfAny();
        if (!Enum.GetValues<CaseChannel>().Any(channel => CasePolicy.MayReceive(caller, channel)))
        {
            throw new ForbiddenException("您的角色不能登记工单，无需查重。");
        }
        if (title is null && description is null && address is null && phone is null)
        {
            return [];
        }
        var category = draft.CategoryId is { } categoryId
            ? await db.CaseCategories.AsNoTracking().Where(k => k.Id == categoryId).Select(k => new { k.Id, k.ParentId }).FirstOrDefaultAsync(ct)
            : null;
        var communityId = draft.CommunityId;
        if (draft.Longitude is { } lon && draft.Latitude is { } lat && double.IsFinite(lon) && double.IsFinite(lat)
            && locator is not null && await locator.LocateAsync(db, lon, lat, ct) is { } hit)
        {
            communityId = hit.CommunityId;
        }
        var now = AuditChain.Truncate(db.Clock.GetUtcNow().UtcDateTime);
        await host.EnsureCurrentAsync(db, now, ct);
        var document = new RepeatDocument(Guid.Empty, now, category?.Id, category?.ParentId, communityId, HashPhone(phone),
            PlaceKey(address), (title ?? string.Empty) + "。" + (description ?? string.Empty)) { Address = address };
        var probe = RepeatProbe.For(document) with { CaseId = null, Address = address };
        var candidates = host.Index.FindCandidates(probe, host.Options).Where(c => c.IsRepeat).Take(PreviewSize * 4).ToList();
        if (candidates.Count == 0)
        {
            return [];
        }
        var ids = candidates.Select(c => c.CaseId).ToList();
        var visible = await CaseHandlers.VisibleTo(db, caller).AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        return candidates.Where(c => visible.ContainsKey(c.CaseId)).Take(PreviewSize).Select(candidate =>
        {
            var earlier = visible[candidate.CaseId];
            var conceal = !CasePolicy.SeesComplainant(caller, earlier);
            var satisfaction = earlier.CallbackSatisfaction is { } s ? CaseNames.Of(s) + (earlier.CallbackResolved == false ? "（未解决）" : string.Empty) : null;
            return new RepeatPreviewDto(earlier.Id, earlier.Number, conceal ? CaseHandlers.Conceal(earlier.Title, earlier)! : earlier.Title,
                earlier.State, CaseNames.Of(earlier.State), earlier.ReceivedAt, conceal ? CaseHandlers.Conceal(earlier.ResultSummary, earlier) : earlier.ResultSummary,
                satisfaction, Math.Round(candidate.Score, 3), candidate.Reasons);
        }).ToList();
    }

    public string? HashPhone(string? phone) => host.Hasher.Hash(phone);

    public static string? PlaceKey(string? address) => PlaceNormalizer.Normalize(null, address);

    /// <summary>Finds earlier cases of the same problem, records the links, joins the cluster, and indexes the case.</summary>
    public async Task LinkNewCaseAsync(Case @case, CaseCategory category, CancellationToken ct)
    {
        await host.EnsureCurrentAsync(db, @case.ReceivedAt, ct);
        var document = new RepeatDocument(@case.Id, @case.ReceivedAt, category.Id, category.ParentId, @case.CommunityId,
            @case.ComplainantPhoneHash, @case.PlaceKey, @case.Title + "。" + @case.Description) { Address = @case.Address };
        var repeats = host.Index.FindCandidates(RepeatProbe.For(document) with { Address = @case.Address }, host.Options).Where(c => c.IsRepeat).Take(LinksPerCase).ToList();
        host.Index.Add(document);
        if (repeats.Count == 0)
        {
            return;
        }
        var earlierIds = repeats.Select(r => r.CaseId).ToList();
        var earlier = await db.Cases.Where(c => earlierIds.Contains(c.Id)).ToListAsync(ct);
        var best = earlier.First(c => c.Id == repeats[0].CaseId);
        var tracked = await db.Cases.FirstAsync(c => c.Id == @case.Id, ct);
        if (best.RepeatClusterId is null)
        {
            best.JoinRepeatCluster(best.Id);
        }
        tracked.JoinRepeatCluster(best.RepeatClusterId!.Value);
        foreach (var candidate in repeats.Where(r => earlier.Any(c => c.Id == r.CaseId)))
        {
            db.RepeatLinks.Add(new RepeatLink
            {
                CaseId = @case.Id,
                EarlierCaseId = candidate.CaseId,
                Score = Math.Round(candidate.Score, 3),
                TextSimilarity = Math.Round(candidate.TextSimilarity, 3),
                SamePlace = candidate.SamePlace,
                SamePhone = candidate.SamePhone,
                SameCategory = candidate.SameCategory,
                Reasons = JsonSerializer.Serialize(candidate.Reasons),
                Status = candidate.ConfirmedByDispatcher ? RepeatLinkStatus.Confirmed : RepeatLinkStatus.Suggested,
                CreatedAt = @case.ReceivedAt,
            });
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The links of a case in both directions, with the earlier cases' outcomes, as the dispatcher sees them.</summary>
    public async Task<IReadOnlyList<RepeatLinkDto>> LinksAsync(Guid caseId, CancellationToken ct)
    {
        var links = await db.RepeatLinks.AsNoTracking().Where(l => l.CaseId == caseId || l.EarlierCaseId == caseId).OrderByDescending(l => l.Score).ToListAsync(ct);
        var ids = links.SelectMany(l => new[] { l.CaseId, l.EarlierCaseId }).Distinct().ToList();
        var cases = await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.Number, c.Title, c.State, c.ResultSummary, c.CallbackSatisfaction, c.CallbackResolved })
            .ToDictionaryAsync(c => c.Id, ct);
        return links.Select(l =>
        {
            var earlier = cases[l.EarlierCaseId];
            var satisfaction = earlier.CallbackSatisfaction is { } s ? CaseNames.Of(s) + (earlier.CallbackResolved == false ? "（未解决）" : string.Empty) : null;
            return new RepeatLinkDto(l.Id, l.CaseId, cases[l.CaseId].Number, l.EarlierCaseId, earlier.Number, earlier.Title,
                CaseNames.Of(earlier.State), earlier.ResultSummary, satisfaction, l.Score, l.Status,
                JsonSerializer.Deserialize<List<string>>(l.Reasons) ?? []);
        }).ToList();
    }

    /// <summary>The dispatcher confirms a suggested link, or splits the case off the cluster; both teach later suggestions.</summary>
    public async Task<RepeatLinkDto> DecideAsync(Caller caller, Guid caseId, Guid linkId, bool confirm, CancellationToken ct)
    {
        if (!CasePolicy.IsDispatchOffice(caller))
        {
            throw new ForbiddenException("只有指挥中心可以确认或拆分重复诉求。");
        }
        var link = await db.RepeatLinks.FirstOrDefaultAsync(l => l.Id == linkId && (l.CaseId == caseId || l.EarlierCaseId == caseId), ct)
            ?? throw new NotFoundException("重复关联");
        link.Status = confirm ? RepeatLinkStatus.Confirmed : RepeatLinkStatus.Split;
        link.DecidedAt = db.Clock.GetUtcNow().UtcDateTime;
        link.DecidedBy = caller.DisplayName;
        if (!confirm)
        {
            var later = await db.Cases.FirstAsync(c => c.Id == link.CaseId, ct);
            var stillLinked = await db.RepeatLinks.AnyAsync(l => l.CaseId == later.Id && l.Id != link.Id && l.Status != RepeatLinkStatus.Split, ct);
            if (!stillLinked)
            {
                later.LeaveRepeatCluster();
            }
        }
        db.Audit(new AuditFact(confirm ? "repeat.confirmed" : "repeat.split", nameof(RepeatLink), link.Id.ToString(),
            new { link.CaseId, link.EarlierCaseId }));
        await db.SaveChangesAsync(ct);
        host.Record(link);
        return (await LinksAsync(caseId, ct)).First(l => l.Id == linkId);
    }

    /// <summary>反复反映且不满意: clusters in which a callback found the problem unresolved or the complainant unsatisfied.</summary>
    public async Task<IReadOnlyList<RepeatClusterDto>> UnsatisfiedClustersAsync(IQueryable<Case> visible, CancellationToken ct)
    {
        var clusters = await visible.AsNoTracking()
            .Where(c => c.RepeatClusterId != null)
            .GroupBy(c => c.RepeatClusterId!.Value)
            .Select(g => new
            {
                ClusterId = g.Key,
                Count = g.Count(),
                Unresolved = g.Count(c => c.CallbackResolved == false),
                Unsatisfied = g.Count(c => c.CallbackSatisfaction == Satisfaction.Unsatisfied),
                Latest = g.Max(c => c.ReceivedAt),
            })
            .Where(g => g.Count > 1 && (g.Unresolved > 0 || g.Unsatisfied > 0))
            .OrderByDescending(g => g.Unresolved + g.Unsatisfied).ThenByDescending(g => g.Latest)
            .Take(100)
            .ToListAsync(ct);
        // One query for the newest case of every listed cluster, not one per cluster.
        var ids = clusters.Select(c => c.ClusterId).ToList();
        var members = await visible.AsNoTracking().Where(c => c.RepeatClusterId != null && ids.Contains(c.RepeatClusterId.Value))
            .Select(c => new { ClusterId = c.RepeatClusterId!.Value, c.ReceivedAt, c.Number, c.Title, Community = db.OrgUnits.Where(o => o.Id == c.CommunityId).Select(o => o.Name).FirstOrDefault() })
            .ToListAsync(ct);
        var latest = members.GroupBy(m => m.ClusterId).ToDictionary(g => g.Key, g => g.MaxBy(m => m.ReceivedAt)!);
        return clusters.ConvertAll(cluster => new RepeatClusterDto(cluster.ClusterId, cluster.Count, latest[cluster.ClusterId].Number,
            latest[cluster.ClusterId].Title, latest[cluster.ClusterId].Community, cluster.Latest, cluster.Unresolved, cluster.Unsatisfied));
    }
}
