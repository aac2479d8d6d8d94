using System.Globalization;
using Community360.Data;
using Community360.Geography;
using Community360.Identity;
using Community360.Organization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace Community360.Seeding;

/// <summary>An account the seeder created; <see cref="Role"/> is the role's identifier (see <see cref="Roles"/>).</summary>
public sealed record SeededLogin(string UserName, string DisplayName, string Role, string UnitName, string Password);

/// <summary>
/// Seeds one fictional street (示例区 / 示例街道) so that every screen shows something true on first start:
/// six communities, thirty grids whose polygons tile them exactly, compounds and buildings, departments for the
/// six work lines, partner units and one account per role. The same seed gives the same street on every fresh
/// database; a second run finds the street and does nothing.
/// </summary>
public sealed class DemoStreetSeeder(AppDbContext db, UserManager<AppUser> userManager)
{
    public const string DistrictCode = "110199";
    public const string StreetCode = "110199001";

    /// <summary>The demo accounts; a deployment that began as a demo checks these for the published demo password.</summary>
    public static readonly IReadOnlyList<string> AccountNames =
        ["sysadmin", "secadmin", "auditadmin", "leader", "dispatcher", "worker1", "worker2", "grid1", "grid2", "dept1", "partner1"];
    private const int Seed = 360_2024;

    private static readonly (string Name, string[] Roads)[] CommunityPlans =
    [
        ("槐荫里社区", ["示例路", "槐荫路"]),
        ("清和园社区", ["清和街", "育才路"]),
        ("明德坊社区", ["明德路", "文兴街"]),
        ("银杏苑社区", ["银杏大街", "安宁路"]),
        ("春晖社区", ["春晖路", "光华街"]),
        ("丰泽里社区", ["丰泽街", "兴业路"]),
    ];

    private static readonly (string Name, WorkLine? Line)[] DepartmentPlans =
    [
        ("城市管理办公室", WorkLine.UrbanConstruction),
        ("平安建设办公室", WorkLine.Emergency),
        ("综合行政执法队", WorkLine.LawEnforcement),
        ("生态环境办公室", WorkLine.Environment),
        ("市场监管所", WorkLine.MarketSupervision),
        ("农业农村办公室", WorkLine.Agriculture),
        ("社区建设办公室", null),
        ("民生保障办公室", null),
        ("党群工作办公室", null),
    ];

    /// <summary>Partner units; a community index places the unit under that community, null under the street.</summary>
    private static readonly (string Name, int? Community, string Road)[] PartnerPlans =
    [
        ("示例区中医医院", null, "槐荫路"),
        ("示例区实验小学", 1, "育才路"),
        ("示例街道派出所", null, "示例路"),
        ("示例城建集团有限公司", null, "明德路"),
        ("示例区供电服务中心", null, "安宁路"),
        ("示例区消防救援站", 3, "银杏大街"),
        ("丰泽商贸有限公司", 5, "兴业路"),
    ];

    public async Task<IReadOnlyList<SeededLogin>> SeedAsync(Func<string, string> passwordFor, CancellationToken ct)
    {
        if (await db.OrgUnits.AnyAsync(o => o.Kind == OrgUnitKind.Street && o.Code == StreetCode, ct))
        {
            return [];
        }

        var random = new Random(Seed);
        var names = new DemoNames(random);
        var pending = new List<object>();
        var street = await PlanOrganizationAndGeographyAsync(random, names, pending, ct);
        var accounts = PlanAccounts(street, names, passwordFor);

        // A rerun skips a street that exists, so an account that cannot be created must stop us before anything is saved.
        await ValidateAccountsAsync(accounts, ct);
        db.AddRange(pending);
        await db.SaveChangesAsync(ct);

        var logins = new List<SeededLogin>();
        foreach (var account in accounts)
        {
            ct.ThrowIfCancellationRequested();
            Check(await userManager.CreateAsync(account.User, account.Password), account.User.UserName);
            Check(await userManager.AddToRoleAsync(account.User, account.Role), account.User.UserName);
            logins.Add(new SeededLogin(account.User.UserName!, account.User.DisplayName, account.Role, account.UnitName, account.Password));
        }
        return logins;
    }

    private async Task<SeededStreet> PlanOrganizationAndGeographyAsync(Random random, DemoNames names, List<object> pending, CancellationToken ct)
    {
        var addresses = new AddressBook(random);

        var district = await db.OrgUnits.FirstOrDefaultAsync(o => o.Kind == OrgUnitKind.District && o.Code == DistrictCode, ct);
        if (district is null)
        {
            district = new OrgUnit { Kind = OrgUnitKind.District, Name = "示例区", Code = DistrictCode, SortOrder = 1 };
            district.PlaceUnder(null);
            pending.Add(district);
        }

        var leaderName = names.PersonName();
        var street = NewUnit(pending, OrgUnitKind.Street, "示例街道", StreetCode, district, 1);
        street.ContactPerson = leaderName;
        street.ContactPhone = names.Mobile();
        street.Address = addresses.Next(CommunityPlans[0].Roads[0]);

        var departments = new List<OrgUnit>();
        for (var i = 0; i < DepartmentPlans.Length; i++)
        {
            var (name, line) = DepartmentPlans[i];
            var department = NewUnit(pending, OrgUnitKind.Department, name, UnitCode('D', i + 1), street, i + 1);
            department.WorkLine = line;
            department.ContactPerson = names.PersonName();
            department.ContactPhone = names.Mobile();
            department.Address = string.Create(CultureInfo.InvariantCulture, $"{street.Address} 示例街道办事处{2 + i / 3}层");
            departments.Add(department);
        }

        var layout = DemoStreetLayout.Build(random);
        var communities = new List<OrgUnit>();
        var grids = new List<SeededGrid>();
        var gridTypes = Shuffle(random,
            Enumerable.Repeat(GridType.Residential, 19)
                .Concat(Enumerable.Repeat(GridType.Mixed, 5))
                .Concat(Enumerable.Repeat(GridType.Commercial, 4))
                .Concat(Enumerable.Repeat(GridType.Campus, 2))
                .ToList());
        var agricultureOfficers = new[] { Person.Draw(names), Person.Draw(names) };

        for (var c = 0; c < CommunityPlans.Length; c++)
        {
            var (communityName, roads) = CommunityPlans[c];
            var shape = layout.Communities[c];
            var community = NewUnit(pending, OrgUnitKind.Community, communityName, Code(StreetCode, c + 1), street, c + 1);
            community.ContactPerson = names.PersonName();
            community.ContactPhone = names.Mobile();
            community.Address = addresses.Next(roads[0]);
            communities.Add(community);
            pending.Add(new CommunityBoundary
            {
                CommunityId = community.Id,
                Boundary = shape.Boundary,
                AreaSquareMeters = GeodesicArea.SquareMeters(shape.Boundary),
            });

            var lawOfficer = Person.Draw(names);
            var marketOfficer = Person.Draw(names);
            var shortName = communityName[..^"社区".Length];
            for (var g = 0; g < shape.Grids.Count; g++)
            {
                var leader = Person.Draw(names);
                var worker = Person.Draw(names);
                var grid = new Grid
                {
                    CommunityId = community.Id,
                    Code = Code(community.Code, g + 1),
                    Name = $"{shortName}第{DemoNames.Numeral(g + 1)}网格",
                    Type = gridTypes[grids.Count],
                    Boundary = shape.Grids[g],
                    AreaSquareMeters = GeodesicArea.SquareMeters(shape.Grids[g]),
                    Responsibilities =
                    [
                        Responsibility(WorkLine.Environment, worker),
                        Responsibility(WorkLine.Emergency, leader),
                        Responsibility(WorkLine.UrbanConstruction, worker),
                        Responsibility(WorkLine.LawEnforcement, lawOfficer),
                        Responsibility(WorkLine.MarketSupervision, marketOfficer),
                        Responsibility(WorkLine.Agriculture, agricultureOfficers[c % agricultureOfficers.Length]),
                    ],
                };
                grid.PlaceUnder(community);
                pending.Add(grid);
                grids.Add(new SeededGrid(grid, worker.Name));
                PlanCompounds(pending, random, names, addresses, grid, shape.Grids[g], roads);
            }
        }

        var partners = new List<OrgUnit>();
        for (var i = 0; i < PartnerPlans.Length; i++)
        {
            var (name, communityIndex, road) = PartnerPlans[i];
            var parent = communityIndex is { } index ? communities[index] : street;
            var partner = NewUnit(pending, OrgUnitKind.PartnerUnit, name, UnitCode('P', i + 1), parent, i + 1);
            partner.ContactPerson = names.PersonName();
            partner.ContactPhone = names.Mobile();
            partner.Address = addresses.Next(road);
            partners.Add(partner);
        }

        return new SeededStreet(street, leaderName, communities, grids, departments, partners);
    }

    private static OrgUnit NewUnit(List<object> pending, OrgUnitKind kind, string name, string code, OrgUnit parent, int sortOrder)
    {
        var unit = new OrgUnit { Kind = kind, Name = name, Code = code, ParentId = parent.Id, SortOrder = sortOrder };
        unit.PlaceUnder(parent);
        pending.Add(unit);
        return unit;
    }

    /// <summary>Administrative codes append three digits per level: 110199001 → 110199001001 → 110199001001001.</summary>
    private static string Code(string parentCode, int sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{parentCode}{sequence:D3}");

    /// <summary>Departments and partner units have no administrative code; the street's code, a letter and two digits.</summary>
    private static string UnitCode(char marker, int sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{StreetCode}{marker}{sequence:D2}");

    private static GridResponsibility Responsibility(WorkLine line, Person person) =>
        new() { WorkLine = line, PersonName = person.Name, PersonPhone = person.Phone };

    private static void PlanCompounds(List<object> pending, Random random, DemoNames names, AddressBook addresses, Grid grid, Polygon cell, string[] roads)
    {
        var profiles = CompoundProfiles(random, grid.Type);
        foreach (var profile in profiles)
        {
            var kind = profile switch
            {
                CompoundProfile.Office or CompoundProfile.Campus => CompoundKind.WorkUnit,
                _ => (CompoundKind)profile,
            };
            // A courtyard is known by its alley, and its house number is on that alley.
            var alley = profile == CompoundProfile.Courtyard ? names.Alley() : null;
            var name = profile switch
            {
                CompoundProfile.Office => names.OfficeName(),
                CompoundProfile.Campus => names.CampusName(),
                CompoundProfile.Courtyard => alley + "平房院落",
                _ => names.CompoundName(kind),
            };
            var (longitude, latitude) = DemoStreetLayout.PointInside(cell, random);
            var compound = new Compound
            {
                GridId = grid.Id,
                Name = name,
                Kind = kind,
                Address = addresses.Next(alley ?? roads[random.Next(roads.Length)]),
                Longitude = longitude,
                Latitude = latitude,
                PropertyCompany = profile switch
                {
                    CompoundProfile.Commercial or CompoundProfile.Resettlement or CompoundProfile.Office => names.PropertyCompany(),
                    CompoundProfile.OldResidential => "示例街道物业托管服务站",
                    CompoundProfile.WorkUnit or CompoundProfile.Campus => "单位自管",
                    _ => null,
                },
            };
            compound.PlaceUnder(grid);
            pending.Add(compound);

            var count = random.Next(3, 9);
            for (var n = 1; n <= count; n++)
            {
                var building = NewBuilding(random, compound, profile, n);
                building.PlaceUnder(compound);
                pending.Add(building);
            }
        }
    }

    private static List<CompoundProfile> CompoundProfiles(Random random, GridType type)
    {
        var count = random.Next(2, 5);
        List<CompoundProfile> profiles = type switch
        {
            GridType.Campus => [CompoundProfile.Campus],
            GridType.Commercial => [CompoundProfile.Office, random.Next(2) == 0 ? CompoundProfile.Office : CompoundProfile.Commercial],
            GridType.Mixed => [random.Next(2) == 0 ? CompoundProfile.Courtyard : CompoundProfile.OldResidential, CompoundProfile.Office],
            GridType.Industrial => [CompoundProfile.Office],
            GridType.Residential => [],
        };
        while (profiles.Count < count)
        {
            var roll = random.Next(100);
            profiles.Add(type == GridType.Campus
                ? roll < 60 ? CompoundProfile.WorkUnit : CompoundProfile.OldResidential
                : roll switch
                {
                    < 35 => CompoundProfile.Commercial,
                    < 65 => CompoundProfile.OldResidential,
                    < 80 => CompoundProfile.WorkUnit,
                    < 92 => CompoundProfile.Courtyard,
                    _ => CompoundProfile.Resettlement,
                });
        }
        return profiles;
    }

    private static Building NewBuilding(Random random, Compound compound, CompoundProfile profile, int number)
    {
        var (floors, entrances, perLanding, builtYear) = profile switch
        {
            CompoundProfile.Commercial => (random.Next(4) switch { 0 => 6, 1 => random.Next(9, 13), 2 => random.Next(14, 21), _ => random.Next(22, 29) },
                random.Next(1, 4), random.Next(2, 5), (int?)random.Next(1998, 2020)),
            CompoundProfile.OldResidential => (random.Next(4, 7), random.Next(2, 7), random.Next(2, 4), random.Next(1958, 1993)),
            CompoundProfile.WorkUnit => random.Next(5) == 0
                ? (12, random.Next(2, 4), random.Next(2, 4), random.Next(1985, 2000))
                : (random.Next(4, 8), random.Next(2, 6), random.Next(2, 4), random.Next(1965, 1999)),
            CompoundProfile.Resettlement => (random.Next(11, 25), random.Next(2, 5), random.Next(3, 5), random.Next(2006, 2019)),
            CompoundProfile.Courtyard => (1, 1, random.Next(2, 9), null),
            CompoundProfile.Office => (random.Next(10, 31), random.Next(1, 3), 0, random.Next(2000, 2021)),
            CompoundProfile.Campus => (random.Next(3, 7), random.Next(1, 4), 0, random.Next(1980, 2016)),
        };
        return new Building
        {
            CompoundId = compound.Id,
            Name = string.Create(CultureInfo.InvariantCulture, $"{number}{(profile == CompoundProfile.Courtyard ? "号院" : "号楼")}"),
            Floors = floors,
            Entrances = entrances,
            Households = profile == CompoundProfile.Courtyard ? perLanding : floors * entrances * perLanding,
            BuiltYear = builtYear,
        };
    }

    private static List<PlannedAccount> PlanAccounts(SeededStreet street, DemoNames names, Func<string, string> passwordFor)
    {
        var community1 = street.Communities[0];
        var community2 = street.Communities[1];
        var grid1 = street.Grids[0];
        var grid2 = street.Grids[1];
        var urbanDepartment = street.Departments.Single(d => d.WorkLine == WorkLine.UrbanConstruction);
        var partner1 = street.Partners[0];
        var plans = new List<(string UserName, string Role, string DisplayName, OrgUnit Unit, Guid ScopeNodeId, string ScopePath, SeededGrid? Grid)>
        {
            ("sysadmin", Roles.SystemAdmin, names.PersonName(), street.Street, street.Street.Id, street.Street.ScopePath, null),
            ("secadmin", Roles.SecurityAdmin, names.PersonName(), street.Street, street.Street.Id, street.Street.ScopePath, null),
            ("auditadmin", Roles.AuditAdmin, names.PersonName(), street.Street, street.Street.Id, street.Street.ScopePath, null),
            ("leader", Roles.StreetLeader, street.LeaderName, street.Street, street.Street.Id, street.Street.ScopePath, null),
            ("dispatcher", Roles.Dispatcher, names.PersonName(), street.Street, street.Street.Id, street.Street.ScopePath, null),
            ("worker1", Roles.CommunityWorker, names.PersonName(), community1, community1.Id, community1.ScopePath, null),
            ("worker2", Roles.CommunityWorker, names.PersonName(), community2, community2.Id, community2.ScopePath, null),
            ("grid1", Roles.GridWorker, grid1.WorkerName, community1, grid1.Grid.Id, grid1.Grid.ScopePath, grid1),
            ("grid2", Roles.GridWorker, grid2.WorkerName, community1, grid2.Grid.Id, grid2.Grid.ScopePath, grid2),
            ("dept1", Roles.DepartmentHandler, urbanDepartment.ContactPerson!, urbanDepartment, urbanDepartment.Id, urbanDepartment.ScopePath, null),
            ("partner1", Roles.PartnerUnitHandler, partner1.ContactPerson!, partner1, partner1.Id, partner1.ScopePath, null),
        };

        var accounts = new List<PlannedAccount>();
        foreach (var plan in plans)
        {
            var user = new AppUser
            {
                UserName = plan.UserName,
                DisplayName = plan.DisplayName,
                UnitId = plan.Unit.Id,
                ScopeNodeId = plan.ScopeNodeId,
                ScopePath = plan.ScopePath,
            };
            // The grid worker's own lines name the account, so the grid page links the person to a login.
            if (plan.Grid is { } seededGrid)
            {
                foreach (var responsibility in seededGrid.Grid.Responsibilities.Where(r => r.PersonName == seededGrid.WorkerName))
                {
                    responsibility.UserId = user.Id;
                }
            }
            accounts.Add(new PlannedAccount(user, plan.Role, plan.Unit.Name, passwordFor(plan.UserName)));
        }
        return accounts;
    }

    private async Task ValidateAccountsAsync(List<PlannedAccount> accounts, CancellationToken ct)
    {
        var roles = accounts.Select(a => userManager.NormalizeName(a.Role)).Distinct(StringComparer.Ordinal).ToList();
        var existing = await db.Roles.Where(r => roles.Contains(r.NormalizedName!)).Select(r => r.NormalizedName).ToListAsync(ct);
        var missing = roles.Except(existing, StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"Create the roles before seeding the demo street; missing: {string.Join(", ", missing)}.");
        }
        foreach (var account in accounts)
        {
            foreach (var validator in userManager.UserValidators)
            {
                Check(await validator.ValidateAsync(userManager, account.User), account.User.UserName);
            }
            foreach (var validator in userManager.PasswordValidators)
            {
                Check(await validator.ValidateAsync(userManager, account.User, account.Password), account.User.UserName);
            }
        }
    }

    private static void Check(IdentityResult result, string? userName)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"Could not seed the demo account '{userName}': {string.Join("; ", result.Errors.Select(e => $"{e.Code}: {e.Description}"))}");
        }
    }

    private static List<T> Shuffle<T>(Random random, List<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
        return items;
    }

    private enum CompoundProfile
    {
        Commercial = CompoundKind.Commercial,
        OldResidential = CompoundKind.OldResidential,
        WorkUnit = CompoundKind.WorkUnit,
        Courtyard = CompoundKind.Courtyard,
        Resettlement = CompoundKind.Resettlement,
        Office = 100,
        Campus = 101,
    }

    private sealed record Person(string Name, string Phone)
    {
        public static Person Draw(DemoNames names) => new(names.PersonName(), names.Mobile());
    }

    private sealed record SeededGrid(Grid Grid, string WorkerName);

    private sealed record PlannedAccount(AppUser User, string Role, string UnitName, string Password);

    private sealed record SeededStreet(
        OrgUnit Street,
        string LeaderName,
        List<OrgUnit> Communities,
        List<SeededGrid> Grids,
        List<OrgUnit> Departments,
        List<OrgUnit> Partners);

    /// <summary>House numbers climb along each road the way they do on the ground, so no two places share one.</summary>
    private sealed class AddressBook(Random random)
    {
        private readonly Dictionary<string, int> _next = new(StringComparer.Ordinal);

        public string Next(string road)
        {
            var number = _next.GetValueOrDefault(road) + random.Next(1, 9);
            _next[road] = number;
            return string.Create(CultureInfo.InvariantCulture, $"{road}{number}号");
        }
    }
}

/// <summary>
/// The demo street's polygons. Communities are a 3×2 lattice of jittered quadrilaterals; each is cut into a row of
/// two and a row of three grids. Every point on a shared boundary is computed once, from one edge and one
/// parameter, and used verbatim by every polygon on either side, so neighbours share identical vertices and the
/// tiling has neither gaps nor slivers.
/// </summary>
internal sealed class DemoStreetLayout
{
    private const int Columns = 3;
    private const int Rows = 2;
    private const double West = 116.386;
    private const double South = 39.903;
    private const double CellWidth = 0.0093;
    private const double CellHeight = 0.0070;
    private const double EdgeClearance = 0.0003;

    private DemoStreetLayout(IReadOnlyList<CommunityShape> communities) => Communities = communities;

    /// <summary>North row first, west to east: the order the communities are numbered in.</summary>
    public IReadOnlyList<CommunityShape> Communities { get; }

    public static DemoStreetLayout Build(Random random)
    {
        var lattice = new Coordinate[Columns + 1][];
        for (var i = 0; i <= Columns; i++)
        {
            lattice[i] = new Coordinate[Rows + 1];
            for (var j = 0; j <= Rows; j++)
            {
                lattice[i][j] = new Coordinate(
                    Math.Round(West + i * CellWidth + Jitter(random, CellWidth * 0.1), 6),
                    Math.Round(South + j * CellHeight + Jitter(random, CellHeight * 0.1), 6));
            }
        }
        var horizontal = new Edge[Columns][];
        for (var i = 0; i < Columns; i++)
        {
            horizontal[i] = new Edge[Rows + 1];
            for (var j = 0; j <= Rows; j++)
            {
                horizontal[i][j] = new Edge(lattice[i][j], lattice[i + 1][j]);
            }
        }
        var vertical = new Edge[Columns + 1][];
        for (var i = 0; i <= Columns; i++)
        {
            vertical[i] = new Edge[Rows];
            for (var j = 0; j < Rows; j++)
            {
                vertical[i][j] = new Edge(lattice[i][j], lattice[i][j + 1]);
            }
        }

        // Every cut is registered on its edge before any polygon is traced, so both sides see all of them.
        var plans = new List<CellPlan>();
        for (var j = Rows - 1; j >= 0; j--)
        {
            for (var i = 0; i < Columns; i++)
            {
                var bottomCount = random.Next(2) == 0 ? 2 : 3;
                var plan = new CellPlan(i, j, Between(random, 0.44, 0.56), Cuts(random, bottomCount), Cuts(random, 5 - bottomCount));
                vertical[i][j].Cut(plan.Middle);
                vertical[i + 1][j].Cut(plan.Middle);
                foreach (var cut in plan.BottomCuts)
                {
                    horizontal[i][j].Cut(cut);
                }
                foreach (var cut in plan.TopCuts)
                {
                    horizontal[i][j + 1].Cut(cut);
                }
                plans.Add(plan);
            }
        }

        var communities = new List<CommunityShape>();
        foreach (var plan in plans)
        {
            var bottom = horizontal[plan.Column][plan.Row];
            var top = horizontal[plan.Column][plan.Row + 1];
            var left = vertical[plan.Column][plan.Row];
            var right = vertical[plan.Column + 1][plan.Row];
            var s = plan.Middle;
            var middle = new Edge(left.At(s), right.At(s));
            foreach (var cut in plan.BottomCuts.Concat(plan.TopCuts))
            {
                middle.Cut(cut);
            }

            var boundary = new Ring().Walk(bottom, 0, 1).Walk(right, 0, 1).Walk(top, 1, 0).Walk(left, 1, 0).ToPolygon();
            var cells = new List<Polygon>();

            double[] topSplits = [0, .. plan.TopCuts, 1];
            for (var k = 0; k + 1 < topSplits.Length; k++)
            {
                var (from, to) = (topSplits[k], topSplits[k + 1]);
                var ring = new Ring().Walk(middle, from, to);
                ring = to == 1 ? ring.Walk(right, s, 1) : ring.Walk(new Edge(middle.At(to), top.At(to)), 0, 1);
                ring = ring.Walk(top, to, from);
                ring = from == 0 ? ring.Walk(left, 1, s) : ring.Walk(new Edge(middle.At(from), top.At(from)), 1, 0);
                cells.Add(ring.ToPolygon());
            }

            double[] bottomSplits = [0, .. plan.BottomCuts, 1];
            for (var k = 0; k + 1 < bottomSplits.Length; k++)
            {
                var (from, to) = (bottomSplits[k], bottomSplits[k + 1]);
                var ring = new Ring().Walk(bottom, from, to);
                ring = to == 1 ? ring.Walk(right, 0, s) : ring.Walk(new Edge(bottom.At(to), middle.At(to)), 0, 1);
                ring = ring.Walk(middle, to, from);
                ring = from == 0 ? ring.Walk(left, s, 0) : ring.Walk(new Edge(bottom.At(from), middle.At(from)), 1, 0);
                cells.Add(ring.ToPolygon());
            }
            communities.Add(new CommunityShape(boundary, cells));
        }
        return new DemoStreetLayout(communities);
    }

    /// <summary>A spot well inside the cell, rounded to about 0.1 m as a phone would report it.</summary>
    public static (double Longitude, double Latitude) PointInside(Polygon cell, Random random)
    {
        var envelope = cell.EnvelopeInternal;
        for (var attempt = 0; attempt < 500; attempt++)
        {
            var point = GeometryFactories.Wgs84.CreatePoint(new Coordinate(
                Math.Round(envelope.MinX + random.NextDouble() * envelope.Width, 6),
                Math.Round(envelope.MinY + random.NextDouble() * envelope.Height, 6)));
            if (cell.Contains(point) && cell.ExteriorRing.Distance(point) > EdgeClearance)
            {
                return (point.X, point.Y);
            }
        }
        var interior = cell.InteriorPoint;
        return (interior.X, interior.Y);
    }

    private static double Jitter(Random random, double amplitude) => (random.NextDouble() * 2 - 1) * amplitude;

    private static double Between(Random random, double low, double high) => Math.Round(low + random.NextDouble() * (high - low), 4);

    private static double[] Cuts(Random random, int cells) => cells switch
    {
        2 => [Between(random, 0.42, 0.58)],
        3 => [Between(random, 0.30, 0.37), Between(random, 0.63, 0.70)],
        _ => throw new ArgumentOutOfRangeException(nameof(cells), cells, "A row holds two or three grids."),
    };

    private sealed record CellPlan(int Column, int Row, double Middle, double[] BottomCuts, double[] TopCuts);

    /// <summary>A straight boundary segment and the parameters (0..1 from its start) where other boundaries meet it.</summary>
    private sealed class Edge(Coordinate start, Coordinate end)
    {
        private readonly SortedSet<double> _cuts = [];

        public void Cut(double t) => _cuts.Add(t);

        public Coordinate At(double t) => t switch
        {
            0 => start.Copy(),
            1 => end.Copy(),
            _ => new Coordinate(start.X + t * (end.X - start.X), start.Y + t * (end.Y - start.Y)),
        };

        /// <summary>From one parameter to another, through every cut in between.</summary>
        public IEnumerable<Coordinate> Walk(double from, double to)
        {
            yield return At(from);
            var inner = from < to
                ? _cuts.Where(t => t > from && t < to)
                : _cuts.Where(t => t > to && t < from).Reverse();
            foreach (var t in inner)
            {
                yield return At(t);
            }
            yield return At(to);
        }
    }

    private sealed class Ring
    {
        private readonly List<Coordinate> _points = [];

        public Ring Walk(Edge edge, double from, double to)
        {
            foreach (var point in edge.Walk(from, to))
            {
                if (_points.Count == 0 || !_points[^1].Equals2D(point))
                {
                    _points.Add(point);
                }
            }
            return this;
        }

        public Polygon ToPolygon()
        {
            if (!_points[0].Equals2D(_points[^1]))
            {
                _points.Add(_points[0].Copy());
            }
            var polygon = GeometryFactories.Wgs84.CreatePolygon([.. _points]);
            if (!polygon.IsValid || !polygon.Shell.IsCCW)
            {
                throw new InvalidOperationException($"The demo layout produced an invalid or clockwise polygon: {polygon}");
            }
            return polygon;
        }
    }
}

internal sealed record CommunityShape(Polygon Boundary, IReadOnlyList<Polygon> Grids);
