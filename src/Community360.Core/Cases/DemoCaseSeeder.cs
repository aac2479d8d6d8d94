using System.Globalization;
using System.Text.RegularExpressions;
using Community360.Auditing;
using Community360.Calendar;
using Community360.Cases.Repeats;
using Community360.Cases.Seeding;
using Community360.Common;
using Community360.Data;
using Community360.Geography;
using Community360.Identity;
using Community360.Organization;
using Community360.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Community360.Cases;

/// <summary>
/// Seeds the demo street with a few hundred fictional cases received over the last <see cref="Days"/> days, spread
/// over every state, channel, community and most categories. Nothing is written directly: every case is received
/// through <see cref="CaseHandlers.ReceiveAsync"/> and moved by <see cref="CaseHandlers.ActAsync"/> on a simulated
/// clock that walks forward through the period (never past the real now), and the deadline sweep runs along the way,
/// so that numbers, deadlines, timelines, repeat clusters and overdue marks are exactly what the engine would have
/// produced. The same seed gives the same story relative to the moment of seeding; a database that holds any case
/// is left alone.
/// </summary>
public sealed partial class DemoCaseSeeder(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    GridLocator locator,
    WorkingCalendarProvider calendars,
    RepeatIndexHost repeatIndex)
{
    public const int Seed = 360_1125;
    public const int Days = 60;

    /// <summary>Creates the demo cases and returns how many; 0 when cases exist already or there is no demo street.</summary>
    public async Task<int> SeedAsync(CancellationToken ct)
    {
        var now = WholeSeconds(clock.GetUtcNow().UtcDateTime);
        var simulated = new SimulatedClock(now);
        await using var scope = scopes.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<DbContextOptions<AppDbContext>>();
        await using var db = new AppDbContext(options, simulated, SystemAuditActor.Instance);
        if (await db.Cases.AnyAsync(ct))
        {
            return 0;
        }
        if (!await db.CaseCategories.AnyAsync(ct))
        {
            await new CaseSetupSeeder(db).SeedAsync(ct);
        }
        var world = await World.LoadAsync(db, ct);
        if (world is null)
        {
            return 0;
        }

        // One connection for the whole run: each open would otherwise repeat the connection set-up (SQLite pragmas).
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var calendar = await calendars.GetAsync(db, ct);
            var plans = new Planner(world, calendar, now, new Random(Seed)).Plan();
            var handlers = new CaseHandlers(db, locator, calendars, new CaseRepeats(db, repeatIndex));
            var simulation = new Simulation(db, simulated, handlers, new CaseDeadlineSweep(db, calendars), world, calendar, now);
            await simulation.RunAsync(plans, ct);
            return plans.Count;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static DateTime WholeSeconds(DateTime utc) => new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    private static DateTime WholeMinutes(DateTime utc) => new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc);

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static double Between(Random random, double low, double high) => low + (random.NextDouble() * (high - low));

    private static bool Chance(Random random, double probability) => random.NextDouble() < probability;

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static void Shuffle<T>(Random random, List<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>The clock the seeding context reads: the handlers take "now" from it, and we move it forward.</summary>
    private sealed class SimulatedClock(DateTime start) : TimeProvider
    {
        private DateTimeOffset _now = new(start, TimeSpan.Zero);

        public void Set(DateTime utc) => _now = new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc), TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;
    }

    private enum Target
    {
        Received,
        Dispatched,
        Accepted,
        Suspended,
        Completed,
        Verified,
        Closed,
        Voided,
        Merged,
    }

    private enum Extension
    {
        None,
        Approved,
        Denied,
        Pending,
    }

    private enum IntakeBy
    {
        Dispatcher,
        CommunityWorker,
        GridWorker,
        System,
    }

    private enum StepKind
    {
        VerifyReport,
        DispatchWrong,
        Return,
        Dispatch,
        Accept,
        Reassign,
        AssignLeader,
        RequestExtension,
        ApproveExtension,
        DenyExtension,
        Suspend,
        Resume,
        Supervise,
        Complete,
        VerifyFail,
        VerifyPass,
        Callback,
        Reopen,
        Close,
        Void,
        Merge,
    }

    /// <summary>An optional step is dropped when its moment lies beyond now; a required one is squeezed in before now.</summary>
    private sealed record Step(StepKind Kind, int Round = 1, bool Optional = false, bool Rework = false);

    private sealed record CallbackPlan(CallbackContact Contact, bool? Resolved, Satisfaction? Satisfaction);

    private sealed record UnitRow(Guid Id, string Name, string Code, OrgUnitKind Kind, string ScopePath, string? ContactPerson, WorkLine? Line);

    private sealed record GridRow(Guid Id, Guid CommunityId, string ScopePath, string WorkerName, Guid? WorkerUserId);

    private sealed record BuildingRow(string Name, int Entrances);

    private sealed record PlaceRow(
        Guid Id, string Name, CompoundKind Kind, string Road, string Number, double Longitude, double Latitude, GridRow Grid,
        IReadOnlyList<BuildingRow> Buildings, bool IsOffice, bool IsResidential);

    private sealed record CategoryRow(Guid Id, string Code, string Name, Guid? DefaultUnitId, WorkLine? Line, bool HasUrgentForm);

    private sealed record Account(Guid Id, string UserName, string DisplayName, Guid UnitId, string ScopePath, string Role);

    /// <summary>A device alert as the IoT platform words it; {name} and {age} are the elderly resident's.</summary>
    private sealed record DeviceAlert(string Title, string Text, string Result);

    /// <summary>Everything about one case decided before the simulation starts; times of later steps are decided as it runs.</summary>
    private sealed class CasePlan
    {
        public required int Index { get; init; }
        public required CaseChannel Channel { get; init; }
        public required CaseType Type { get; init; }
        public Target Target { get; set; }
        public bool AwaitsVerification { get; set; }
        public double Age { get; set; }
        public DateTime ReceivedAt { get; set; }
        public CaseUrgency Urgency { get; set; } = CaseUrgency.Normal;
        public IntakeBy IntakeBy { get; set; } = IntakeBy.Dispatcher;
        public CategoryRow Category { get; set; } = null!;
        public PlaceRow Place { get; set; } = null!;
        public CaseTextTemplate? Template { get; set; }
        public DemoPlace? TextPlace { get; set; }
        public string Title { get; set; } = string.Empty;
        public string Description { get; set; } = string.Empty;
        public string Address { get; set; } = string.Empty;
        public string Result { get; set; } = string.Empty;
        public string SecondResult { get; set; } = string.Empty;
        public IReadOnlyList<string> Paraphrases { get; set; } = [];
        public bool Located { get; set; } = true;
        public string? ComplainantName { get; set; }
        public string? ComplainantPhone { get; set; }
        public bool Confidential { get; set; }
        public string? ExternalReference { get; set; }
        public string? IntakeNote { get; set; }
        public bool IsRepeat { get; set; }
        public CasePlan? RepeatOf { get; set; }
        public int RepeatsOfThis { get; set; }
        public bool UnsatisfiedCluster { get; set; }
        public UnitRow Lead { get; set; } = null!;
        public UnitRow? WrongUnit { get; set; }
        public UnitRow? ReassignTo { get; set; }
        public UnitRow? CoHandler { get; set; }
        public Extension Extension { get; set; }
        public bool SuspendAndResume { get; set; }
        public bool Rework { get; set; }
        public bool Reopen { get; set; }
        public bool Late { get; set; }
        public TimeSpan LateBy { get; set; }
        public bool SuperviseIfOverdue { get; set; }
        public bool LeaderInCharge { get; set; }
        public CallbackPlan FinalCallback { get; set; } = new(CallbackContact.Reached, true, Satisfaction.Satisfied);
        public List<Step> Steps { get; } = [];

        /// <summary>The unit of a demo account this case is held for, so that the account has work waiting.</summary>
        public UnitRow? QuotaLead { get; set; }

        /// <summary>The scope (a grid or a community) of a demo account this case is held to happen in.</summary>
        public string? QuotaScope { get; set; }

        public bool HasQuota => QuotaLead is not null || QuotaScope is not null;

        public UnitRow FinalLead => ReassignTo ?? Lead;

        public bool HasComplainant => ComplainantName is not null || ComplainantPhone is not null;

        public bool Reaches(Target state) => Target is not (Target.Voided or Target.Merged) && Rank(Target) >= Rank(state);

        private static int Rank(Target target) => target switch
        {
            Target.Received => 0,
            Target.Dispatched => 1,
            Target.Accepted or Target.Suspended => 2,
            Target.Completed => 3,
            Target.Verified => 4,
            Target.Closed => 5,
            Target.Voided or Target.Merged => -1,
        };
    }

    /// <summary>The demo street as the seeder needs it: places, units, categories and the people who act.</summary>
    private sealed partial class World
    {
        public required UnitRow Street { get; init; }
        public required IReadOnlyList<UnitRow> Communities { get; init; }
        public required List<UnitRow> Departments { get; init; }
        public required IReadOnlyList<UnitRow> Partners { get; init; }
        public required IReadOnlyDictionary<Guid, UnitRow> Units { get; init; }
        public required IReadOnlyList<PlaceRow> Places { get; init; }
        public required IReadOnlyDictionary<string, CategoryRow> Categories { get; init; }
        public required Dictionary<CaseType, CaseTypeConfig> Configs { get; init; }
        public required IReadOnlyList<Account> Accounts { get; init; }
        public required Account Dispatcher { get; init; }
        public Account? Leader { get; init; }

        public static async Task<World?> LoadAsync(AppDbContext db, CancellationToken ct)
        {
            var street = await db.OrgUnits.AsNoTracking()
                .Where(o => o.Kind == OrgUnitKind.Street && o.Code == DemoStreetSeeder.StreetCode && !o.IsRetired)
                .Select(o => new UnitRow(o.Id, o.Name, o.Code, o.Kind, o.ScopePath, o.ContactPerson, o.WorkLine))
                .FirstOrDefaultAsync(ct);
            if (street is null)
            {
                return null;
            }
            var prefix = street.ScopePath + "%";
            var units = await db.OrgUnits.AsNoTracking()
                .Where(o => !o.IsRetired && EF.Functions.Like(o.ScopePath, prefix) && o.Kind != OrgUnitKind.Street)
                .OrderBy(o => o.Code)
                .Select(o => new UnitRow(o.Id, o.Name, o.Code, o.Kind, o.ScopePath, o.ContactPerson, o.WorkLine))
                .ToListAsync(ct);
            var accounts = await (
                from u in db.Users.AsNoTracking()
                join ur in db.UserRoles on u.Id equals ur.UserId
                join r in db.Roles on ur.RoleId equals r.Id
                where !u.IsDisabled && EF.Functions.Like(u.ScopePath, prefix)
                orderby u.UserName
                select new Account(u.Id, u.UserName!, u.DisplayName, u.UnitId, u.ScopePath, r.Name!)).ToListAsync(ct);
            var dispatcher = accounts.FirstOrDefault(a => a.Role == Roles.Dispatcher);
            if (dispatcher is null)
            {
                return null;
            }

            var grids = await db.Grids.AsNoTracking().Where(g => EF.Functions.Like(g.ScopePath, prefix)).ToListAsync(ct);
            var gridRows = grids.ToDictionary(g => g.Id, g =>
            {
                var worker = g.Responsibilities.FirstOrDefault(r => r.WorkLine == WorkLine.UrbanConstruction) ?? g.Responsibilities.FirstOrDefault();
                return new GridRow(g.Id, g.CommunityId, g.ScopePath, worker?.PersonName ?? g.Name + "网格员", worker?.UserId);
            });
            var compounds = await db.Compounds.AsNoTracking()
                .Where(c => EF.Functions.Like(c.ScopePath, prefix) && c.Longitude != null && c.Latitude != null)
                .OrderBy(c => c.Name)
                .Select(c => new { c.Id, c.Name, c.Kind, c.Address, c.GridId, c.Longitude, c.Latitude })
                .ToListAsync(ct);
            var compoundIds = compounds.Select(c => c.Id).ToList();
            var buildings = (await db.Buildings.AsNoTracking().Where(b => compoundIds.Contains(b.CompoundId))
                    .Select(b => new { b.CompoundId, b.Name, b.Entrances }).ToListAsync(ct))
                .GroupBy(b => b.CompoundId)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<BuildingRow>)[.. g.OrderBy(b => b.Name.Length).ThenBy(b => b.Name, StringComparer.Ordinal)
                    .Select(b => new BuildingRow(b.Name, Math.Max(1, b.Entrances)))]);
            var places = new List<PlaceRow>();
            foreach (var c in compounds)
            {
                if (!gridRows.TryGetValue(c.GridId, out var grid) || !buildings.TryGetValue(c.Id, out var inside))
                {
                    continue;
                }
                var (road, number) = SplitAddress(c.Address, c.Name);
                var isOffice = OfficeSuffixes.Any(s => c.Name.EndsWith(s, StringComparison.Ordinal));
                var isCampus = c.Kind == CompoundKind.WorkUnit && c.Name.StartsWith("示例", StringComparison.Ordinal);
                places.Add(new PlaceRow(c.Id, c.Name, c.Kind, road, number, c.Longitude!.Value, c.Latitude!.Value, grid, inside,
                    isOffice, !isOffice && !isCampus));
            }

            var categories = await db.CaseCategories.AsNoTracking().Include(c => c.Parent).Where(c => c.ParentId != null && !c.IsRetired).ToListAsync(ct);
            var configs = (await db.CaseTypeConfigs.AsNoTracking().ToListAsync(ct)).ToDictionary(c => c.Type);
            foreach (var fallback in CaseTypeConfig.Defaults().Where(d => !configs.ContainsKey(d.Type)))
            {
                configs[fallback.Type] = fallback;
            }
            var communities = units.Where(u => u.Kind == OrgUnitKind.Community).ToList();
            if (places.Count == 0 || communities.Count == 0 || categories.Count == 0)
            {
                return null;
            }
            return new World
            {
                Street = street,
                Communities = communities,
                Departments = units.Where(u => u.Kind == OrgUnitKind.Department).ToList(),
                Partners = units.Where(u => u.Kind == OrgUnitKind.PartnerUnit).ToList(),
                Units = units.Append(street).ToDictionary(u => u.Id),
                Places = places,
                Categories = categories.ToDictionary(
                    c => c.Code,
                    c => new CategoryRow(c.Id, c.Code, c.Name, c.DefaultUnitId, c.WorkLine ?? c.Parent?.WorkLine,
                        CategoryCatalog.Find(c.Code)?.UrgentCompletion is not null),
                    StringComparer.Ordinal),
                Configs = configs,
                Accounts = accounts,
                Dispatcher = dispatcher,
                Leader = accounts.FirstOrDefault(a => a.Role == Roles.StreetLeader),
            };
        }

        public UnitRow CommunityOf(PlaceRow place) => Units[place.Grid.CommunityId];

        public UnitRow? DepartmentFor(WorkLine? line) => line is { } l ? Departments.FirstOrDefault(d => d.Line == l) : null;

        public UnitRow? UnitByCode(string code) => Units.Values.FirstOrDefault(u => string.Equals(u.Code, code, StringComparison.Ordinal));

        public CategoryRow? CategoryNamed(string name) =>
            CategoryCatalog.Subcategories.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal)) is { } seed
                && Categories.TryGetValue(seed.Code, out var row) ? row : null;

        private static readonly string[] OfficeSuffixes = ["大厦", "商务中心", "国际中心", "广场", "科技园"];

        /// <summary>"示例路23号" → ("示例路", "23"); a place without a house number stands on its own name.</summary>
        private static (string Road, string Number) SplitAddress(string? address, string compound)
        {
            if (address is not null && HouseNumber().Match(address) is { Success: true } match)
            {
                return (match.Groups["road"].Value, match.Groups["n"].Value);
            }
            return (compound, "1");
        }

        [GeneratedRegex(@"^(?<road>\D+?)(?<n>\d+)号$")]
        private static partial Regex HouseNumber();
    }

    /// <summary>Decides every case up front: channel, type, final state, place, text, people and what happens on the way.</summary>
    private sealed class Planner(World world, WorkingCalendar calendar, DateTime now, Random random)
    {
        private static readonly (CaseChannel Channel, int Count)[] ChannelCounts =
        [
            (CaseChannel.Hotline12345, 120), (CaseChannel.GridPatrol, 45), (CaseChannel.WalkIn, 30), (CaseChannel.Phone, 30),
            (CaseChannel.Online, 30), (CaseChannel.SocialOpinion, 18), (CaseChannel.Petition, 12), (CaseChannel.Device, 9),
            (CaseChannel.Open311, 6),
        ];

        private const int SafetyHazards = 10;
        private const int Repeats = 36;
        private const int Merges = 5;
        private const int UnsatisfiedClusters = 5;
        private const int PendingExtensions = 6;

        /// <summary>Cases to accept and cases in progress each unit with a demo account gets, whatever chance does.</summary>
        private const int OpenPerUnit = 2;

        private static readonly string[] StaffRoles = [Roles.CommunityWorker, Roles.GridWorker, Roles.DepartmentHandler, Roles.PartnerUnitHandler];

        /// <summary>Partner units take no category by default; what a dispatcher would hand them, by unit code suffix.</summary>
        private static readonly (string Suffix, string[] Categories)[] PartnerCategories =
        [
            ("P01", ["社区医疗", "疫苗接种", "传染病防控"]),
            ("P05", ["供电"]),
        ];

        /// <summary>Final states of the cases that need on-site verification (grid events, safety hazards).</summary>
        private static readonly (Target Target, int Count)[] VerifiedTypeTargets =
        [
            (Target.Received, 7), (Target.Dispatched, 3), (Target.Accepted, 5), (Target.Completed, 4), (Target.Verified, 12),
            (Target.Closed, 13), (Target.Voided, 1),
        ];

        private static readonly (Target Target, int Count)[] OtherTargets =
        [
            (Target.Received, 17), (Target.Dispatched, 27), (Target.Accepted, 35), (Target.Suspended, 5), (Target.Completed, 26),
            (Target.Closed, 134), (Target.Voided, 6),
        ];

        /// <summary>How often residents complain about what, by top-level category code (12345 practice).</summary>
        private static readonly (string Top, int Weight)[] ResidentWeights =
        [
            ("01", 12), ("02", 12), ("03", 10), ("04", 10), ("05", 5), ("06", 5), ("07", 4), ("08", 4), ("09", 3), ("10", 2),
            ("11", 7), ("12", 8), ("13", 6), ("14", 5), ("15", 3), ("16", 3), ("17", 2), ("18", 2), ("19", 1), ("20", 3),
        ];

        private static readonly (string Top, int Weight)[] PatrolWeights =
        [
            ("01", 5), ("02", 1), ("03", 4), ("04", 1), ("05", 2), ("06", 2), ("11", 1), ("12", 3), ("14", 1),
        ];

        private static readonly string[] HazardCategories =
        [
            "消防通道堵塞", "电动自行车充电", "燃气安全", "建筑物安全", "施工安全", "易燃易爆物品", "电梯安全", "群租房", "露天焚烧", "井盖缺失破损",
        ];

        private static readonly string[] PetitionCategories =
        [
            "拖欠工资", "劳动关系", "物业服务质量", "物业收费", "业主委员会", "楼顶违建", "私搭乱建", "老旧小区改造", "加装电梯", "工作作风",
            "最低生活保障", "停车难停车收费",
        ];

        private static readonly string[] EnterpriseCategories = ["政策咨询", "办事指南", "供电", "供水", "交通设施", "就业服务", "意见建议"];

        /// <summary>
        /// Draws that depend on the calendar (office hours, weekends) come from their own source, so that the seed gives
        /// the same cases, texts and stories whatever day the seeding runs on; only the moments move.
        /// </summary>
        private readonly Random _times = new(Seed + 1);
        private readonly HashSet<(string Code, int Template)> _usedTemplates = [];
        private readonly HashSet<string> _usedPlaces = new(StringComparer.Ordinal);
        private readonly DemoNames _people = new(random);
        private int _deviceAlerts;
        private int _pendingExtensions;

        public List<CasePlan> Plan()
        {
            var plans = new List<CasePlan>();
            foreach (var (channel, count) in ChannelCounts)
            {
                for (var i = 0; i < count; i++)
                {
                    plans.Add(new CasePlan { Index = plans.Count, Channel = channel, Type = TypeOf(channel, i) });
                }
            }
            Shuffle(random, plans);
            AssignTargets(plans);
            ChooseUnlocated(plans);
            foreach (var plan in plans.Where(p => !p.IsRepeat))
            {
                plan.Age = Age(plan);
                plan.ReceivedAt = IntakeTime(plan.Channel, plan.Age);
            }
            ChooseOriginals(plans);
            AssignQuotas(plans);
            // Plans held to a unit or a place choose first, while the texts and places they need are free.
            foreach (var plan in plans.Where(p => !p.IsRepeat).OrderByDescending(p => p.HasQuota))
            {
                Describe(plan);
            }
            // Oldest first by age, not by moment of receipt: moments move with the calendar, the story must not.
            foreach (var plan in plans.Where(p => p.IsRepeat).OrderByDescending(p => p.Age).ThenBy(p => p.Index))
            {
                DescribeRepeat(plan);
            }
            foreach (var plan in plans)
            {
                DecideHandling(plan);
            }
            ChooseLeaders(plans);
            foreach (var plan in plans)
            {
                BuildSteps(plan);
            }
            NumberTickets(plans);
            return plans;
        }

        private static CaseType TypeOf(CaseChannel channel, int i) => channel switch
        {
            CaseChannel.GridPatrol => i < SafetyHazards ? CaseType.SafetyHazard : CaseType.GridEvent,
            CaseChannel.Petition => CaseType.Petition,
            CaseChannel.Device => CaseType.ElderAlert,
            CaseChannel.Hotline12345 when i < 4 => CaseType.EnterpriseRequest,
            CaseChannel.Online or CaseChannel.WalkIn when i < 1 => CaseType.EnterpriseRequest,
            _ => CaseType.CitizenDemand,
        };

        private void AssignTargets(List<CasePlan> plans)
        {
            var verified = plans.Where(p => world.Configs[p.Type].RequiresOnSiteVerification).ToList();
            var verifiedTargets = Expand(VerifiedTypeTargets, verified.Count);
            for (var i = 0; i < verified.Count; i++)
            {
                verified[i].Target = verifiedTargets[i];
            }
            var waiting = 0;
            foreach (var plan in verified.Where(p => p.Target == Target.Received && world.Configs[p.Type].RequiresIntakeVerification))
            {
                // All but one of the grid events still at intake wait for the command centre to verify the report.
                plan.AwaitsVerification = waiting++ < 6;
            }

            var others = plans.Where(p => !world.Configs[p.Type].RequiresOnSiteVerification).ToList();
            var repeatable = others.Where(p => p.Type == CaseType.CitizenDemand
                && p.Channel is CaseChannel.Hotline12345 or CaseChannel.Phone or CaseChannel.Online or CaseChannel.WalkIn or CaseChannel.SocialOpinion).ToList();
            foreach (var plan in repeatable.Take(Repeats))
            {
                plan.IsRepeat = true;
            }
            foreach (var plan in repeatable.Take(Merges))
            {
                plan.Target = Target.Merged;
            }
            var rest = others.Where(p => p.Target != Target.Merged).ToList();
            var targets = Expand(OtherTargets, rest.Count);
            for (var i = 0; i < rest.Count; i++)
            {
                rest[i].Target = targets[i];
            }
            foreach (var plan in repeatable.Skip(Merges).Where(p => p.IsRepeat && p.Target is not (Target.Voided or Target.Received)).Take(UnsatisfiedClusters))
            {
                plan.UnsatisfiedCluster = true;
            }
        }

        /// <summary>The listed counts, shuffled; a different total is met by adding or dropping closed cases.</summary>
        private List<Target> Expand((Target Target, int Count)[] counts, int total)
        {
            var list = counts.SelectMany(c => Enumerable.Repeat(c.Target, c.Count)).ToList();
            while (list.Count < total)
            {
                list.Add(Target.Closed);
            }
            while (list.Count > total)
            {
                list.Remove(Target.Closed);
            }
            Shuffle(random, list);
            return list;
        }

        /// <summary>A few tickets arrive with an address the map cannot place: some wait at intake, the others were routed by hand.</summary>
        private static void ChooseUnlocated(List<CasePlan> plans)
        {
            var phoned = plans.Where(p => !p.IsRepeat && p.Type == CaseType.CitizenDemand
                && p.Channel is CaseChannel.Hotline12345 or CaseChannel.Online or CaseChannel.Phone).ToList();
            foreach (var plan in phoned.Where(p => p.Target == Target.Received).Take(3)
                .Concat(phoned.Where(p => p.Target is Target.Dispatched or Target.Accepted or Target.Closed).Take(5)))
            {
                plan.Located = false;
            }
        }

        /// <summary>Days before now the case came in: old enough to have got where it ends, young enough to still be there.</summary>
        private static (double Min, double Max) AgeRange(CasePlan plan) => plan.Target switch
        {
            Target.Received => plan.AwaitsVerification || !plan.Located ? (0.05, 2.5) : (0.02, 1.2),
            Target.Dispatched => (0.1, 3.5),
            Target.Accepted => (0.5, 20),
            Target.Suspended => (4, 30),
            Target.Completed => (0.5, 6),
            Target.Verified => (0.8, 8),
            Target.Closed => (3, Days - 2),
            Target.Voided or Target.Merged => (0.1, Days - 2),
        };

        private double Age(CasePlan plan)
        {
            var (min, max) = AgeRange(plan);
            return Between(random, min, max);
        }

        /// <summary>
        /// The moment of receipt some days back: the hotline and devices take calls day and night (fewer at night),
        /// walk-ins, patrols, petitions and community reports come in office hours of working days, with a few exceptions.
        /// </summary>
        private DateTime IntakeTime(CaseChannel channel, double age)
        {
            var at = now - TimeSpan.FromDays(age);
            var local = WorkingCalendar.ToLocal(at);
            switch (channel)
            {
                case CaseChannel.Hotline12345 or CaseChannel.Online or CaseChannel.Open311 or CaseChannel.Phone:
                    if (local.Hour < 7 && !Chance(_times, 0.2))
                    {
                        at = WorkingCalendar.ToUtc(local.Date.AddHours(7 + Between(_times, 0, 4)));
                    }
                    else if (local.Hour >= 22 && !Chance(_times, 0.3))
                    {
                        at = WorkingCalendar.ToUtc(local.Date.AddHours(Between(_times, 18, 21.9)));
                    }
                    break;
                case CaseChannel.Device:
                    break;
                default:
                    // Around a long holiday the latest office day may lie before the period: then it came in off-hours.
                    if (!Chance(_times, 0.08) && LatestOfficeTimeBefore(at) is var office && office >= now - TimeSpan.FromDays(Days))
                    {
                        at = office;
                    }
                    break;
            }
            if (at > now - TimeSpan.FromMinutes(20))
            {
                at = now - TimeSpan.FromMinutes(Between(_times, 20, 40));
            }
            return WholeMinutes(at);
        }

        /// <summary>A random office moment on the latest working day at or before <paramref name="utc"/>, never after it.</summary>
        private DateTime LatestOfficeTimeBefore(DateTime utc)
        {
            var local = WorkingCalendar.ToLocal(utc);
            for (var day = DateOnly.FromDateTime(local); ; day = day.AddDays(-1))
            {
                if (!calendar.IsWorkingDay(day))
                {
                    continue;
                }
                var hours = calendar.OfficeHoursFor(day.Year);
                var morning = (hours.MorningEnd - hours.MorningStart).TotalMinutes;
                var afternoon = (hours.AfternoonEnd - hours.AfternoonStart).TotalMinutes;
                var offset = Between(_times, 0, morning + afternoon);
                var time = offset < morning ? hours.MorningStart.AddMinutes(offset) : hours.AfternoonStart.AddMinutes(offset - morning);
                var candidate = WorkingCalendar.ToUtc(day.ToDateTime(time));
                if (candidate <= utc)
                {
                    return candidate;
                }
                var opening = WorkingCalendar.ToUtc(day.ToDateTime(hours.MorningStart));
                if (opening <= utc)
                {
                    return opening + ((utc - opening) * _times.NextDouble());
                }
            }
        }

        /// <summary>Later reports of an earlier case: same problem, same place, within the thirty days the repeat finder looks back.</summary>
        private void ChooseOriginals(List<CasePlan> plans)
        {
            var originals = plans.Where(p => !p.IsRepeat && p.Type == CaseType.CitizenDemand && p.Target is not (Target.Voided or Target.Merged)).ToList();
            foreach (var plan in plans.Where(p => p.IsRepeat).OrderByDescending(p => p.UnsatisfiedCluster).ThenByDescending(p => p.Target == Target.Merged))
            {
                var (min, max) = AgeRange(plan);
                var (gapMin, gapMax) = plan.Target == Target.Merged ? (0.3, 4.0) : plan.UnsatisfiedCluster ? (12.0, 26.0) : (1.0, 25.0);
                var candidates = originals.Where(o => o.RepeatsOfThis < 2
                        && o.Age >= min + gapMin && o.Age <= max + gapMax
                        && (!plan.UnsatisfiedCluster || o.Target == Target.Closed && !o.UnsatisfiedCluster && o.RepeatsOfThis == 0))
                    .ToList();
                if (candidates.Count == 0)
                {
                    plan.IsRepeat = false;
                    plan.UnsatisfiedCluster = false;
                    plan.Target = plan.Target == Target.Merged ? Target.Voided : plan.Target;
                    plan.Age = Age(plan);
                    plan.ReceivedAt = IntakeTime(plan.Channel, plan.Age);
                    continue;
                }
                var original = Pick(random, candidates);
                original.RepeatsOfThis++;
                original.UnsatisfiedCluster |= plan.UnsatisfiedCluster;
                plan.RepeatOf = original;
                plan.Age = Between(random, Math.Max(min, original.Age - gapMax), Math.Min(max, original.Age - gapMin));
                plan.ReceivedAt = IntakeTime(plan.Channel, plan.Age);
                if (plan.ReceivedAt <= original.ReceivedAt + TimeSpan.FromHours(2))
                {
                    plan.ReceivedAt = WholeMinutes(original.ReceivedAt + TimeSpan.FromHours(Between(_times, 2, 20)));
                }
                if (plan.ReceivedAt > now - TimeSpan.FromMinutes(20))
                {
                    plan.ReceivedAt = WholeMinutes(now - TimeSpan.FromMinutes(20));
                }
            }
        }

        /// <summary>
        /// Every demo login finds work on first start: each unit of a handler account gets cases to accept and cases in
        /// progress (the oldest of them most likely overdue or due soon), placed where its on-site accounts work, and each
        /// grid or community of an on-site account gets a report to verify and a completed case to check on site.
        /// </summary>
        private void AssignQuotas(List<CasePlan> plans)
        {
            var staff = world.Accounts.Where(a => StaffRoles.Contains(a.Role, StringComparer.Ordinal)).ToList();
            var onSite = staff.Where(a => a.Role is Roles.CommunityWorker or Roles.GridWorker).Select(a => a.ScopePath)
                .Where(s => world.Places.Any(p => p.Grid.ScopePath.StartsWith(s, StringComparison.Ordinal)))
                .Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length).ThenBy(s => s, StringComparer.Ordinal).ToList();
            var units = staff.Select(a => world.Units.GetValueOrDefault(a.UnitId)).OfType<UnitRow>().DistinctBy(u => u.Id)
                .OrderBy(u => u.Code, StringComparer.Ordinal).ToList();
            var open = plans.Where(p => p.Type == CaseType.CitizenDemand && p.Located && !p.IsRepeat && p.RepeatsOfThis == 0 && !p.UnsatisfiedCluster).ToList();
            foreach (var unit in units)
            {
                var scopes = unit.Kind == OrgUnitKind.Community ? onSite.Where(s => s.StartsWith(unit.ScopePath, StringComparison.Ordinal)).ToList() : [];
                foreach (var target in (Target[])[Target.Dispatched, Target.Accepted])
                {
                    var pool = open.Where(p => p.Target == target && !p.HasQuota).OrderByDescending(p => p.Age).ThenBy(p => p.Index).ToList();
                    for (var i = 0; i < OpenPerUnit && pool.Count > 0; i++)
                    {
                        var plan = i == 0 ? pool[0] : Pick(random, pool);
                        pool.Remove(plan);
                        plan.QuotaLead = unit;
                        plan.QuotaScope = scopes.Count > 0 ? scopes[i % scopes.Count] : null;
                    }
                }
            }

            var reports = plans.Where(p => p.AwaitsVerification).ToList();
            var checks = plans.Where(p => p.Target == Target.Completed && world.Configs[p.Type].RequiresOnSiteVerification).ToList();
            var served = new List<string>();
            foreach (var scope in onSite)
            {
                // Grids come before their communities: a community whose grid has them has them too.
                if (served.Exists(done => done.StartsWith(scope, StringComparison.Ordinal)))
                {
                    continue;
                }
                served.Add(scope);
                foreach (var pool in new[] { reports, checks })
                {
                    if (pool.Where(p => !p.HasQuota).ToList() is { Count: > 0 } free)
                    {
                        Pick(random, free).QuotaScope = scope;
                    }
                }
            }
        }

        private void Describe(CasePlan plan)
        {
            switch (plan.Type)
            {
                case CaseType.ElderAlert:
                    DescribeDeviceAlert(plan);
                    break;
                case CaseType.GridEvent or CaseType.SafetyHazard:
                    DescribeFromTemplate(plan, CaseTextReporter.GridWorker);
                    break;
                default:
                    DescribeFromTemplate(plan, CaseTextReporter.Resident);
                    break;
            }
            plan.Urgency = UrgencyOf(plan);
            plan.IntakeBy = plan.Channel switch
            {
                CaseChannel.GridPatrol => IntakeBy.GridWorker,
                CaseChannel.Device or CaseChannel.Open311 => IntakeBy.System,
                CaseChannel.WalkIn => IntakeBy.CommunityWorker,
                CaseChannel.Phone when Chance(random, 0.5) => IntakeBy.CommunityWorker,
                _ => IntakeBy.Dispatcher,
            };
            if (!plan.Located)
            {
                plan.IntakeBy = IntakeBy.Dispatcher;
            }
            plan.IntakeNote = IntakeNote(plan);
        }

        private void DescribeFromTemplate(CasePlan plan, CaseTextReporter reporter)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var category = CategoryFor(plan);
                var templates = DemoCaseTexts.For(category.Code);
                var choices = Enumerable.Range(0, templates.Count)
                    .Where(i => templates[i].Reporter == reporter && !_usedTemplates.Contains((category.Code, i)))
                    .ToList();
                if (choices.Count == 0 && reporter == CaseTextReporter.GridWorker && plan.Type == CaseType.SafetyHazard)
                {
                    choices = [.. Enumerable.Range(0, templates.Count).Where(i => !_usedTemplates.Contains((category.Code, i)))];
                }
                if (choices.Count == 0)
                {
                    continue;
                }
                var index = Pick(random, choices);
                var place = PlaceFor(plan, category, templates[index]);
                if (place is null)
                {
                    continue;
                }
                _usedTemplates.Add((category.Code, index));
                plan.Category = category;
                plan.Template = templates[index];
                ApplyPlace(plan, place.Value.Place, place.Value.Building, place.Value.Entrance);
                var rendered = DemoCaseTexts.Render(plan.Template, plan.TextPlace!, random);
                plan.Title = Clip(rendered.Title, CaseRules.TitleMax);
                plan.Description = rendered.Text;
                plan.Paraphrases = rendered.Paraphrases;
                plan.Result = rendered.Result;
                plan.SecondResult = DemoCaseTexts.Render(plan.Template, plan.TextPlace!, random).Result;
                if (plan.Channel != CaseChannel.GridPatrol)
                {
                    plan.ComplainantName = _people.PersonName();
                    plan.ComplainantPhone = _people.Mobile();
                    plan.Confidential = Chance(random, 0.08);
                }
                return;
            }
            throw new InvalidOperationException($"No unused demo text and place left for a {plan.Type} case.");
        }

        private CategoryRow CategoryFor(CasePlan plan)
        {
            if (plan.QuotaLead is { } lead && CategoriesLeadingTo(lead) is { Count: > 0 } fitting)
            {
                return Pick(random, fitting);
            }
            string[] names = plan.Type switch
            {
                CaseType.SafetyHazard => HazardCategories,
                CaseType.Petition => PetitionCategories,
                CaseType.EnterpriseRequest => EnterpriseCategories,
                _ => [],
            };
            if (names.Length > 0)
            {
                var available = names.Select(world.CategoryNamed).OfType<CategoryRow>().ToList();
                if (available.Count > 0)
                {
                    return Pick(random, available);
                }
            }
            var weights = plan.Type == CaseType.GridEvent ? PatrolWeights : ResidentWeights;
            var roll = random.Next(weights.Sum(w => w.Weight));
            var top = weights[^1].Top;
            foreach (var (code, weight) in weights)
            {
                if (roll < weight)
                {
                    top = code;
                    break;
                }
                roll -= weight;
            }
            var subcategories = world.Categories.Values.Where(c => c.Code.StartsWith(top, StringComparison.Ordinal) && c.Code.Length == 4)
                .OrderBy(c => c.Code, StringComparer.Ordinal).ToList();
            return subcategories.Count > 0 ? Pick(random, subcategories) : Pick(random, world.Categories.Values.OrderBy(c => c.Code, StringComparer.Ordinal).ToList());
        }

        /// <summary>The categories a dispatcher sends to the unit: those it takes by default, or what a partner unit does.</summary>
        private List<CategoryRow> CategoriesLeadingTo(UnitRow unit)
        {
            var all = world.Categories.Values.OrderBy(c => c.Code, StringComparer.Ordinal);
            return unit.Kind switch
            {
                OrgUnitKind.Community => [.. all.Where(c => !(c.DefaultUnitId is { } id && world.Units.TryGetValue(id, out var d) && d.Kind != OrgUnitKind.Street))],
                OrgUnitKind.PartnerUnit => [.. PartnerCategories
                    .Where(p => string.Equals(unit.Code, DemoStreetSeeder.StreetCode + p.Suffix, StringComparison.Ordinal))
                    .SelectMany(p => p.Categories).Select(world.CategoryNamed).OfType<CategoryRow>()],
                _ => [.. all.Where(c => c.DefaultUnitId == unit.Id)],
            };
        }

        /// <summary>
        /// A compound, building and entrance for the case, in an evenly chosen community (or where its quota holds it). Two unrelated cases of one
        /// subcategory never share a compound as the repeat finder reads addresses (its own place key): it would rightly
        /// call them one problem.
        /// </summary>
        private (PlaceRow Place, BuildingRow Building, int Entrance)? PlaceFor(CasePlan plan, CategoryRow category, CaseTextTemplate? template)
        {
            for (var attempt = 0; attempt < 30; attempt++)
            {
                var inCommunity = plan.QuotaScope is { } scope
                    ? world.Places.Where(p => p.Grid.ScopePath.StartsWith(scope, StringComparison.Ordinal)).ToList()
                    : [];
                if (inCommunity.Count == 0)
                {
                    // A unit under a community works there; any other case happens anywhere.
                    var community = plan.QuotaLead is { } lead && world.Communities.FirstOrDefault(c => lead.ScopePath.StartsWith(c.ScopePath, StringComparison.Ordinal)) is { } home
                        ? home
                        : Pick(random, world.Communities);
                    inCommunity = [.. world.Places.Where(p => p.Grid.CommunityId == community.Id)];
                }
                var wanted = inCommunity.Where(p => plan.Type == CaseType.EnterpriseRequest ? p.IsOffice : p.IsResidential).ToList();
                var place = Pick(random, wanted.Count > 0 ? wanted : inCommunity.Count > 0 ? inCommunity : world.Places);
                var building = Pick(random, place.Buildings);
                var entrance = random.Next(1, building.Entrances + 1);
                var address = AddressFor(template, place, building, EntranceName(place, entrance));
                var placeKey = CaseRepeats.PlaceKey(address);
                var key = string.Concat(category.Code, "|", placeKey is null ? address : PlaceNormalizer.CompoundOf(placeKey));
                if (_usedPlaces.Add(key))
                {
                    return (place, building, entrance);
                }
            }
            return null;
        }

        private static string EntranceName(PlaceRow place, int entrance) =>
            place.Kind == CompoundKind.Courtyard ? string.Empty : entrance.ToString(CultureInfo.InvariantCulture) + "单元";

        /// <summary>What the intake form's address field says: the compound and building the text names, or the house on the road.</summary>
        private static string AddressFor(CaseTextTemplate? template, PlaceRow place, BuildingRow building, string entrance)
        {
            var text = template is null ? "{compound}{building}{unit}" : template.Title + template.Text;
            var namesCompound = text.Contains("{compound}", StringComparison.Ordinal);
            if (!namesCompound && text.Contains("{road}", StringComparison.Ordinal))
            {
                return string.Concat(place.Road, place.Number, "号");
            }
            return namesCompound && !text.Contains("{building}", StringComparison.Ordinal) ? place.Name : place.Name + building.Name + entrance;
        }

        private static void ApplyPlace(CasePlan plan, PlaceRow place, BuildingRow building, int entrance)
        {
            plan.Place = place;
            var unit = EntranceName(place, entrance);
            plan.TextPlace = new DemoPlace(place.Name, building.Name, unit, place.Road, place.Number);
            plan.Address = AddressFor(plan.Template, place, building, unit);
        }

        private void DescribeDeviceAlert(CasePlan plan)
        {
            var category = world.CategoryNamed("独居老人关爱") ?? CategoryFor(plan);
            var alert = DeviceAlerts[_deviceAlerts++ % DeviceAlerts.Length];
            var place = PlaceFor(plan, category, null) ?? throw new InvalidOperationException("No place left for a device alert.");
            plan.Category = category;
            ApplyPlace(plan, place.Place, place.Building, place.Entrance);
            var elder = _people.PersonName();
            var age = random.Next(72, 94).ToString(CultureInfo.InvariantCulture);
            string Fill(string text) => text
                .Replace("{compound}", place.Place.Name, StringComparison.Ordinal)
                .Replace("{building}", place.Building.Name, StringComparison.Ordinal)
                .Replace("{unit}", plan.TextPlace!.Unit, StringComparison.Ordinal)
                .Replace("{road}", place.Place.Road, StringComparison.Ordinal)
                .Replace("{name}", elder, StringComparison.Ordinal)
                .Replace("{age}", age, StringComparison.Ordinal);
            plan.Title = Clip(Fill(alert.Title), CaseRules.TitleMax);
            plan.Description = Fill(alert.Text);
            plan.Result = Fill(alert.Result);
            plan.SecondResult = plan.Result;
            plan.ComplainantName = elder;
            plan.ComplainantPhone = _people.Mobile();
        }

        private void DescribeRepeat(CasePlan plan)
        {
            var original = plan.RepeatOf!;
            plan.Category = original.Category;
            plan.Template = original.Template;
            plan.Place = original.Place;
            plan.TextPlace = original.TextPlace;
            plan.Address = original.Address;
            // Repeats of one original take its paraphrases in turn.
            var nth = _repeatsDescribed.GetValueOrDefault(original);
            _repeatsDescribed[original] = nth + 1;
            plan.Description = original.Paraphrases.Count == 0 ? original.Description : original.Paraphrases[nth % original.Paraphrases.Count];
            plan.Title = Chance(random, 0.5) ? Clip("再次反映：" + original.Title, CaseRules.TitleMax) : original.Title;
            var rendered = DemoCaseTexts.Render(original.Template!, original.TextPlace!, random);
            plan.Result = rendered.Result;
            plan.SecondResult = rendered.Result;
            if (Chance(random, 0.35) && original.ComplainantPhone is not null)
            {
                plan.ComplainantName = original.ComplainantName;
                plan.ComplainantPhone = original.ComplainantPhone;
                plan.Confidential = original.Confidential;
            }
            else
            {
                plan.ComplainantName = _people.PersonName();
                plan.ComplainantPhone = _people.Mobile();
                plan.Confidential = Chance(random, 0.08);
            }
            plan.Urgency = original.Urgency;
            plan.IntakeBy = plan.Channel is CaseChannel.WalkIn || plan.Channel == CaseChannel.Phone && Chance(random, 0.5)
                ? IntakeBy.CommunityWorker
                : IntakeBy.Dispatcher;
            plan.IntakeNote = IntakeNote(plan);
        }

        private readonly Dictionary<CasePlan, int> _repeatsDescribed = [];

        private CaseUrgency UrgencyOf(CasePlan plan)
        {
            if (plan.Type == CaseType.ElderAlert)
            {
                return Chance(random, 0.2) ? CaseUrgency.VeryUrgent : CaseUrgency.Urgent;
            }
            var roll = random.NextDouble();
            return plan.Category.HasUrgentForm
                ? roll < 0.015 ? CaseUrgency.VeryUrgent : roll < 0.14 ? CaseUrgency.Urgent : CaseUrgency.Normal
                : roll < 0.03 ? CaseUrgency.Urgent : CaseUrgency.Normal;
        }

        private string IntakeNote(CasePlan plan)
        {
            var note = plan.Channel switch
            {
                CaseChannel.Hotline12345 => "12345市民服务热线转办，请按接诉即办要求办理。",
                CaseChannel.SocialOpinion => "社情民意联络员收集上报。",
                CaseChannel.WalkIn => "居民到社区党群服务中心现场反映。",
                CaseChannel.Phone => plan.IntakeBy == IntakeBy.CommunityWorker ? "居民致电社区值班电话反映。" : "居民致电街道指挥中心反映。",
                CaseChannel.Online => "居民通过网上诉求平台提交。",
                CaseChannel.GridPatrol => "网格员日常巡查上报，附现场照片。",
                CaseChannel.Device => "智能养老设备告警，系统自动生成工单。",
                CaseChannel.Open311 => "经Open311接口接入的市民诉求。",
                CaseChannel.Petition => "区信访办转送，请按信访事项办理程序答复。",
            };
            if (!plan.Located)
            {
                note += "来电地址未能在地图上定位，需人工确定属地。";
            }
            if (plan.Confidential)
            {
                note += "诉求人要求对其身份信息保密。";
            }
            if (plan.IsRepeat && Chance(random, 0.6))
            {
                note += "诉求人称此前已反映过该问题。";
            }
            return note;
        }

        private void DecideHandling(CasePlan plan)
        {
            var community = world.CommunityOf(plan.Place);
            plan.Lead = LeadFor(plan, community);
            var config = world.Configs[plan.Type];
            if (plan.Target is Target.Voided or Target.Merged)
            {
                return;
            }
            var urgent = plan.Urgency != CaseUrgency.Normal;
            if (plan.Reaches(Target.Dispatched) && !urgent && Chance(random, 0.07))
            {
                plan.WrongUnit = OtherSide(plan, community);
            }
            if (plan.Reaches(Target.Accepted) && plan.QuotaLead is null && Chance(random, 0.05))
            {
                plan.ReassignTo = OtherSide(plan, community);
            }
            if (plan.Reaches(Target.Dispatched) && Chance(random, 0.1))
            {
                var co = OtherSide(plan, community);
                plan.CoHandler = co.Id == plan.Lead.Id ? null : co;
            }
            if (plan.Target == Target.Accepted && _pendingExtensions < PendingExtensions && Chance(random, 0.3))
            {
                _pendingExtensions++;
                plan.Extension = Extension.Pending;
            }
            else if (plan.Reaches(Target.Completed) && Chance(random, 0.07))
            {
                plan.Extension = Chance(random, 0.8) ? Extension.Approved : Extension.Denied;
            }
            if (plan.Reaches(Target.Completed) && plan.Extension == Extension.None && !urgent && Chance(random, 0.04))
            {
                plan.SuspendAndResume = true;
            }
            if (plan.Reaches(Target.Completed) && Chance(random, 0.15))
            {
                plan.Late = true;
                plan.LateBy = TimeSpan.FromHours(Between(random, 3, 96));
            }
            plan.SuperviseIfOverdue = plan.Late ? Chance(random, 0.75) : plan.Target is Target.Accepted or Target.Suspended;
            if (config.RequiresOnSiteVerification && plan.Reaches(Target.Completed) && Chance(random, 0.3))
            {
                plan.Rework = true;
            }
            if (config.RequiresCallback && plan.Target == Target.Closed)
            {
                if (plan.UnsatisfiedCluster && !plan.IsRepeat)
                {
                    // The problem came back: the earlier case was closed without satisfying the resident.
                    plan.FinalCallback = Chance(random, 0.6)
                        ? new CallbackPlan(CallbackContact.Reached, false, Satisfaction.Unsatisfied)
                        : new CallbackPlan(CallbackContact.Reached, false, Satisfaction.BasicallySatisfied);
                }
                else
                {
                    plan.Reopen = !plan.IsRepeat && Chance(random, 0.06);
                    plan.FinalCallback = DrawCallback(plan.Reopen);
                }
            }
        }

        private CallbackPlan DrawCallback(bool afterReopen)
        {
            var roll = random.NextDouble();
            if (!afterReopen && roll < 0.04)
            {
                return new CallbackPlan(CallbackContact.Unreachable, null, null);
            }
            if (!afterReopen && roll < 0.05)
            {
                return new CallbackPlan(CallbackContact.Refused, null, null);
            }
            var satisfaction = random.NextDouble() switch
            {
                < 0.75 => Satisfaction.Satisfied,
                < 0.90 => Satisfaction.BasicallySatisfied,
                _ => afterReopen ? Satisfaction.BasicallySatisfied : Satisfaction.Unsatisfied,
            };
            var resolved = satisfaction switch
            {
                Satisfaction.Satisfied => Chance(random, 0.98),
                Satisfaction.BasicallySatisfied => Chance(random, 0.85),
                _ => Chance(random, 0.35),
            };
            return new CallbackPlan(CallbackContact.Reached, resolved, satisfaction);
        }

        /// <summary>The unit a dispatcher would choose: the category's default, else the community where it happened.</summary>
        private UnitRow LeadFor(CasePlan plan, UnitRow community)
        {
            if (plan.QuotaLead is { } held)
            {
                return held;
            }
            if (plan.Type == CaseType.ElderAlert)
            {
                return community;
            }
            if (string.Equals(plan.Category.Name, "供电", StringComparison.Ordinal) && Chance(random, 0.5)
                && world.UnitByCode(DemoStreetSeeder.StreetCode + "P05") is { } powerSupply)
            {
                return powerSupply;
            }
            return plan.Category.DefaultUnitId is { } id && world.Units.TryGetValue(id, out var unit) && unit.Kind != OrgUnitKind.Street
                ? unit
                : community;
        }

        /// <summary>Community work goes to the line's department and department work to the community, as misroutings do.</summary>
        private UnitRow OtherSide(CasePlan plan, UnitRow community) =>
            plan.Lead.Kind == OrgUnitKind.Community
                ? world.DepartmentFor(plan.Category.Line) ?? world.UnitByCode(CategoryCatalog.LivelihoodOffice) ?? world.Departments[0]
                : community;

        /// <summary>领导包案: the latest report of each unsatisfied cluster, and a few other stubborn cases.</summary>
        private void ChooseLeaders(List<CasePlan> plans)
        {
            if (world.Leader is null)
            {
                return;
            }
            foreach (var plan in plans.Where(p => p.IsRepeat && p.UnsatisfiedCluster && p.Reaches(Target.Dispatched)))
            {
                plan.LeaderInCharge = true;
            }
            var others = plans.Where(p => !p.LeaderInCharge && p.Reaches(Target.Accepted) && (p.Late || p.Reopen || p.Type == CaseType.Petition)).ToList();
            Shuffle(random, others);
            foreach (var plan in others.Take(4))
            {
                plan.LeaderInCharge = true;
            }
        }

        private void BuildSteps(CasePlan plan)
        {
            var config = world.Configs[plan.Type];
            var steps = plan.Steps;
            if (plan.Target is Target.Voided or Target.Merged)
            {
                steps.Add(new Step(plan.Target == Target.Merged ? StepKind.Merge : StepKind.Void));
                return;
            }
            if (config.RequiresIntakeVerification && !plan.AwaitsVerification)
            {
                steps.Add(new Step(StepKind.VerifyReport));
            }
            if (plan.Target == Target.Received)
            {
                return;
            }
            if (plan.WrongUnit is not null)
            {
                steps.Add(new Step(StepKind.DispatchWrong));
                steps.Add(new Step(StepKind.Return));
            }
            steps.Add(new Step(StepKind.Dispatch));
            if (plan.Target == Target.Dispatched)
            {
                return;
            }
            steps.Add(new Step(StepKind.Accept));
            if (plan.ReassignTo is not null)
            {
                steps.Add(new Step(StepKind.Reassign));
                steps.Add(new Step(StepKind.Accept));
            }
            if (plan.LeaderInCharge)
            {
                steps.Add(new Step(StepKind.AssignLeader));
            }
            if (plan.Extension != Extension.None)
            {
                steps.Add(new Step(StepKind.RequestExtension));
                if (plan.Extension != Extension.Pending)
                {
                    steps.Add(new Step(plan.Extension == Extension.Approved ? StepKind.ApproveExtension : StepKind.DenyExtension));
                }
            }
            if (plan.Target == Target.Suspended || plan.SuspendAndResume)
            {
                steps.Add(new Step(StepKind.Suspend));
                if (plan.Target == Target.Suspended)
                {
                    steps.Add(new Step(StepKind.Supervise, Optional: true));
                    return;
                }
                steps.Add(new Step(StepKind.Resume));
            }
            if (plan.SuperviseIfOverdue)
            {
                steps.Add(new Step(StepKind.Supervise, Optional: true));
            }
            if (plan.Target == Target.Accepted)
            {
                return;
            }
            steps.Add(new Step(StepKind.Complete));
            if (config.RequiresOnSiteVerification)
            {
                if (plan.Rework)
                {
                    steps.Add(new Step(StepKind.VerifyFail));
                    steps.Add(new Step(StepKind.Complete, Rework: true));
                }
                if (plan.Target == Target.Completed)
                {
                    return;
                }
                steps.Add(new Step(StepKind.VerifyPass));
                if (plan.Target == Target.Verified)
                {
                    return;
                }
            }
            else if (plan.Target == Target.Completed)
            {
                return;
            }
            if (config.RequiresCallback)
            {
                steps.Add(new Step(StepKind.Callback));
                if (plan.Reopen)
                {
                    steps.Add(new Step(StepKind.Reopen));
                    steps.Add(new Step(StepKind.Dispatch, Round: 2));
                    steps.Add(new Step(StepKind.Accept, Round: 2));
                    steps.Add(new Step(StepKind.Complete, Round: 2));
                    steps.Add(new Step(StepKind.Callback, Round: 2));
                }
            }
            steps.Add(new Step(StepKind.Close));
        }

        /// <summary>Ticket numbers of the channels that bring their own, in the order the tickets were raised.</summary>
        private void NumberTickets(List<CasePlan> plans)
        {
            var hotline = _times.Next(100_000, 400_000);
            var petition = _times.Next(1_000, 3_000);
            var open311 = _times.Next(1_000, 5_000);
            var device = _times.Next(100, 900);
            foreach (var plan in plans.OrderBy(p => p.ReceivedAt).ThenBy(p => p.Index))
            {
                var local = WorkingCalendar.ToLocal(plan.ReceivedAt);
                plan.ExternalReference = plan.Channel switch
                {
                    CaseChannel.Hotline12345 => string.Create(CultureInfo.InvariantCulture, $"12345-{local:yyyy}-{hotline += _times.Next(5, 60):D6}"),
                    CaseChannel.Petition => string.Create(CultureInfo.InvariantCulture, $"XF{local:yyyy}{petition += _times.Next(3, 30):D6}"),
                    CaseChannel.Open311 => string.Create(CultureInfo.InvariantCulture, $"311-{local:yyyyMMdd}-{open311 += _times.Next(1, 20):D5}"),
                    CaseChannel.Device => string.Create(CultureInfo.InvariantCulture, $"IOT-{local:yyyyMMddHHmm}-{device += _times.Next(1, 9):D4}"),
                    _ => null,
                };
            }
        }

        private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];
    }

    /// <summary>
    /// Plays the plans forward in time order, one step at a time, through the real handlers. The clock only moves
    /// forward; each step's moment is chosen when the step before it has happened, from the deadlines the engine set.
    /// </summary>
    private sealed class Simulation(
        AppDbContext db,
        SimulatedClock time,
        CaseHandlers handlers,
        CaseDeadlineSweep sweep,
        World world,
        WorkingCalendar calendar,
        DateTime now)
    {
        /// <summary>Staff act in office hours, except this share of steps taken in the evening or at the weekend.</summary>
        private const double OffHours = 0.08;

        private readonly PriorityQueue<Run?, (DateTime At, long Sequence)> _queue = new();
        private readonly Dictionary<Guid, Run> _runs = [];
        private readonly Dictionary<Guid, Caller> _handlers = [];
        private long _sequence;
        private DateTime _lastSweep = DateTime.MinValue;

        /// <summary>The random source of the run being played: each case draws from its own, whatever the order of play.</summary>
        private Random _random = Random.Shared;

        private sealed class Run(CasePlan plan)
        {
            public CasePlan Plan => plan;
            public int Next { get; set; }
            public CaseDetailDto? Case { get; set; }
            public Guid Version { get; set; }
            public DateTime LastAt { get; set; } = plan.ReceivedAt;
            public UnitRow? Current { get; set; }
            public DateTime? SweptFor { get; set; }
            public Random Random { get; } = new(Seed + 7919 * (plan.Index + 1));
        }

        public async Task RunAsync(IReadOnlyList<CasePlan> plans, CancellationToken ct)
        {
            foreach (var plan in plans)
            {
                _queue.Enqueue(new Run(plan), (plan.ReceivedAt, _sequence++));
            }
            while (_queue.TryDequeue(out var run, out var key))
            {
                ct.ThrowIfCancellationRequested();
                time.Set(key.At);
                if (run is null)
                {
                    await SweepAsync(key.At, ct);
                }
                else
                {
                    await StepAsync(run, key.At, ct);
                }
                db.ChangeTracker.Clear();
            }
            time.Set(now);
            await SweepAsync(now, ct);
            db.ChangeTracker.Clear();
        }

        private async Task StepAsync(Run run, DateTime at, CancellationToken ct)
        {
            var plan = run.Plan;
            _random = run.Random;
            if (run.Case is null)
            {
                await ReceiveAsync(run, ct);
            }
            else
            {
                var step = plan.Steps[run.Next++];
                try
                {
                    await ActAsync(run, step, at, ct);
                }
                catch (Exception exception) when (exception is AppProblemException or CaseActionNotAllowedException)
                {
                    throw new InvalidOperationException(
                        $"Demo case #{plan.Index} ({plan.Type}, {run.Case.Number}) could not take step {step.Kind} in state {run.Case.State}: {Describe(exception)}",
                        exception);
                }
            }
            run.LastAt = at;
            ScheduleSweeps(run);
            ScheduleNext(run);
        }

        private async Task ReceiveAsync(Run run, CancellationToken ct)
        {
            var plan = run.Plan;
            var caller = plan.IntakeBy switch
            {
                IntakeBy.System => Caller.System,
                IntakeBy.GridWorker => GridWorker(plan.Place.Grid),
                IntakeBy.CommunityWorker => Handler(world.CommunityOf(plan.Place)),
                _ => Dispatcher(),
            };
            var input = new CaseIntakeInput(plan.Type, plan.Channel, plan.ExternalReference, plan.Category.Id, plan.Urgency, plan.Title,
                plan.Description, plan.Address, plan.Located ? plan.Place.Longitude : null, plan.Located ? plan.Place.Latitude : null,
                CommunityId: null, plan.ComplainantName, plan.ComplainantPhone, plan.Confidential, plan.IntakeNote);
            var (received, created) = await handlers.ReceiveAsync(caller, input, ct);
            if (!created)
            {
                throw new InvalidOperationException($"Demo case #{plan.Index} was not created: ticket {plan.ExternalReference} exists.");
            }
            run.Case = received;
            run.Version = received.Version;
            _runs[received.Id] = run;
            if (received.RepeatClusterId is { } cluster)
            {
                // Joining a cluster stamps the earlier case too, and with it a new version.
                await RefreshVersionsAsync(db.Cases.Where(c => c.RepeatClusterId == cluster), ct);
            }
        }

        private async Task ActAsync(Run run, Step step, DateTime at, CancellationToken ct)
        {
            var plan = run.Plan;
            var @case = run.Case!;
            var community = world.CommunityOf(plan.Place);
            Guid? placeIn = @case.CommunityId is null ? community.Id : null;
            switch (step.Kind)
            {
                case StepKind.VerifyReport:
                    await Act(run, Dispatcher(), CaseAction.VerifyReport, new(null, Note: Pick(_random, Texts.VerifyReport)), ct);
                    break;
                case StepKind.DispatchWrong:
                    await Act(run, Dispatcher(), CaseAction.Dispatch, new(null, Note: DispatchNote(plan), UnitId: plan.WrongUnit!.Id, CommunityId: placeIn), ct);
                    run.Current = plan.WrongUnit;
                    break;
                case StepKind.Return:
                    // Returned, the case leaves the unit's sight, and the handler answers the return by reading the case
                    // back in the unit's scope (404 after a saved return); acting with the whole street in sight avoids that.
                    await Act(run, Handler(run.Current!) with { ScopePath = world.Street.ScopePath }, CaseAction.Return, new(null, Note: string.Format(CultureInfo.InvariantCulture, Pick(_random, Texts.Return), plan.Lead.Name)), ct);
                    run.Current = null;
                    break;
                case StepKind.Dispatch:
                {
                    var lead = step.Round == 1 ? plan.Lead : plan.FinalLead;
                    IReadOnlyList<Guid>? co = step.Round == 1 && plan.CoHandler is { } unit ? [unit.Id] : null;
                    var note = step.Round == 1 ? DispatchNote(plan) : "回访不满意重新派单，请针对诉求人反映的遗留问题重新办理。";
                    await Act(run, Dispatcher(), CaseAction.Dispatch, new(null, Note: note, UnitId: lead.Id, CoHandlerIds: co, CommunityId: placeIn), ct);
                    run.Current = lead;
                    break;
                }
                case StepKind.Accept:
                {
                    DateTime? contacted = plan.HasComplainant && plan.Channel != CaseChannel.GridPatrol
                        ? Max(@case.ReceivedAt, at - TimeSpan.FromMinutes(_random.Next(0, 25)))
                        : null;
                    var note = Pick(_random, plan.Type == CaseType.ElderAlert ? Texts.AcceptAlert : contacted is null ? Texts.AcceptOnSite : Texts.Accept);
                    await Act(run, Handler(run.Current!), CaseAction.Accept, new(null, Note: note, ContactedAt: contacted), ct);
                    break;
                }
                case StepKind.Reassign:
                    await Act(run, Dispatcher(), CaseAction.Reassign,
                        new(null, Note: string.Format(CultureInfo.InvariantCulture, Pick(_random, Texts.Reassign), plan.ReassignTo!.Name), UnitId: plan.ReassignTo.Id), ct);
                    run.Current = plan.ReassignTo;
                    break;
                case StepKind.AssignLeader:
                    await Act(run, Leader(), CaseAction.AssignLeader, new(null, Note: Pick(_random, Texts.Leader), LeaderUserId: world.Leader!.Id), ct);
                    break;
                case StepKind.RequestExtension:
                {
                    var due = @case.CompletionDueAt ?? at;
                    var localDay = DateOnly.FromDateTime(WorkingCalendar.ToLocal(Max(due, at))).AddDays(_random.Next(3, 9));
                    var requested = WorkingCalendar.ToUtc(localDay.ToDateTime(calendar.OfficeHoursFor(localDay.Year).AfternoonEnd));
                    var note = string.Format(CultureInfo.InvariantCulture, Pick(_random, Texts.Extension), localDay.ToString("M月d日", CultureInfo.InvariantCulture));
                    await Act(run, Handler(run.Current!), CaseAction.RequestExtension, new(null, Note: note, RequestedDueAt: requested), ct);
                    break;
                }
                case StepKind.ApproveExtension:
                    await Act(run, Dispatcher(), CaseAction.ApproveExtension, new(null, Note: Pick(_random, Texts.Approve)), ct);
                    break;
                case StepKind.DenyExtension:
                    await Act(run, Dispatcher(), CaseAction.DenyExtension, new(null, Note: Pick(_random, Texts.Deny)), ct);
                    break;
                case StepKind.Suspend:
                    await Act(run, Handler(run.Current!), CaseAction.Suspend, new(null, Note: Pick(_random, Texts.Suspend)), ct);
                    break;
                case StepKind.Resume:
                    await Act(run, Handler(run.Current!), CaseAction.Resume, new(null, Note: Pick(_random, Texts.Resume)), ct);
                    break;
                case StepKind.Supervise:
                {
                    var byLeader = world.Leader is not null && (plan.LeaderInCharge || Chance(_random, 0.3));
                    await Act(run, byLeader ? Leader() : Dispatcher(), CaseAction.Supervise,
                        new(null, Note: Pick(_random, byLeader ? Texts.LeaderSupervise : Texts.Supervise)), ct);
                    break;
                }
                case StepKind.Complete:
                {
                    var result = step.Rework ? "已按核查意见返工整改：" + plan.Result
                        : step.Round == 2 ? "针对回访中反映的遗留问题再次上门处理：" + plan.SecondResult
                        : plan.Result;
                    await Act(run, Handler(run.Current!), CaseAction.Complete, new(null, Note: result), ct);
                    break;
                }
                case StepKind.VerifyFail:
                    await Act(run, Verifier(@case), CaseAction.VerifyFail, new(null, Note: Pick(_random, Texts.VerifyFail)), ct);
                    break;
                case StepKind.VerifyPass:
                    await Act(run, Verifier(@case), CaseAction.VerifyPass, new(null, Note: Pick(_random, Texts.VerifyPass)), ct);
                    break;
                case StepKind.Callback:
                {
                    var callback = plan.Reopen && step.Round == 1
                        ? new CallbackPlan(CallbackContact.Reached, false, Satisfaction.Unsatisfied)
                        : plan.FinalCallback;
                    await Act(run, Dispatcher(), CaseAction.Callback, new(null, Note: Pick(_random, Texts.CallbackNotes(callback.Contact, callback.Resolved, callback.Satisfaction)),
                        Contact: callback.Contact, Resolved: callback.Resolved, Satisfaction: callback.Satisfaction), ct);
                    break;
                }
                case StepKind.Reopen:
                    await Act(run, Dispatcher(), CaseAction.Reopen, new(null, Note: Pick(_random, Texts.Reopen)), ct);
                    run.Current = null;
                    break;
                case StepKind.Close:
                    await Act(run, Dispatcher(), CaseAction.Close, new(null, Note: CloseNote(plan)), ct);
                    break;
                case StepKind.Void:
                    await Act(run, Dispatcher(), CaseAction.Void, new(null, Note: Pick(_random, Texts.Void)), ct);
                    break;
                case StepKind.Merge:
                    await Act(run, Dispatcher(), CaseAction.Merge,
                        new(null, Note: Pick(_random, Texts.Merge), TargetCaseId: _runs.Values.First(r => r.Plan == plan.RepeatOf).Case!.Id), ct);
                    break;
            }
        }

        private async Task Act(Run run, Caller caller, CaseAction action, CaseActionInput input, CancellationToken ct)
        {
            var after = await handlers.ActAsync(caller, run.Case!.Id, action, input with { Version = run.Version }, ct);
            run.Case = after;
            run.Version = after.Version;
        }

        /// <summary>Picks the moment of the run's next step, dropping optional steps that would fall after now.</summary>
        private void ScheduleNext(Run run)
        {
            var steps = run.Plan.Steps;
            while (run.Next < steps.Count)
            {
                var step = steps[run.Next];
                var at = When(run, step);
                if (at is null || at > now)
                {
                    if (step.Optional)
                    {
                        run.Next++;
                        continue;
                    }
                    at = Squeeze(run.LastAt);
                }
                _queue.Enqueue(run, (at.Value, _sequence++));
                return;
            }
        }

        /// <summary>A step that must happen but has no room left before now happens sooner, still after the one before.</summary>
        private DateTime Squeeze(DateTime previous)
        {
            var room = now - previous;
            var at = WholeSeconds(previous + (room * Between(_random, 0.2, 0.7)));
            return at <= previous ? previous + TimeSpan.FromSeconds(1) > now ? now : previous + TimeSpan.FromSeconds(1) : at;
        }

        private DateTime? When(Run run, Step step)
        {
            var plan = run.Plan;
            var previous = run.LastAt;
            var urgent = plan.Urgency != CaseUrgency.Normal;
            var due = run.Case?.CompletionDueAt;
            DateTime? at = step.Kind switch
            {
                StepKind.VerifyReport => Staff(previous + Minutes(10, 120)),
                StepKind.DispatchWrong or StepKind.Dispatch => urgent ? previous + Minutes(5, 30) : Staff(previous + Minutes(10, 180)),
                StepKind.Return => Staff(previous + Minutes(30, 480)),
                StepKind.Accept => urgent ? previous + Minutes(5, 40) : Staff(previous + Minutes(10, 150)),
                StepKind.Reassign => Staff(previous + Minutes(120, 1800)),
                StepKind.AssignLeader => Staff(previous + Minutes(60, 1200)),
                StepKind.RequestExtension => Staff(due is { } d ? Max(previous + Minutes(120, 360), d - Minutes(1800, 3600)) : previous + Minutes(240, 1440)),
                StepKind.ApproveExtension or StepKind.DenyExtension => Staff(previous + Minutes(60, 1200)),
                StepKind.Suspend => Staff(previous + Minutes(120, 2400)),
                StepKind.Resume => Staff(previous + TimeSpan.FromDays(Between(_random, 2, 8))),
                StepKind.Supervise => due is { } d
                    ? Staff(Max(previous + Minutes(30, 90), d + (plan.Late ? plan.LateBy * Between(_random, 0.3, 0.6) : Minutes(120, 1800))))
                    : null,
                StepKind.Complete => CompletionTime(run, step, previous, due, urgent),
                StepKind.VerifyFail or StepKind.VerifyPass => Staff(previous + Minutes(60, 1440)),
                StepKind.Callback => Staff(previous + Minutes(120, 1800)),
                StepKind.Reopen => Staff(previous + Minutes(20, 240)),
                StepKind.Close => Staff(previous + Minutes(5, 180)),
                StepKind.Void or StepKind.Merge => Staff(previous + Minutes(10, 600)),
            };
            if (at is not { } moment)
            {
                return null;
            }
            var minute = WholeMinutes(moment);
            return minute <= previous ? previous + TimeSpan.FromMinutes(1) : minute;
        }

        private DateTime CompletionTime(Run run, Step step, DateTime previous, DateTime? due, bool urgent)
        {
            if (step.Rework || step.Round == 2)
            {
                return Staff(previous + Minutes(180, 2400));
            }
            if (due is not { } d)
            {
                return Staff(previous + Minutes(240, 2880));
            }
            if (run.Plan.Late)
            {
                return Staff(Max(previous + Minutes(30, 90), d + run.Plan.LateBy));
            }
            var target = previous + ((d - previous) * Between(_random, 0.15, 0.8));
            var at = Max(previous + Minutes(20, 60), target);
            // Urgent work is finished when it is finished, nights included; ordinary work in office hours, before the deadline.
            if (urgent || run.Plan.Type == CaseType.ElderAlert)
            {
                return at;
            }
            var staffed = Staff(at);
            return staffed > d && at <= d ? at : staffed;
        }

        /// <summary>Moves a moment into the next office hours of a working day, except for the odd evening or weekend shift.</summary>
        private DateTime Staff(DateTime utc)
        {
            if (Chance(_random, OffHours))
            {
                return utc;
            }
            var local = WorkingCalendar.ToLocal(utc);
            var day = DateOnly.FromDateTime(local);
            var clockTime = TimeOnly.FromDateTime(local);
            for (var i = 0; i < 30; i++, day = day.AddDays(1), clockTime = TimeOnly.MinValue)
            {
                if (!calendar.IsWorkingDay(day))
                {
                    continue;
                }
                var hours = calendar.OfficeHoursFor(day.Year);
                if (clockTime >= hours.MorningStart && clockTime < hours.MorningEnd || clockTime >= hours.AfternoonStart && clockTime < hours.AfternoonEnd)
                {
                    return utc;
                }
                var opening = clockTime < hours.MorningStart ? hours.MorningStart : clockTime < hours.AfternoonStart ? hours.AfternoonStart : (TimeOnly?)null;
                if (opening is { } open)
                {
                    return WorkingCalendar.ToUtc(day.ToDateTime(open)) + Minutes(0, 75);
                }
            }
            return utc;
        }

        private TimeSpan Minutes(double min, double max) => TimeSpan.FromMinutes(Between(_random, min, max));

        /// <summary>
        /// The deadline monitor runs every minute in the app; here it runs when a deadline nears or passes, at a half
        /// minute (steps fall on whole ones), so that its marks sit where the monitor would have put them.
        /// </summary>
        private void ScheduleSweeps(Run run)
        {
            if (run.Case is not { CompletionDueAt: { } due, CompletedAt: null } || run.Case.State is CaseState.Closed or CaseState.Voided || run.SweptFor == due)
            {
                return;
            }
            run.SweptFor = due;
            foreach (var at in new[] { due - TimeSpan.FromHours(4), due + TimeSpan.FromMinutes(1) })
            {
                var moment = WholeMinutes(Max(at, run.LastAt)) + TimeSpan.FromSeconds(30.5);
                // A step squeezed onto whole seconds can sit past the half minute: a sweep then would run back in time
                // and mark a case overdue before a step the simulation has already taken.
                if (moment <= run.LastAt)
                {
                    moment += TimeSpan.FromMinutes(1);
                }
                if (moment <= now)
                {
                    _queue.Enqueue(null, (moment, _sequence++));
                }
            }
        }

        private async Task SweepAsync(DateTime at, CancellationToken ct)
        {
            if (at == _lastSweep)
            {
                return;
            }
            _lastSweep = at;
            var result = await sweep.RunAsync(ct);
            if (result.DueSoon + result.Overdue > 0)
            {
                await RefreshVersionsAsync(db.Cases.Where(c => c.State != CaseState.Closed && c.State != CaseState.Voided), ct);
            }
        }

        private async Task RefreshVersionsAsync(IQueryable<Case> cases, CancellationToken ct)
        {
            foreach (var row in await cases.AsNoTracking().Select(c => new { c.Id, c.Version }).ToListAsync(ct))
            {
                if (_runs.TryGetValue(row.Id, out var run))
                {
                    run.Version = row.Version;
                }
            }
        }

        private string DispatchNote(CasePlan plan) =>
            plan.Urgency != CaseUrgency.Normal ? Pick(_random, Texts.UrgentDispatch)
            : plan.Type == CaseType.Petition ? "信访事项，请依法依规办理并在时限内书面答复信访人。"
            : Pick(_random, Texts.Dispatch);

        private string CloseNote(CasePlan plan)
        {
            var config = world.Configs[plan.Type];
            if (!config.RequiresCallback)
            {
                return plan.Type == CaseType.ElderAlert ? "老人情况已妥善处置，家属已知悉，予以结案。" : Pick(_random, Texts.CloseVerified);
            }
            return plan.FinalCallback switch
            {
                { Contact: not CallbackContact.Reached } => "多次回访未能取得有效联系，按规定予以结案。",
                { Satisfaction: Satisfaction.Unsatisfied } or { Resolved: false } => "已按政策答复并做好解释工作，诉求人仍有意见，作结案处理并纳入重点关注。",
                _ => Pick(_random, Texts.Close),
            };
        }

        private Caller Dispatcher() => As(world.Dispatcher, Roles.Dispatcher);

        private Caller Leader() => As(world.Leader!, Roles.StreetLeader);

        private static Caller As(Account account, string role) =>
            new(account.Id, account.UserName, account.DisplayName, account.UnitId, account.ScopePath, new HashSet<string>(StringComparer.Ordinal) { role });

        /// <summary>Someone of the handling unit: its account when the demo has one, else the unit's contact person.</summary>
        private Caller Handler(UnitRow unit)
        {
            if (_handlers.TryGetValue(unit.Id, out var known))
            {
                return known;
            }
            var role = unit.Kind switch
            {
                OrgUnitKind.Community => Roles.CommunityWorker,
                OrgUnitKind.PartnerUnit => Roles.PartnerUnitHandler,
                _ => Roles.DepartmentHandler,
            };
            var caller = world.Accounts.FirstOrDefault(a => a.UnitId == unit.Id && a.Role == role) is { } account
                ? As(account, role)
                : new Caller(NewId(unit.Id), "demo-" + unit.Code, unit.ContactPerson ?? unit.Name + "工作人员", unit.Id, unit.ScopePath,
                    new HashSet<string>(StringComparer.Ordinal) { role });
            _handlers[unit.Id] = caller;
            return caller;
        }

        private static Caller GridWorker(GridRow grid) =>
            new(grid.WorkerUserId ?? NewId(grid.Id), "grid-worker", grid.WorkerName, grid.CommunityId, grid.ScopePath,
                new HashSet<string>(StringComparer.Ordinal) { Roles.GridWorker });

        /// <summary>核查 is done on site by the grid's worker, or by the community for a case placed by hand.</summary>
        private Caller Verifier(CaseDetailDto @case)
        {
            if (@case.GridId is { } gridId && world.Places.FirstOrDefault(p => p.Grid.Id == gridId)?.Grid is { } grid)
            {
                return GridWorker(grid);
            }
            return Handler(world.Units[@case.CommunityId!.Value]);
        }

        /// <summary>A stable made-up user id for a person who has no account, derived from their unit or grid.</summary>
        private static Guid NewId(Guid key)
        {
            var bytes = key.ToByteArray();
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] ^= (byte)(0x5A + (i * 37));
            }
            return new Guid(bytes);
        }

        private static string Describe(Exception exception) => exception switch
        {
            ValidationException validation => string.Join("; ", validation.Errors.Select(e => e.Key + ": " + string.Join(" ", e.Value))),
            _ => exception.Message,
        };
    }

    /// <summary>Alerts of the smart elderly-care devices (手环、燃气报警器、烟感、智能水表) installed in elderly residents' homes.</summary>
    private static readonly DeviceAlert[] DeviceAlerts =
    [
        new("智能手环SOS告警：{compound}{building}{unit}",
            "独居老人{name}（{age}岁）佩戴的智能手环触发SOS一键呼叫，定位显示在{compound}{building}{unit}家中，平台回拨电话无人接听，请立即上门查看。",
            "社区工作人员与网格员十分钟内到达，老人在家中不慎摔倒无法起身，已协助送医检查并通知家属，后续纳入每日探访名单。"),
        new("智能手环跌倒告警：{compound}{building}",
            "{compound}{building}{unit}独居老人{name}（{age}岁）的智能手环检测到疑似跌倒，告警持续两分钟未解除，平台联系紧急联系人暂未接通。",
            "网格员上门查看，老人起夜时在卫生间滑倒，无明显外伤，已联系家属前来陪护，并协调为卫生间加装扶手和防滑垫。"),
        new("智能手环心率异常告警：{compound}{building}",
            "{compound}{building}{unit}老人{name}（{age}岁）手环监测心率持续超过每分钟130次已二十分钟，档案显示老人患有高血压和冠心病。",
            "社区医生随同社区工作人员上门测量血压，建议立即就医，已由家属陪同前往示例区中医医院就诊，目前情况稳定。"),
        new("老人长时间未活动告警：{compound}{building}",
            "独居老人{name}（{age}岁）家中人体感应器已超过十四个小时未检测到活动，手环电量耗尽离线，地址为{compound}{building}{unit}。",
            "社区工作人员上门敲门无人应答，联系其女儿后得知老人前一天被接到女儿家小住，已为老人更换手环电池并提醒家属外出时告知社区。"),
        new("认知障碍老人离开电子围栏告警：{compound}",
            "{compound}{building}{unit}认知障碍老人{name}（{age}岁）佩戴的定位手环显示已离开小区电子围栏超过三十分钟，正沿{road}方向移动。",
            "网格员根据手环定位在附近公交站找到老人，已安全送回家中，并与家属商定加强看护、外出时有人陪同。"),
        new("独居老人家中燃气泄漏报警：{compound}{building}{unit}",
            "{compound}{building}{unit}独居老人{name}（{age}岁）家中的燃气报警器发出泄漏报警，设备已自动关闭燃气阀门，老人电话无人接听。",
            "社区联合燃气公司上门检查，系老人煮饭时汤水溢出浇灭炉火导致燃气泄漏，已开窗通风处置，更换自闭阀并对老人进行安全提醒。"),
        new("独居老人家中烟感报警：{compound}{building}",
            "{compound}{building}{unit}老人{name}（{age}岁）家中独立式烟感报警器持续报警，平台判断疑似厨房烧干锅。",
            "网格员与物业人员五分钟内到场，老人炖菜忘记关火致锅烧干冒烟，未引发火情，已协助清理并为灶具加装定时关火装置。"),
        new("独居老人用水异常告警：{compound}{building}",
            "{compound}{building}{unit}独居老人{name}（{age}岁）家中智能水表已连续二十四小时无用水记录，与老人平日用水习惯明显不符。",
            "社区工作人员上门探访，老人因感冒卧床两日，已联系社区医生上门诊治，并安排老年助餐员每日送餐到家。"),
        new("智能手环血氧偏低告警：{compound}{building}",
            "{compound}{building}{unit}老人{name}（{age}岁）手环监测血氧饱和度低于百分之九十并持续十五分钟，老人有慢阻肺病史。",
            "社区医生上门评估后建议立即就医，已呼叫120送医，社区工作人员陪同前往并通知其儿子赶到医院。"),
    ];

    /// <summary>What dispatchers, handlers and grid workers write at each step; {0} is a unit or a date where shown.</summary>
    private static class Texts
    {
        public static readonly string[] VerifyReport =
        [
            "经指挥中心核实，情况属实，予以立案。",
            "已调阅网格员上报的现场照片，情况属实，立案派遣。",
            "经电话核实，问题确实存在，予以立案。",
        ];

        public static readonly string[] Dispatch =
        [
            "请按时限办理，及时联系诉求人并反馈办理结果。",
            "请尽快核实处置，办结后上传现场照片。",
            "请于时限内办结，注意做好解释说明工作。",
            "请承办单位按职责办理，涉及其他单位的请主动协调。",
        ];

        public static readonly string[] UrgentDispatch =
        [
            "紧急工单，请立即处置并电话报告进展。",
            "事关群众安全，请第一时间到场处置。",
        ];

        public static readonly string[] Accept =
        [
            "已签收，已电话联系诉求人了解详细情况。",
            "已签收，已与诉求人约定上门查看时间。",
            "已签收，已联系诉求人，正在安排人员到现场核实。",
            "已签收，已向诉求人说明办理流程和时限。",
        ];

        public static readonly string[] AcceptAlert =
        [
            "已签收，社区工作人员和网格员正赶往老人家中。",
            "已签收，已联系老人家属，工作人员马上上门。",
        ];

        public static readonly string[] AcceptOnSite =
        [
            "已签收，安排人员前往现场处置。",
            "已签收，已通知物业配合处置。",
            "已签收，正在组织力量处置。",
        ];

        public static readonly string[] Return =
        [
            "经核实，该事项属于{0}职责范围，非本单位管辖，申请退回重新派单。",
            "该问题不在本单位职责内，建议派{0}办理，现予退回。",
        ];

        public static readonly string[] Reassign =
        [
            "经协调，该事项需由{0}牵头办理，现予改派。",
            "原承办单位反映处置需要执法或专业力量，改派{0}办理。",
        ];

        public static readonly string[] Leader =
        [
            "该问题群众反复反映，由我包案，请承办单位制定整改方案，每周报告进展。",
            "该问题涉及多个部门，由我牵头协调，限期解决到位。",
        ];

        public static readonly string[] Extension =
        [
            "问题涉及多个单位，需进一步协调，申请延期至{0}。",
            "需等待相关部门出具意见后方能处理，申请延期至{0}。",
            "整改工作量较大，需分步实施，申请延期至{0}。",
        ];

        public static readonly string[] Approve =
        [
            "情况属实，同意延期，请在新时限内办结。",
            "同意延期，请做好与诉求人的沟通解释。",
        ];

        public static readonly string[] Deny =
        [
            "该问题不涉及复杂协调，不予延期，请按原时限办结。",
            "延期理由不充分，请加快办理。",
        ];

        public static readonly string[] Suspend =
        [
            "诉求人外出，暂时无法入户查看，待其返回后继续办理。",
            "需等待产权单位提供相关资料，暂时挂起。",
            "当事人正在走司法程序，需等待法院判决结果后再行处理。",
        ];

        public static readonly string[] Resume =
        [
            "诉求人已返回，恢复办理。",
            "所需资料已到位，恢复办理。",
            "相关资料已补齐，恢复办理。",
        ];

        public static readonly string[] Supervise =
        [
            "该工单已超过办理时限，请承办单位加快办理，今日内反馈进展。",
            "超期未办结，请说明原因并限时办结。",
            "请承办单位主要负责同志亲自过问，尽快办结。",
        ];

        public static readonly string[] LeaderSupervise =
        [
            "请高度重视，限期解决并向指挥中心报告。",
            "群众等待时间已经很长，请明天下班前拿出解决办法。",
        ];

        public static readonly string[] VerifyFail =
        [
            "现场核查发现问题未彻底整改，退回返工。",
            "核查时现场仍有遗留问题，请承办单位返工处理。",
            "整改不到位，与上报问题不符，请重新处置。",
        ];

        public static readonly string[] VerifyPass =
        [
            "网格员现场核查，问题已整改到位。",
            "现场复核通过，已拍照留存。",
        ];

        public static readonly string[] Reopen =
        [
            "回访诉求人表示问题未解决，重新派单办理。",
            "诉求人反映问题依旧存在，重新办理。",
        ];

        public static readonly string[] Close =
        [
            "已办结并完成回访，予以结案。",
            "诉求已解决，回访满意，结案。",
        ];

        public static readonly string[] CloseVerified =
        [
            "经核查整改到位，予以结案。",
            "现场核查通过，结案归档。",
        ];

        public static readonly string[] Void =
        [
            "诉求人来电表示问题已自行解决，撤回诉求。",
            "非本街道辖区事项，已告知诉求人向属地街道反映。",
            "经核实为重复登记，予以作废。",
            "诉求内容不完整且多次联系不上诉求人，作废处理。",
        ];

        public static readonly string[] Merge =
        [
            "与在办工单反映同一问题，合并办理。",
            "同一地点同一问题，合并至前案统一办理、统一回复。",
        ];

        public static string[] CallbackNotes(CallbackContact contact, bool? resolved, Satisfaction? satisfaction) => (contact, resolved, satisfaction) switch
        {
            (CallbackContact.Unreachable, _, _) => ["连续三次电话回访均无人接听。", "回访电话已停机，无法联系诉求人。"],
            (CallbackContact.Refused, _, _) => ["诉求人表示不愿接受回访。"],
            (_, true, Satisfaction.Satisfied) => ["回访诉求人，表示问题已解决，对办理结果满意。", "电话回访，诉求人对办理速度和结果表示满意。"],
            (_, false, Satisfaction.Satisfied) => ["诉求人表示问题需要长期解决，对工作人员的态度表示满意。"],
            (_, true, Satisfaction.BasicallySatisfied) => ["回访诉求人，问题基本解决，希望后续保持。", "诉求人表示问题已处理，但办理时间稍长。"],
            (_, false, Satisfaction.BasicallySatisfied) => ["回访诉求人，表示问题只解决了一部分，仍有遗留。"],
            (_, true, _) => ["回访诉求人，表示问题虽已处理，但对办理时间过长不满意。"],
            _ => ["回访诉求人，表示问题仍未解决，对办理结果不满意。", "诉求人表示情况没有改善，不满意。"],
        };
    }
}
