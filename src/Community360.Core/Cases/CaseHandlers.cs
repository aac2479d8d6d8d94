using System.Globalization;
using Community360.Auditing;
using Community360.Calendar;
using Community360.Common;
using Community360.Data;
using Community360.Geography;
using Community360.Identity;
using Community360.Organization;
using Microsoft.EntityFrameworkCore;

namespace Community360.Cases;

/// <summary>
/// 接诉即办: intake, the actions of the chain, and the queries over cases, all inside the caller's scope.
/// The API and the staff console both call these.
/// </summary>
public sealed partial class CaseHandlers(
    AppDbContext db,
    GridLocator locator,
    WorkingCalendarProvider calendars,
    CaseRepeats repeats)
{
    private const string What = "工单";

    public async Task<(CaseDetailDto Case, bool Created)> ReceiveAsync(Caller caller, CaseIntakeInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var type = errors.Enum("type", "工单类型", input.Type);
        var channel = errors.Enum("channel", "来源渠道", input.Channel);
        var urgency = input.Urgency is null ? CaseUrgency.Normal : errors.Enum("urgency", "紧急程度", input.Urgency);
        var title = errors.Text("title", "标题", input.Title, CaseRules.TitleMax);
        var description = errors.Text("description", "诉求内容", input.Description, CaseRules.DescriptionMax);
        var address = errors.OptionalText("address", "事发地址", input.Address, InputRules.AddressMax);
        var reference = errors.OptionalText("externalReference", "外部工单号", input.ExternalReference, CaseRules.ExternalReferenceMax);
        var complainant = errors.OptionalText("complainantName", "诉求人姓名", input.ComplainantName, InputRules.ShortNameMax);
        var phone = errors.OptionalText("complainantPhone", "联系电话", input.ComplainantPhone, InputRules.PhoneMax);
        errors.PhoneNumber("complainantPhone", phone);
        var note = errors.OptionalText("note", "备注", input.Note, CaseRules.NoteMax);
        ReadLocation(errors, input.Longitude, input.Latitude);
        var category = input.CategoryId is null ? null : await LoadCategoryAsync(input.CategoryId.Value, ct);
        if (input.CategoryId is null)
        {
            errors.Add("categoryId", "请选择诉求分类。");
        }
        else if (category is null)
        {
            errors.Add("categoryId", "所选分类不存在或已停用。");
        }
        else if (category.ParentId is null)
        {
            errors.Add("categoryId", $"“{category.Name}”是大类，请选择其下的小类。");
        }
        errors.ThrowIfAny();
        if (!CasePolicy.MayReceive(caller, channel))
        {
            throw new ForbiddenException($"您的角色不能登记来自“{CaseNames.Of(channel)}”的工单。");
        }

        if (reference is not null && await FindByReferenceAsync(caller, channel, reference, ct) is { } existing)
        {
            return (existing, false);
        }
        var place = await PlaceAsync(caller, input.Longitude, input.Latitude, input.CommunityId, ct);
        var now = Now();
        var intake = new CaseIntake(
            Number: string.Empty, type, channel, reference, category!.Id, urgency, title, description, address,
            input.Longitude, input.Latitude, CaseRepeats.PlaceKey(address), place, complainant, phone, repeats.HashPhone(phone),
            input.IsConfidential ?? false, category.DefaultUnitId ?? place.CommunityId, note);

        Case @case;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            intake = intake with { Number = await NextNumberAsync(now, ct) };
            @case = Case.Receive(intake, await ActorAsync(caller, ct), now);
            db.Cases.Add(@case);
            try
            {
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(CancellationToken.None);
            }
            catch (DbUpdateException) when (reference is not null)
            {
                // The same ticket arrived twice at once and the other delivery won: answer with its case.
                await transaction.RollbackAsync(CancellationToken.None);
                db.ChangeTracker.Clear();
                return (await FindByReferenceAsync(caller, channel, reference, ct) ?? throw new ConflictException("该外部工单号已被登记。"), false);
            }
        }
        try
        {
            await repeats.LinkNewCaseAsync(@case, category, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The case is saved; an earlier case changed under the link. Link again against what is there now.
            db.ChangeTracker.Clear();
            await repeats.LinkNewCaseAsync(@case, category, ct);
        }
        return (await DetailAsync(caller, @case.Id, ct), true);
    }

    public Task<CaseDetailDto> GetAsync(Caller caller, Guid id, CancellationToken ct) => DetailAsync(caller, id, ct);

    public async Task<IReadOnlyList<CaseEventDto>> TimelineAsync(Caller caller, Guid id, CancellationToken ct)
    {
        var @case = await Visible(caller).AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException(What);
        var events = await db.CaseEvents.AsNoTracking().Where(e => e.CaseId == id).OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).ToListAsync(ct);
        var conceal = !CasePolicy.SeesComplainant(caller, @case);
        return events.ConvertAll(e => new CaseEventDto(e.Id, e.Action, CaseNames.Of(e.Action), e.FromState, CaseNames.Of(e.FromState),
            e.ToState, CaseNames.Of(e.ToState), e.ActorName, e.ActorUnitName, e.OccurredAt, conceal ? Conceal(e.Note, @case) : e.Note, e.Data));
    }

    public async Task<RoutingSuggestion> SuggestRoutingAsync(Caller caller, Guid id, CancellationToken ct)
    {
        var @case = await Visible(caller).AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException(What);
        var category = await LoadCategoryAsync(@case.CategoryId, ct);
        var reasons = new List<string>();
        string? gridName = null;
        if (@case.GridId is { } gridId)
        {
            gridName = await db.Grids.Where(g => g.Id == gridId).Select(g => g.Name).FirstOrDefaultAsync(ct);
            reasons.Add($"事发位置位于网格“{gridName}”内");
        }
        else if (@case.Longitude is not null)
        {
            reasons.Add("事发位置不在任何网格内，需要人工确定属地");
        }
        var communityName = @case.CommunityId is { } communityId
            ? await db.OrgUnits.Where(o => o.Id == communityId).Select(o => o.Name).FirstOrDefaultAsync(ct)
            : null;
        var unitId = category?.DefaultUnitId ?? @case.CommunityId;
        var unitName = unitId is null ? null : await db.OrgUnits.Where(o => o.Id == unitId).Select(o => o.Name).FirstOrDefaultAsync(ct);
        if (category?.DefaultUnitId is not null)
        {
            reasons.Add($"分类“{category.Name}”默认由“{unitName}”办理");
        }
        else if (unitId is not null)
        {
            reasons.Add($"分类“{category?.Name}”默认由属地社区“{unitName}”办理");
        }
        var line = category?.WorkLine ?? category?.Parent?.WorkLine;
        if (line is { } workLine)
        {
            reasons.Add($"所属条线：{WorkLines.DisplayName(workLine)}");
        }
        return new RoutingSuggestion(@case.GridId, gridName, @case.CommunityId, communityName, unitId, unitName, line,
            line is { } l ? WorkLines.DisplayName(l) : null, @case.CommunityId is null, reasons);
    }

    /// <summary>Shows a complainant's full name and phone to someone entitled to see them, and audits it.</summary>
    public async Task<ComplainantDto> RevealComplainantAsync(Caller caller, Guid id, string? reason, CancellationToken ct)
    {
        var @case = await Visible(caller).AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException(What);
        var why = reason?.Trim() ?? string.Empty;
        if (why.Length is < 2 or > CaseRules.ReasonMax)
        {
            throw ValidationException.For("reason", "请说明查看完整信息的理由（2 到 500 个字）。");
        }
        if (!CasePolicy.SeesComplainant(caller, @case))
        {
            throw new ForbiddenException("诉求人要求保密，只有指挥中心可以查看其身份信息。");
        }
        db.Audit(new AuditFact(AuditActions.PersonalDataRevealed, nameof(Case), id.ToString(), new { @case.Number, reason = why }) { ScopePath = @case.ScopePath });
        await db.SaveChangesAsync(ct);
        return new ComplainantDto(@case.ComplainantName, @case.ComplainantPhone, @case.Address, @case.IsConfidential, IsHidden: false);
    }

    /// <summary>The cases the caller may see, for queries composed elsewhere (reports, repeat lists).</summary>
    public IQueryable<Case> VisibleCases(Caller caller) => Visible(caller);

    private IQueryable<Case> Visible(Caller caller) => VisibleTo(db, caller);

    internal static IQueryable<Case> VisibleTo(AppDbContext db, Caller caller)
    {
        if (caller.ScopePath == ScopePaths.Root)
        {
            return db.Cases;
        }
        // A case is seen where it happened and by the units it is currently handed to.
        var prefix = caller.ScopePath + "%";
        return db.Cases.Where(c => EF.Functions.Like(c.ScopePath, prefix)
            || db.CaseAssignments.Any(a => a.CaseId == c.Id && a.EndedAt == null && EF.Functions.Like(a.UnitScopePath, prefix)));
    }

    private async Task<CaseDetailDto?> FindByReferenceAsync(Caller caller, CaseChannel channel, string reference, CancellationToken ct)
    {
        var id = await db.Cases.AsNoTracking().Where(c => c.Channel == channel && c.ExternalReference == reference).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
        if (id is null)
        {
            return null;
        }
        if (!await Visible(caller).AnyAsync(c => c.Id == id, ct))
        {
            throw new ConflictException($"“{CaseNames.Of(channel)}”渠道的工单号 {reference} 已被登记。");
        }
        return await DetailAsync(caller, id.Value, ct);
    }

    private async Task<CaseDetailDto> DetailAsync(Caller caller, Guid id, CancellationToken ct, bool authorizedByAction = false)
    {
        var cases = authorizedByAction ? db.Cases : Visible(caller);
        var @case = await cases.AsNoTracking().Include(c => c.Assignments).FirstOrDefaultAsync(c => c.Id == id, ct)
            ?? throw new NotFoundException(What);
        var category = await LoadCategoryAsync(@case.CategoryId, ct);
        var config = await ConfigAsync(@case.Type, ct);
        var names = await NamesAsync([@case.CommunityId, @case.GridId], ct);
        var now = Now();
        string? remaining = null;
        var isOverdue = false;
        if (@case.IsOpen && @case.CompletedAt is null && @case.CompletionDueAt is { } due)
        {
            var calendar = await calendars.GetAsync(db, ct);
            var left = calendar.Remaining(now, due, @case.CompletionLimitUnit ?? TimeLimitUnit.WorkingHours);
            remaining = TimeLimit.DescribeRemaining(left, @case.CompletionLimitUnit ?? TimeLimitUnit.WorkingHours);
            isOverdue = left < TimeSpan.Zero;
        }
        var sees = CasePolicy.SeesComplainant(caller, @case);
        var conceal = !sees;
        var complainant = sees
            ? new ComplainantDto(@case.ComplainantName, Masking.Phone(@case.ComplainantPhone), @case.Address, @case.IsConfidential, IsHidden: false)
            : new ComplainantDto("（保密）", null, @case.Address, IsConfidential: true, IsHidden: true);
        var allowed = @case.AllowedActions(config).Where(a => CasePolicy.Permits(caller, @case, a)).Select(a => a.ToString()).ToList();
        return new CaseDetailDto(@case.Id, @case.Number, @case.Type, CaseNames.Of(@case.Type), @case.Channel, CaseNames.Of(@case.Channel),
            @case.ExternalReference, @case.CategoryId, category?.Name ?? "—", category?.Parent?.Name, category?.WorkLine ?? category?.Parent?.WorkLine,
            @case.Urgency, CaseNames.Of(@case.Urgency), conceal ? Conceal(@case.Title, @case)! : @case.Title,
            conceal ? Conceal(@case.Description, @case)! : @case.Description, @case.Longitude, @case.Latitude,
            @case.CommunityId, Name(names, @case.CommunityId), @case.GridId, Name(names, @case.GridId), @case.NeedsManualRouting,
            complainant, @case.State, CaseNames.Of(@case.State), @case.HandlingUnitId, @case.HandlingUnitName,
            @case.Assignments.OrderBy(a => a.AssignedAt).Select(a => new AssignmentDto(a.UnitId, a.UnitName, a.IsLead, a.AssignedAt, a.EndedAt)).ToList(),
            @case.ReceivedAt, @case.DispatchedAt, @case.AcceptedAt, @case.ContactedAt, @case.CompletedAt, @case.ClosedAt,
            @case.ResponseDueAt, @case.CompletionDueAt, @case.CallbackDueAt, remaining, isOverdue, @case.ExtensionRequestedDueAt,
            conceal ? Conceal(@case.ResultSummary, @case) : @case.ResultSummary, @case.CallbackContact, @case.CallbackResolved, @case.CallbackSatisfaction, @case.ReturnCount,
            @case.ReworkCount, @case.ReopenCount, @case.SuperviseCount, @case.LeaderInChargeName, @case.RepeatClusterId, allowed, @case.Version);
    }

    /// <summary>
    /// For a confidential case seen by a handling unit: the complainant's name and any phone or ID number are taken
    /// out of free text too, since a caller often names themselves in the complaint and staff in their notes.
    /// </summary>
    internal static string? Conceal(string? text, Case @case) => Conceal(text, @case.ComplainantName);

    /// <inheritdoc cref="Conceal(string?, Case)"/>
    internal static string? Conceal(string? text, string? complainantName)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }
        var concealed = Masking.ScrubText(text);
        if (complainantName is { Length: > 0 } name)
        {
            concealed = concealed.Replace(name, "（保密）", StringComparison.Ordinal);
            if (name.Length >= 2)
            {
                // "赵先生" is often written "赵师傅" or "老赵": the surname with a title is concealed as well.
                concealed = concealed.Replace(name[..1] + "先生", "（保密）", StringComparison.Ordinal)
                    .Replace(name[..1] + "女士", "（保密）", StringComparison.Ordinal);
            }
        }
        return concealed;
    }

    private async Task<Dictionary<Guid, string>> NamesAsync(IEnumerable<Guid?> ids, CancellationToken ct)
    {
        var wanted = ids.OfType<Guid>().ToList();
        return await db.OrgUnits.Where(o => wanted.Contains(o.Id)).Select(o => new { o.Id, o.Name })
            .Concat(db.Grids.Where(g => wanted.Contains(g.Id)).Select(g => new { g.Id, g.Name }))
            .ToDictionaryAsync(x => x.Id, x => x.Name, ct);
    }

    private static string? Name(Dictionary<Guid, string> names, Guid? id) => id is { } key && names.TryGetValue(key, out var name) ? name : null;

    private Task<CaseCategory?> LoadCategoryAsync(Guid id, CancellationToken ct) =>
        db.CaseCategories.AsNoTracking().Include(c => c.Parent).FirstOrDefaultAsync(c => c.Id == id && !c.IsRetired, ct);

    private async Task<CaseTypeConfig> ConfigAsync(CaseType type, CancellationToken ct) =>
        await db.CaseTypeConfigs.AsNoTracking().FirstOrDefaultAsync(c => c.Type == type, ct)
        ?? CaseTypeConfig.Defaults().Single(c => c.Type == type);

    /// <summary>Where a new case belongs: its grid when located, else the community named, else the caller's street.</summary>
    private async Task<CasePlace> PlaceAsync(Caller caller, double? longitude, double? latitude, Guid? communityId, CancellationToken ct)
    {
        if (longitude is { } lon && latitude is { } lat && await locator.LocateAsync(db, lon, lat, ct) is { } hit)
        {
            var streetId = await db.OrgUnits.Where(o => o.Id == hit.CommunityId).Select(o => o.ParentId).FirstAsync(ct);
            return new CasePlace(streetId!.Value, hit.CommunityId, hit.GridId, hit.ScopePath);
        }
        if (communityId is { } id)
        {
            var community = await db.OrgUnits.InScopeOf(caller).FirstOrDefaultAsync(o => o.Id == id && o.Kind == OrgUnitKind.Community && !o.IsRetired, ct)
                ?? throw ValidationException.For("communityId", "所选社区不存在或不在您的管辖范围内。");
            return new CasePlace(community.ParentId!.Value, community.Id, null, community.ScopePath);
        }
        var streets = await db.OrgUnits.Where(o => o.Kind == OrgUnitKind.Street && !o.IsRetired).Select(o => new { o.Id, o.ScopePath }).ToListAsync(ct);
        var street = streets.FirstOrDefault(s => caller.ScopePath.StartsWith(s.ScopePath, StringComparison.Ordinal))
            ?? (streets.Count == 1 ? streets[0] : null)
            ?? throw ValidationException.For("communityId", "无法确定工单所属街道，请选择社区或在地图上标注位置。");
        return new CasePlace(street.Id, null, null, street.ScopePath);
    }

    private static void ReadLocation(FieldErrors errors, double? longitude, double? latitude)
    {
        if (longitude is null != latitude is null)
        {
            errors.Add(longitude is null ? "longitude" : "latitude", "经度和纬度需同时填写。");
        }
        else if (longitude is { } lon && latitude is { } lat && (lon is < -180 or > 180 || lat is < -90 or > 90 || !double.IsFinite(lon) || !double.IsFinite(lat)))
        {
            errors.Add("longitude", "经纬度超出有效范围。");
        }
    }

    /// <summary>20261125-000123: one counter row per local day, incremented inside the intake transaction.</summary>
    private async Task<string> NextNumberAsync(DateTime now, CancellationToken ct)
    {
        var day = ChinaTime.ToLocal(now).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var values = await db.Database.SqlQuery<int>(
            $"""INSERT INTO "CaseNumberCounters" ("Day", "Last") VALUES ({day}, 1) ON CONFLICT ("Day") DO UPDATE SET "Last" = "CaseNumberCounters"."Last" + 1 RETURNING "Last" AS "Value" """)
            .ToListAsync(ct);
        return string.Create(CultureInfo.InvariantCulture, $"{day}-{values[0]:D6}");
    }

    private DateTime Now() => AuditChain.Truncate(db.Clock.GetUtcNow().UtcDateTime);
}
