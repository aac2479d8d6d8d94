using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Community360.Cases.Repeats;

namespace Community360.Tests.Cases.Repeats;

/// <summary>How a labelled case relates to the problem it was generated from.</summary>
internal enum LabelKind
{
    /// <summary>The first report of a problem.</summary>
    Original,

    /// <summary>The same problem again, in other words, maybe by another caller, maybe with the address written otherwise.</summary>
    Repeat,

    /// <summary>The same problem again, but more than the window after the first report.</summary>
    LateRepeat,

    /// <summary>A neighbour's different complaint about the same building (or compound, or road).</summary>
    SamePlaceOtherProblem,

    /// <summary>Another problem of the same subcategory at the same place (the dog barks; another dog is off the leash).</summary>
    SamePlaceSameCategoryOtherIssue,

    /// <summary>The same kind of problem, worded alike, in another compound or on another road.</summary>
    SameTopicOtherPlace,

    /// <summary>The same kind of problem in another building of the same compound (e.g. another lift).</summary>
    SameTopicOtherBuilding,

    /// <summary>The same caller reporting something new.</summary>
    FrequentCallerNewProblem,

    /// <summary>The same long boilerplate opening, a different problem.</summary>
    Boilerplate,

    /// <summary>An unrelated case, so that the index is not made of look-alikes only.</summary>
    Filler,
}

/// <summary>One generated case and its label: cases with the same <see cref="Problem"/> are repeats of each other.</summary>
internal sealed record LabelledCase(
    RepeatDocument Document,
    int Problem,
    LabelKind Kind,
    int? DecoyOfProblem,
    string Subcategory,
    string? Address);

/// <summary>A labelled pair: <see cref="Later"/> is the probe, <see cref="Earlier"/> a case it should or should not match.</summary>
internal sealed record LabelledPair(LabelledCase Later, LabelledCase Earlier, bool IsRepeat, LabelKind Kind);

/// <summary>
/// A deterministic labelled set for the repeat finder: realistic street-office complaints about a few hundred base
/// problems, their paraphrased repeats (other wording, 三号楼 / 3栋 / 3幢, other callers, address missing or less
/// precise) and decoys that share something with them without being the same problem (same building and another
/// problem, same topic elsewhere, same caller with something new, the same boilerplate opening).
/// <para>
/// Ground truth: two cases are the same problem when they were generated from the same base problem; a pair is a
/// repeat pair when they are also at most <see cref="Window"/> apart. Two distinct problems of one subcategory never
/// share a place (building, compound or road by the subcategory's scope) within <see cref="ProblemSpacing"/>, so the
/// label never depends on a coincidence of the generator.
/// </para>
/// </summary>
internal sealed class RepeatLabelledSet
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);
    private static readonly TimeSpan ProblemSpacing = TimeSpan.FromDays(95);
    private static readonly DateTime Start = new(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc);
    private const int SpanDays = 200;

    public required IReadOnlyList<LabelledCase> Cases { get; init; }
    public required IReadOnlyDictionary<string, Guid> CategoryIds { get; init; }

    /// <summary>"噪声扰民/施工噪声" for a subcategory id, as a dispatcher sees it.</summary>
    public required Func<Guid, string?> CategoryLabel { get; init; }

    /// <summary>Earlier cases of the same problem within the window: what the finder should return as repeats.</summary>
    public IEnumerable<LabelledCase> EarlierRepeatsOf(LabelledCase probe) =>
        Cases.Where(c => c.Problem == probe.Problem && IsEarlierWithinWindow(probe, c));

    public static bool IsEarlierWithinWindow(LabelledCase probe, LabelledCase other) =>
        other.Document.CaseId != probe.Document.CaseId
        && other.Document.ReceivedAtUtc <= probe.Document.ReceivedAtUtc
        && probe.Document.ReceivedAtUtc - other.Document.ReceivedAtUtc <= Window;

    /// <summary>
    /// Every pair the generator built on purpose: repeats (and late repeats, labelled negative), and each decoy against
    /// the cases of the problem it imitates. Any other pair is a negative too, but not a designed one.
    /// </summary>
    public IEnumerable<LabelledPair> Pairs()
    {
        var byProblem = Cases.ToLookup(c => c.Problem);
        foreach (var later in Cases)
        {
            foreach (var earlier in byProblem[later.Problem])
            {
                if (earlier.Document.ReceivedAtUtc < later.Document.ReceivedAtUtc)
                {
                    var within = IsEarlierWithinWindow(later, earlier);
                    yield return new LabelledPair(later, earlier, within, within ? LabelKind.Repeat : LabelKind.LateRepeat);
                }
            }
            if (later.DecoyOfProblem is { } imitated)
            {
                foreach (var other in byProblem[imitated])
                {
                    var (newer, older) = other.Document.ReceivedAtUtc <= later.Document.ReceivedAtUtc ? (later, other) : (other, later);
                    if (IsEarlierWithinWindow(newer, older))
                    {
                        yield return new LabelledPair(newer, older, false, later.Kind);
                    }
                }
            }
        }
    }

    public static RepeatLabelledSet Generate(int seed, int baseProblems = 320, int fillers = 200)
    {
        var generator = new Generator(seed);
        return generator.Run(baseProblems, fillers);
    }

    private enum Scope
    {
        Building,
        Compound,
        Road,
    }

    /// <summary>
    /// One problem a subcategory covers: the titles an operator gives it (工单标题), the ways callers describe it ({P} the
    /// place, {X} the detail) and the details that tell one such problem from another.
    /// </summary>
    private sealed record Issue(string[] Titles, string[] Phrasings, string[] Details);

    private sealed record Subcategory(string Parent, string Name, Scope Scope, Issue[] Issues)
    {
        public string Label => Parent + "/" + Name;

        /// <summary>
        /// False where two issues of the subcategory at one place are arguably one problem (a lift that stops and a lift
        /// that rattles): no decoy is made of them, and the subcategory has one problem per place at a time.
        /// </summary>
        public bool IssuesAreDistinct => Issues.Length > 1 && Name != "电梯故障";
    }

    /// <summary>Where a problem is: a compound (and building) or a road (and door number).</summary>
    private sealed record Place(int Compound, int Building, int Road, int Door, int SubLocation);

    private sealed record Problem(int Id, Subcategory Subcategory, int Issue, int Detail, Place Place, DateTime At, string Phone, bool Boilerplate, int Phrasing);

    private sealed class Generator(int seed)
    {
        private readonly Random _random = new(seed);
        private readonly List<LabelledCase> _cases = [];
        private readonly List<Problem> _problems = [];
        private readonly Dictionary<string, Guid> _categoryIds = new(StringComparer.Ordinal);
        private readonly Dictionary<Guid, string> _labels = [];
        private readonly PhoneHasher _hasher = new(Encoding.UTF8.GetBytes("labelled-set-key-" + seed.ToString(CultureInfo.InvariantCulture)));
        private readonly string[] _frequentCallers = new string[12];
        private int _nextProblem;

        public RepeatLabelledSet Run(int baseProblems, int fillers)
        {
            foreach (var sub in Catalog)
            {
                Category(sub.Parent);
                Category(sub.Label);
            }
            for (var i = 0; i < _frequentCallers.Length; i++)
            {
                _frequentCallers[i] = NewPhone();
            }
            for (var i = 0; i < baseProblems; i++)
            {
                var problem = NewProblem(Pick(Catalog), At(), place: null, phone: Chance(0.2) ? Pick(_frequentCallers) : NewPhone(), boilerplate: Chance(0.15));
                if (problem is null)
                {
                    continue;
                }
                Emit(problem, LabelKind.Original, null, problem.At, problem.Phone, firstReport: true);
                AddRepeats(problem);
                AddDecoys(problem);
            }
            for (var i = 0; i < fillers; i++)
            {
                if (NewProblem(Pick(Catalog), At(), place: null, phone: NewPhone(), boilerplate: Chance(0.1)) is { } filler)
                {
                    Emit(filler, LabelKind.Filler, null, filler.At, filler.Phone, firstReport: true);
                }
            }
            var labels = _labels;
            return new RepeatLabelledSet
            {
                Cases = [.. _cases.OrderBy(c => c.Document.ReceivedAtUtc)],
                CategoryIds = _categoryIds,
                CategoryLabel = id => labels.GetValueOrDefault(id),
            };
        }

        private void AddRepeats(Problem problem)
        {
            var count = _random.NextDouble() switch
            {
                < 0.35 => 0,
                < 0.70 => 1,
                < 0.90 => 2,
                _ => 3,
            };
            for (var i = 0; i < count; i++)
            {
                var at = problem.At + TimeSpan.FromHours(_random.Next(6, 28 * 24));
                var phone = Chance(0.5) ? problem.Phone : NewPhone();
                Emit(problem, LabelKind.Repeat, null, at, phone, firstReport: false);
            }
            if (Chance(0.08))
            {
                Emit(problem, LabelKind.LateRepeat, null, problem.At + TimeSpan.FromDays(_random.Next(36, 50)), NewPhone(), firstReport: false);
            }
        }

        private void AddDecoys(Problem problem)
        {
            var near = () => problem.At + TimeSpan.FromHours(_random.Next(-20 * 24, 20 * 24));
            if (Chance(0.35))
            {
                // A neighbour's (sometimes the same caller's) different complaint about the same place.
                var others = Catalog.Where(s => s.Scope == problem.Subcategory.Scope && s != problem.Subcategory).ToList();
                if (NewProblem(Pick(others), near(), problem.Place, Chance(0.3) ? problem.Phone : NewPhone(), problem.Boilerplate && Chance(0.5)) is { } decoy)
                {
                    Emit(decoy, LabelKind.SamePlaceOtherProblem, problem.Id, decoy.At, decoy.Phone, firstReport: true);
                }
            }
            // Rarer than a repeat: a second, different problem of the same subcategory at the same place within weeks.
            if (problem.Subcategory.IssuesAreDistinct && Chance(0.15))
            {
                var otherIssue = OtherThan(problem.Issue, 0, problem.Subcategory.Issues.Length);
                if (NewProblem(problem.Subcategory, near(), problem.Place, NewPhone(), problem.Boilerplate && Chance(0.5), otherIssue, otherIssueAtSamePlace: true) is { } decoy)
                {
                    Emit(decoy, LabelKind.SamePlaceSameCategoryOtherIssue, problem.Id, decoy.At, decoy.Phone, firstReport: true);
                }
            }
            if (Chance(0.35))
            {
                // The same issue, often in the same words, somewhere else.
                var elsewhere = RandomPlace(problem.Subcategory.Scope);
                if (NewProblem(problem.Subcategory, near(), elsewhere, NewPhone(), problem.Boilerplate, problem.Issue, Chance(0.5) ? problem.Phrasing : -1) is { } decoy)
                {
                    Emit(decoy, LabelKind.SameTopicOtherPlace, problem.Id, decoy.At, decoy.Phone, firstReport: true);
                }
            }
            if (problem.Subcategory.Scope == Scope.Building && Chance(0.35))
            {
                var otherBuilding = problem.Place with { Building = OtherThan(problem.Place.Building, 1, 19) };
                if (NewProblem(problem.Subcategory, near(), otherBuilding, NewPhone(), problem.Boilerplate, problem.Issue, Chance(0.5) ? problem.Phrasing : -1) is { } decoy)
                {
                    Emit(decoy, LabelKind.SameTopicOtherBuilding, problem.Id, decoy.At, decoy.Phone, firstReport: true);
                }
            }
            if (Chance(0.3))
            {
                // The same caller again, about something new, often near home.
                var place = Chance(0.5) && problem.Subcategory.Scope != Scope.Road ? problem.Place : null;
                var subs = Catalog.Where(s => s != problem.Subcategory && (place is null || s.Scope != Scope.Road)).ToList();
                if (NewProblem(Pick(subs), near(), place, problem.Phone, boilerplate: false) is { } decoy)
                {
                    Emit(decoy, LabelKind.FrequentCallerNewProblem, problem.Id, decoy.At, decoy.Phone, firstReport: true);
                }
            }
            if (problem.Boilerplate && Chance(0.6))
            {
                var subs = Catalog.Where(s => s != problem.Subcategory).ToList();
                if (NewProblem(Pick(subs), near(), null, NewPhone(), boilerplate: true, boilerplateIndex: BoilerplateOf(problem)) is { } decoy)
                {
                    Emit(decoy, LabelKind.Boilerplate, problem.Id, decoy.At, decoy.Phone, firstReport: true);
                }
            }
        }

        private static int BoilerplateOf(Problem problem) => problem.Id % Boilerplates.Length;

        /// <summary>
        /// A new problem, or null when its subcategory already has a problem at that place in the spacing (another issue
        /// of it may be there when <paramref name="otherIssueAtSamePlace"/>: that decoy is made on purpose, not by chance).
        /// </summary>
        private Problem? NewProblem(
            Subcategory sub,
            DateTime at,
            Place? place,
            string phone,
            bool boilerplate,
            int issue = -1,
            int phrasing = -1,
            int boilerplateIndex = -1,
            bool otherIssueAtSamePlace = false)
        {
            for (var attempt = 0; attempt < 20; attempt++)
            {
                var candidatePlace = place is not null && attempt == 0 ? Adapt(place, sub.Scope) : RandomPlace(sub.Scope);
                if (place is not null && attempt > 0)
                {
                    return null;
                }
                var chosenIssue = issue >= 0 ? issue : _random.Next(sub.Issues.Length);
                if (_problems.Any(p => p.Subcategory == sub && (p.Issue == chosenIssue || !otherIssueAtSamePlace)
                    && SameScopePlace(p.Place, candidatePlace, sub.Scope) && (p.At - at).Duration() < ProblemSpacing))
                {
                    continue;
                }
                var problem = new Problem(
                    _nextProblem++,
                    sub,
                    chosenIssue,
                    _random.Next(sub.Issues[chosenIssue].Details.Length),
                    candidatePlace,
                    at,
                    phone,
                    boilerplate,
                    phrasing >= 0 ? phrasing : _random.Next(sub.Issues[chosenIssue].Phrasings.Length));
                if (boilerplateIndex >= 0)
                {
                    _boilerplateOverride[problem.Id] = boilerplateIndex;
                }
                _problems.Add(problem);
                return problem;
            }
            return null;
        }

        private readonly Dictionary<int, int> _boilerplateOverride = [];

        private static bool SameScopePlace(Place a, Place b, Scope scope) => scope switch
        {
            Scope.Building => a.Compound == b.Compound && a.Building == b.Building,
            Scope.Compound => a.Compound == b.Compound,
            Scope.Road => a.Road == b.Road,
        };

        private Place Adapt(Place place, Scope scope) => scope switch
        {
            Scope.Road => place.Road >= 0 ? place : RandomPlace(Scope.Road),
            _ => place.Compound >= 0 ? place with { Building = place.Building > 0 ? place.Building : _random.Next(1, 19) } : RandomPlace(scope),
        };

        private Place RandomPlace(Scope scope) => scope == Scope.Road
            ? new Place(-1, 0, _random.Next(Roads.Length), _random.Next(1, 120), _random.Next(RoadSpots.Length))
            : new Place(_random.Next(Compounds.Length), _random.Next(1, 19), -1, 0, _random.Next(CompoundSpots.Length));

        private void Emit(Problem problem, LabelKind kind, int? decoyOf, DateTime at, string phone, bool firstReport)
        {
            var sub = problem.Subcategory;
            var issue = sub.Issues[problem.Issue];
            var phrasing = firstReport || Chance(0.15)
                ? problem.Phrasing
                : OtherThan(problem.Phrasing, 0, issue.Phrasings.Length);
            // A repeat keeps the detail most of the time; otherwise the caller describes it another way.
            var detail = firstReport || Chance(0.7) ? problem.Detail : _random.Next(issue.Details.Length);
            var mention = Chance(0.85) ? MentionPlace(problem.Place, sub.Scope) : string.Empty;
            var template = mention.Length == 0 ? issue.Phrasings[phrasing].Replace("{P}的", "", StringComparison.Ordinal) : issue.Phrasings[phrasing];
            var main = template
                .Replace("{P}", mention, StringComparison.Ordinal)
                .Replace("{X}", issue.Details[detail], StringComparison.Ordinal);
            // The title an operator gives the case: a usual name of the issue, or just the subcategory, at times after the place.
            var title = Chance(0.7) ? Pick(issue.Titles) : sub.Name;
            if (Chance(0.4))
            {
                title = (sub.Scope == Scope.Road ? Roads[problem.Place.Road] : CompoundForm(problem.Place.Compound)) + title;
            }
            var text = new StringBuilder(title).Append('。');
            if (problem.Boilerplate && (firstReport || Chance(0.5)))
            {
                var index = _boilerplateOverride.TryGetValue(problem.Id, out var forced) ? forced : BoilerplateOf(problem);
                text.Append(Boilerplates[index]);
            }
            else
            {
                text.Append(Pick(Openings));
            }
            if (!firstReport && Chance(0.5))
            {
                text.Append(Pick(RepeatMarkers));
            }
            text.Append(main).Append('，');
            if (Chance(0.4))
            {
                text.Append(Pick(Extras));
            }
            text.Append(Pick(Closings));

            // Operators must record where the problem is and app reports are located, so an address is rarely missing.
            var address = Chance(firstReport ? 0.03 : 0.04) ? null : WriteAddress(problem.Place, sub.Scope);
            // A saved case always has a subcategory (Case.CategoryId is required); only a probe at intake may lack one.
            var categoryId = _categoryIds[sub.Label];
            var parentId = _categoryIds[sub.Parent];
            // Most cases are located (hence a community); some addresses were picked from the compound register.
            var community = Chance(0.8) ? CommunityOf(problem.Place) : (Guid?)null;
            var registered = sub.Scope != Scope.Road && address is not null && Chance(0.4) ? Compounds[problem.Place.Compound].Name : null;
            var document = new RepeatDocument(
                NewGuid(),
                at,
                categoryId,
                parentId,
                community,
                _hasher.Hash(phone),
                PlaceNormalizer.Normalize(registered, address),
                text.ToString())
            {
                Address = address,
            };
            _cases.Add(new LabelledCase(document, problem.Id, kind, decoyOf, sub.Label, address));
        }

        /// <summary>Three compounds to a community; each road in one community.</summary>
        private static Guid CommunityOf(Place place)
        {
            var number = place.Compound >= 0 ? place.Compound / 3 : place.Road % 10;
            return new Guid(number + 1, 0, 0, new byte[8]);
        }

        private string MentionPlace(Place place, Scope scope)
        {
            if (scope == Scope.Road)
            {
                var road = Roads[place.Road];
                return _random.Next(5) switch
                {
                    0 => road + place.Door.ToString(CultureInfo.InvariantCulture) + "号门口",
                    1 => road + place.Door.ToString(CultureInfo.InvariantCulture) + "号附近",
                    2 => road + RoadSpots[place.SubLocation],
                    3 => road + "上",
                    _ => road + place.Door.ToString(CultureInfo.InvariantCulture) + "号",
                };
            }
            var compound = CompoundForm(place.Compound);
            if (scope == Scope.Compound)
            {
                return Chance(0.5) ? compound + CompoundSpots[place.SubLocation] : compound;
            }
            return compound + BuildingForm(place.Building);
        }

        private string WriteAddress(Place place, Scope scope)
        {
            var prefix = _random.Next(10) switch
            {
                0 => "示例区示例街道",
                1 => "示例街道",
                _ => string.Empty,
            };
            if (scope == Scope.Road)
            {
                var road = Roads[place.Road];
                return prefix + (_random.Next(6) switch
                {
                    0 => road + "与" + Pick(Roads.Where(r => r != road).ToArray()) + "交叉口",
                    1 => road + RoadSpots[place.SubLocation],
                    _ => road + place.Door.ToString(CultureInfo.InvariantCulture) + "号",
                });
            }
            var compound = CompoundForm(place.Compound);
            if (scope == Scope.Compound)
            {
                // Now and then the operator records the caller's home rather than where the problem is.
                return prefix + compound + (_random.Next(10) switch
                {
                    0 => BuildingForm(_random.Next(1, 19)),
                    < 5 => CompoundSpots[place.SubLocation],
                    _ => string.Empty,
                });
            }
            var building = Chance(0.1) ? string.Empty : BuildingForm(place.Building);
            var unit = building.Length > 0 && Chance(0.5)
                ? _random.Next(1, 7).ToString(CultureInfo.InvariantCulture) + "单元" + (Chance(0.5) ? (_random.Next(1, 19) * 100 + _random.Next(1, 5)).ToString(CultureInfo.InvariantCulture) : string.Empty)
                : string.Empty;
            return prefix + compound + building + unit;
        }

        private string CompoundForm(int compound)
        {
            var (name, shortName) = Compounds[compound];
            return shortName is not null && Chance(0.4) ? shortName : name;
        }

        private string BuildingForm(int building)
        {
            var digits = building.ToString(CultureInfo.InvariantCulture);
            var chinese = ChineseNumber(building);
            return _random.Next(8) switch
            {
                0 => chinese + "号楼",
                1 => digits + "栋",
                2 => digits + "幢",
                3 => chinese + "栋",
                4 => digits + "#楼",
                _ => digits + "号楼",
            };
        }

        private static string ChineseNumber(int n)
        {
            const string Digits = "零一二三四五六七八九";
            return n switch
            {
                < 10 => Digits[n].ToString(),
                10 => "十",
                < 20 => "十" + Digits[n - 10],
                _ => string.Concat(Digits[n / 10].ToString(), "十", n % 10 == 0 ? string.Empty : Digits[n % 10].ToString()),
            };
        }

        private string NewPhone() => "1" + _random.Next(3, 10).ToString(CultureInfo.InvariantCulture)
            + _random.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);

        private Guid NewGuid()
        {
            var bytes = new byte[16];
            _random.NextBytes(bytes);
            return new Guid(bytes);
        }

        private Guid Category(string label)
        {
            if (!_categoryIds.TryGetValue(label, out var id))
            {
                id = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(label)).AsSpan(0, 16));
                _categoryIds[label] = id;
                _labels[id] = label;
            }
            return id;
        }

        private DateTime At() => Start + TimeSpan.FromMinutes(_random.Next(SpanDays * 24 * 60));

        private bool Chance(double p) => _random.NextDouble() < p;

        private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

        private int OtherThan(int value, int min, int maxExclusive)
        {
            if (maxExclusive - min <= 1)
            {
                return value;
            }
            int other;
            do
            {
                other = _random.Next(min, maxExclusive);
            }
            while (other == value);
            return other;
        }
    }

    private static readonly (string Name, string? Short)[] Compounds =
    [
        ("翠园小区", "翠园"), ("幸福家园", null), ("阳光花园", "阳光花园小区"), ("和平里", "和平里小区"), ("东方公寓", null),
        ("锦绣苑", "锦绣苑小区"), ("建设里", null), ("光明小区", "光明"), ("枫林苑", null), ("金桥家园", null),
        ("柳荫小区", "柳荫"), ("新华里", null), ("青年公寓", null), ("育才小区", "育才"), ("长安苑", null),
        ("华庭小区", "华庭"), ("丽景湾", null), ("春晖园", null), ("碧水苑", null), ("石榴园小区", "石榴园"),
        ("桃源小区", "桃源"), ("静安里", null), ("安康家园", null), ("惠民小区", "惠民"), ("丰和苑", null),
        ("朝晖小区", "朝晖"), ("景泰园", null), ("双榆里", null), ("芳草地小区", "芳草地"), ("紫荆花园", null),
    ];

    private static readonly string[] CompoundSpots = ["东门", "北门口", "南侧空地", "中心广场", "地下车库入口", "西门", "垃圾站旁边", "小花园"];

    private static readonly string[] Roads =
    [
        "示例路", "幸福街", "建设路", "人民路", "和平街", "文化路", "光华路", "新兴路", "育才路", "滨河路",
        "长安街", "朝阳路", "民主路", "团结路", "胜利街", "青年路", "工农路", "振兴路",
    ];

    private static readonly string[] RoadSpots = ["公交站旁边", "路口", "菜市场门口", "学校门口", "天桥下面", "便利店门口"];

    private static readonly string[] Openings =
    [
        "", "", "", "您好，", "你好，", "市民来电反映：", "来电人反映：", "来电人称：", "市民反映，", "我要反映一个问题，",
        "麻烦帮忙处理一下，", "有个事情想反映一下，", "网格员巡查发现：", "居民反映，",
    ];

    private static readonly string[] Boilerplates =
    [
        "您好，我是附近的居民，我要反映一个问题，这个问题已经存在很长时间了，严重影响了我们的正常生活，",
        "市民来电反映：本人长期居住在本社区，对社区工作一直很支持，但是最近遇到一个问题需要向政府反映，",
        "你好，我想反映一个情况，希望领导能够重视，我们老百姓实在是没有办法了才打这个电话，",
    ];

    private static readonly string[] RepeatMarkers =
    [
        "之前反映过，一直没有解决，", "上周已经打过电话了，", "再次反映，", "这个问题反映好几次了，", "还是没人管，",
        "前几天打过电话，", "第二次反映了，",
    ];

    private static readonly string[] Extras =
    [
        "已经找过物业了，没有解决，", "家里有老人和孩子，", "孩子马上要考试了，", "大家意见都很大，", "已经持续好长时间了，",
        "社区也说管不了，", "拍了照片可以提供，",
    ];

    private static readonly string[] Closings =
    [
        "希望尽快处理。", "请相关部门尽快解决。", "希望有关部门管一管。", "已经影响正常生活了。", "请尽快派人查看。", "谢谢。",
        "市民诉求：尽快解决。", "要求尽快处理并回复。", "",
    ];

    private static readonly Subcategory[] Catalog =
    [
        new("噪声扰民", "施工噪声", Scope.Compound,
        [
            new(["工地夜间施工扰民", "夜间施工噪音"], ["{P}旁边的工地{X}还在施工，机器声音特别大，根本没法睡觉", "{P}附近工地夜间施工扰民，{X}还在打桩",
                "{X}了工地还在干活，{P}的居民都被吵醒了", "{P}边上施工噪音太大，{X}都不停工"],
                ["晚上十一点以后", "凌晨一两点", "夜里十二点多", "晚上十点以后"]),
            new(["破路施工噪音大", "道路施工噪声扰民"], ["{P}门口破路施工，{X}电镐响个不停", "{P}外面在挖路，{X}噪声很大，老人孩子受不了",
                "{X}{P}前面的马路施工，电镐声音震耳朵"],
                ["一大早六点", "中午休息时间", "整个白天"]),
        ]),
        new("噪声扰民", "商业经营噪声", Scope.Road,
        [
            new(["商铺大喇叭噪音扰民", "店铺音响扰民"], ["{P}{X}每天用大喇叭循环播放促销广告，吵得不行", "{P}的{X}门口放音响招揽顾客，声音特别大",
                "{X}在{P}外摆音箱喊麦，从早到晚不停"],
                ["一家服装店", "一家手机店", "超市", "一家药店"]),
            new(["烧烤店夜间噪音扰民", "夜间经营噪音"], ["{P}的{X}营业到后半夜，客人喝酒划拳声音很大", "{P}{X}晚上太吵了，一直闹到凌晨两三点",
                "晚上{P}那家{X}噪音扰民，严重影响休息"],
                ["烧烤店", "小酒馆", "大排档", "KTV"]),
        ]),
        new("噪声扰民", "社会生活噪声", Scope.Compound,
        [
            new(["广场舞噪音扰民", "广场舞音响太大"], ["{P}{X}跳广场舞，音响开得特别大", "{P}里有人{X}跳舞放音乐，声音太响了",
                "{X}{P}的广场舞音乐太吵，希望控制一下音量"],
                ["晚上七点到九点半", "早上六点", "每天晚上"]),
        ]),
        new("市容环境", "垃圾清运", Scope.Compound,
        [
            new(["垃圾清运不及时", "垃圾无人清运"], ["{P}的垃圾桶已经{X}没人清运了，满得溢出来，味道很大", "{P}垃圾堆了{X}没人拉走，招了很多苍蝇",
                "{P}垃圾站{X}没有清理，臭气熏天", "{P}垃圾没人收，已经{X}了"],
                ["三天", "一个星期", "好几天", "四五天"]),
            new(["装修垃圾无人清理", "建筑垃圾乱倒"], ["{P}{X}堆了大量装修垃圾，一直没人清理", "有人在{P}{X}乱倒建筑垃圾，越堆越多",
                "{P}{X}的装修渣土堆成小山了，没人管"],
                ["东门口", "北侧空地", "自行车棚旁边", "绿地上"]),
        ]),
        new("市容环境", "占道经营", Scope.Road,
        [
            new(["商贩占道摆摊", "流动摊贩占道经营"], ["{P}{X}有很多小商贩占道摆摊，车都过不去", "{X}{P}的路边摊占了整条人行道",
                "{P}流动摊贩{X}占道经营，堵塞交通，还很脏乱"],
                ["早上", "每天傍晚", "周末"]),
            new(["店外经营占用人行道", "商户占道经营"], ["{P}的{X}把货摆到人行道上，行人只能走机动车道", "{P}{X}店外经营，占用人行道",
                "{X}长期在{P}门前人行道上摆放货物"],
                ["水果店", "饭馆", "五金店"]),
        ]),
        new("违章建设", "私搭乱建", Scope.Building,
        [
            new(["私搭乱建", "一楼违规扩建"], ["{P}{X}私自扩建院子，搭了彩钢板房", "{P}的{X}在楼前违规搭建房屋，占用公共绿地",
                "{X}在{P}楼下私搭乱建，已经盖了一半了"],
                ["一楼住户", "底商", "一层的住户"]),
        ]),
        new("违章建设", "楼顶违建", Scope.Building,
        [
            new(["楼顶违建", "楼顶私自加盖"], ["{P}{X}在楼顶搭建阳光房", "{P}楼顶有人违建，是{X}私自加盖的", "{X}在{P}屋顶加盖房子，担心楼板承重"],
                ["顶层住户", "六楼住户", "顶楼的人家"]),
        ]),
        new("市政设施", "路灯故障", Scope.Road,
        [
            new(["路灯不亮", "路灯损坏"], ["{P}{X}路灯不亮，晚上黑漆漆的走路不安全", "{P}的路灯坏了，{X}都不亮了", "晚上{P}没有路灯照明，{X}灯都坏了"],
                ["好几盏", "一排", "三盏", "一半以上的"]),
            new(["路灯白天亮灯", "路灯白天不关"], ["{P}的路灯{X}也亮着，浪费电", "{X}{P}路灯一直开着没人关", "{P}路灯控制有问题，{X}亮灯"],
                ["白天", "一整天", "大白天"]),
        ]),
        new("市政设施", "排水设施", Scope.Road,
        [
            new(["下水道堵塞", "排水不畅"], ["{P}下水道堵了，{X}", "{P}的排水管道堵塞，{X}，走路都得绕开", "{P}雨水井不通，{X}"],
                ["污水漫到路面上", "一下雨就积水", "井盖往外冒水"]),
        ]),
        new("市政设施", "井盖缺失破损", Scope.Road,
        [
            new(["井盖缺失", "井盖破损"], ["{P}{X}有个井盖丢了，很危险", "{X}{P}的井盖破了一个大洞", "{P}{X}井盖缺失，晚上容易掉进去"],
                ["人行道上", "非机动车道上", "公交站旁边"]),
        ]),
        new("市政设施", "道路破损", Scope.Road,
        [
            new(["道路破损", "路面坑洼"], ["{P}路面有{X}，骑车很容易摔", "{P}的路坏了，出现{X}", "{P}道路破损严重，有{X}，一直没修"],
                ["一个大坑", "好几个坑", "一大片塌陷"]),
        ]),
        new("物业管理", "物业服务质量", Scope.Compound,
        [
            new(["物业保洁不到位", "物业卫生差"], ["{P}物业不作为，{X}好久没人打扫了", "{P}的{X}卫生太差，物业也不管", "{P}物业保洁不到位，{X}脏得很"],
                ["楼道", "电梯间", "小区道路"]),
            new(["物业管理混乱", "小区门禁管理问题"], ["{P}物业管理混乱，{X}，存在安全隐患", "{P}{X}，物业也不管", "反映{P}物业问题：{X}"],
                ["门禁坏了", "大门一直不关", "外来人员随便进出"]),
        ]),
        new("物业管理", "公共设施维修", Scope.Building,
        [
            new(["楼道灯不亮", "楼道灯损坏"], ["{P}{X}楼道灯坏了，晚上上下楼看不见", "{P}的楼道灯不亮，{X}都是黑的", "{P}楼道照明坏了，{X}没有灯"],
                ["三到六层", "一楼", "整个单元"]),
            new(["单元门损坏", "单元门门禁故障"], ["{P}单元门{X}，物业一直不修", "{P}的单元门禁{X}", "{P}单元门坏了，{X}，谁都能进"],
                ["关不上", "门锁坏了", "不能用"]),
        ]),
        new("物业管理", "电梯故障", Scope.Building,
        [
            new(["电梯故障", "电梯停运"], ["{P}电梯坏了，停在{X}不动", "{P}的电梯又出故障了，卡在{X}", "{P}电梯停运好几天了，老人只能爬楼",
                "{P}电梯经常坏，今天又停在{X}"],
                ["十几层", "五楼", "半路"]),
            new(["电梯异响", "电梯运行异常"], ["{P}电梯运行时有{X}异响，大家不敢坐", "{P}的电梯声音不正常，{X}响", "坐{P}电梯时听到{X}声音，担心安全"],
                ["咣当咣当的", "吱吱的", "很大的"]),
        ]),
        new("邻里纠纷", "楼道堆物", Scope.Building,
        [
            new(["楼道堆物", "楼道堆放杂物"], ["{P}楼道里堆满了{X}，消防通道都堵了", "{P}有住户在楼道堆放{X}，存在火灾隐患", "{P}的楼道被{X}占满了，上下楼都困难"],
                ["纸箱和旧家具", "废品", "自行车和杂物"]),
        ]),
        new("邻里纠纷", "养犬纠纷", Scope.Building,
        [
            new(["狗叫扰民", "犬吠扰民"], ["{P}有住户养的狗{X}叫个不停", "{P}楼上的狗{X}一直叫，吵得没法休息", "{X}{P}有狗狂叫，扰民严重"],
                ["半夜", "一整天", "早上五点"]),
            new(["遛狗不拴绳", "不文明养犬"], ["{P}有人遛狗{X}，孩子被吓到了", "{P}的狗主人遛狗{X}", "{P}遛狗{X}的问题很严重"],
                ["不拴绳", "不清理粪便", "大型犬不拴绳"]),
        ]),
        new("邻里纠纷", "漏水纠纷", Scope.Building,
        [
            new(["楼上漏水", "邻里漏水纠纷"], ["{P}楼上{X}漏水，渗到我家了，楼上不配合维修", "{P}楼上住户{X}往下渗水，协商不成", "{P}我家{X}天花板被楼上漏水泡坏了"],
                ["卫生间", "厨房", "阳台"]),
        ]),
        new("安全隐患", "电动自行车充电", Scope.Building,
        [
            new(["电动车违规充电", "楼道飞线充电"], ["{P}有人在{X}给电动车充电，飞线很危险", "{P}{X}停了好几辆电动车在充电", "{X}电动车充电，{P}的住户很担心起火"],
                ["一楼楼道", "单元门口", "楼梯间"]),
        ]),
        new("供水供电供气供暖", "供暖", Scope.Building,
        [
            new(["暖气不热", "供暖温度不达标"], ["{P}暖气不热，室内温度{X}", "{P}家里暖气温度太低，{X}，老人孩子都冻感冒了", "{P}供暖不达标，屋里{X}"],
                ["十五六度", "不到十八度", "只有十三度"]),
            new(["暖气漏水", "暖气管道漏水"], ["{P}楼道里的暖气{X}漏水", "{P}暖气{X}一直滴水，物业不管", "{P}供暖管道{X}漏水了"],
                ["阀门", "管道接口", "暖气片"]),
        ]),
        new("供水供电供气供暖", "供水", Scope.Building,
        [
            new(["停水", "突然停水无通知"], ["{P}停水{X}了，也没有通知", "{P}没水{X}，生活很不方便", "{P}突然停水，已经{X}，什么时候恢复"],
                ["两天", "一整天", "从昨天晚上开始"]),
        ]),
        new("交通出行", "违规停车", Scope.Compound,
        [
            new(["车辆乱停堵塞通道", "违规停车"], ["{P}{X}总有车乱停，堵得严严实实", "{P}的{X}被私家车占了，救护车都进不来", "{P}有车辆长期停在{X}"],
                ["消防通道", "小区大门口", "单元门口"]),
        ]),
        new("交通出行", "私装地锁地桩", Scope.Compound,
        [
            new(["私装地锁", "私装地桩"], ["{P}有人在{X}私装地锁", "{P}的{X}被装了好多地锁，别人没法停", "{P}{X}私自安装地桩，占用公共资源"],
                ["公共车位", "绿地边上", "楼前空地"]),
        ]),
    ];
}
