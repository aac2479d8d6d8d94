using System.Globalization;
using Community360.Cases.Repeats;
using Community360.Cases.Seeding;

namespace Community360.Bench;

/// <summary>One generated case: its place, caller and text, and the problem it reports (<see cref="Cluster"/>).</summary>
internal sealed record GeneratedCase(
    Guid Id,
    int Cluster,
    bool FirstOfCluster,
    DateTime ReceivedAt,
    World.Category Category,
    World.Community Community,
    World.GridPlace Grid,
    string Compound,
    string? Address,
    string Phone,
    string Title,
    string Text,
    string Result,
    CaseTextReporter Reporter,
    double Random01);

/// <summary>
/// Fictional cases with known ground truth: every case reports one problem (a cluster id); a problem reported several
/// times gets the demo templates' paraphrases (<see cref="DemoCaseTexts"/>) at the same place, each dressed with varied
/// openings and closings, within days of the first report. Categories follow a long-tailed distribution; places are the
/// demo street's compounds plus, at scale, made-up compounds spread over its grids, so that a place gets about as many
/// cases as a real one would.
/// </summary>
internal sealed class CaseCorpus
{
    private static readonly string[] Prefixes =
    [
        "翠", "幸福", "阳光", "金", "银", "华", "锦", "绿", "东", "西", "南", "北", "新", "和平", "安", "康", "富", "春", "秋", "梅",
        "兰", "竹", "菊", "松", "柏", "枫", "桂", "荷", "星", "月", "朝阳", "明", "丽", "嘉", "瑞", "祥", "泰", "盛", "宏", "福",
        "海", "湖", "江", "河", "山", "峰", "林", "森", "云", "天", "龙", "凤", "鹏", "燕", "雅", "静", "怡", "悦", "欣", "乐",
    ];

    private static readonly string[] Middles = ["", "苑", "景", "水", "晖", "庭", "湾", "馨", "城", "都", "华", "悦", "岸", "峰", "汇"];

    private static readonly string[] Suffixes = ["小区", "家园", "花园", "嘉园", "公寓", "新村", "里", "苑"];

    private static readonly string[] Roads = ["示例路", "幸福街", "建设路", "和平路", "光明街", "文化路", "解放路", "人民路"];

    private static readonly string[] Openings = ["", "", "", "您好，", "你好，", "喂，我想反映一下，", "我是附近的居民，", "麻烦问一下，", "再次反映，", "我要投诉，"];

    private static readonly string[] Closings = ["", "", "", "希望尽快处理。", "麻烦尽快派人来看看。", "谢谢。", "请相关部门重视。", "已经反映过好几次了。", "盼复。"];

    private readonly World _world;
    private readonly Random _random;
    private readonly List<(string Compound, World.Community Community, World.GridPlace Grid)> _places = [];
    private readonly double[] _categoryCumulative;
    private readonly Dictionary<string, IReadOnlyList<CaseTextTemplate>> _templates = new(StringComparer.Ordinal);

    public CaseCorpus(World world, int cases, int seed)
    {
        _world = world;
        _random = new Random(seed);
        foreach (var community in world.Communities)
        {
            foreach (var grid in community.Grids)
            {
                _places.AddRange(grid.Compounds.Select(c => (c, community, grid)));
            }
        }
        // About 300 cases a month per compound, a busy urban compound's share at this scale.
        var wanted = Math.Max(_places.Count, cases / 300);
        var grids = world.Communities.SelectMany(c => c.Grids.Select(g => (Community: c, Grid: g))).ToList();
        var taken = _places.Select(p => p.Compound).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; _places.Count < wanted && i < Prefixes.Length * Middles.Length * Suffixes.Length * 4; i++)
        {
            var name = Prefixes[_random.Next(Prefixes.Length)] + Middles[_random.Next(Middles.Length)] + Suffixes[_random.Next(Suffixes.Length)];
            if (taken.Add(name))
            {
                var (community, grid) = grids[_random.Next(grids.Count)];
                _places.Add((name, community, grid));
            }
        }
        var weights = world.Categories.Select((_, rank) => 1.0 / Math.Pow(rank + 1, 0.8)).ToArray();
        _categoryCumulative = new double[weights.Length];
        var sum = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += weights[i];
            _categoryCumulative[i] = sum;
        }
        foreach (var category in world.Categories)
        {
            _templates[category.Code] = DemoCaseTexts.For(category.Code);
        }
    }

    public IEnumerable<string> CompoundNames => _places.Select(p => p.Compound);

    public int PlaceCount => _places.Count;

    /// <summary>
    /// <paramref name="count"/> cases received in (<paramref name="endUtc"/> − <paramref name="days"/>,
    /// <paramref name="endUtc"/>], oldest first. About <paramref name="repeatShare"/> of them belong to a problem reported
    /// more than once.
    /// </summary>
    public List<GeneratedCase> Generate(int count, DateTime endUtc, int days, double repeatShare)
    {
        var start = endUtc.AddDays(-days);
        var span = (endUtc - start).Ticks;
        var cases = new List<GeneratedCase>(count);
        var cluster = 0;
        while (cases.Count < count)
        {
            cluster++;
            // Sizes 2..6 for repeated problems, so that repeatShare of the cases end up in one.
            var size = _random.NextDouble() < repeatShare / 3.2 ? 2 + (int)Math.Min(4, -Math.Log(1 - _random.NextDouble()) * 1.3) : 1;
            size = Math.Min(size, count - cases.Count);
            var category = PickCategory();
            var templates = _templates[category.Code];
            var template = templates[_random.Next(templates.Count)];
            var (compound, community, grid) = _places[_random.Next(_places.Count)];
            var building = 1 + _random.Next(24);
            var unit = 1 + _random.Next(6);
            var road = Roads[_random.Next(Roads.Length)];
            var number = (1 + _random.Next(199)).ToString(CultureInfo.InvariantCulture);
            var place = new DemoPlace(compound, building.ToString(CultureInfo.InvariantCulture), unit.ToString(CultureInfo.InvariantCulture), road, number);
            var rendered = DemoCaseTexts.Render(template, place, _random);
            var first = start.AddTicks((long)(_random.NextDouble() * span));
            var phone = Mobile();
            var addressKind = _random.NextDouble() switch { < 0.7 => 0, < 0.82 => 1, < 0.9 => 2, _ => 3 };
            for (var k = 0; k < size; k++)
            {
                var at = k == 0 ? first : first.AddHours(-Math.Log(1 - _random.NextDouble()) * 36);
                if (at > endUtc)
                {
                    at = endUtc.AddSeconds(-_random.Next(3600));
                }
                var body = k == 0 || rendered.Paraphrases.Count == 0 ? rendered.Text : rendered.Paraphrases[_random.Next(rendered.Paraphrases.Count)];
                var text = Openings[_random.Next(Openings.Length)] + body + Closings[_random.Next(Closings.Length)];
                // One problem is told at one place; a caller may leave the building out, or give no address at all.
                var address = (k > 0 && _random.NextDouble() < 0.15 ? 4 : addressKind) switch
                {
                    0 => Report.Inv($"{compound}{building}号楼{unit}单元"),
                    1 => compound,
                    2 => Report.Inv($"{road}{number}号"),
                    3 => null,
                    _ => addressKind == 0 ? compound : null,
                };
                cases.Add(new GeneratedCase(Guid.CreateVersion7(new DateTimeOffset(at, TimeSpan.Zero)), cluster, k == 0, WholeSeconds(at), category,
                    community, grid, compound, address, k > 0 && _random.NextDouble() < 0.3 ? phone : Mobile(), rendered.Title, text,
                    rendered.Result, template.Reporter, _random.NextDouble()));
            }
        }
        cases.Sort((a, b) => a.ReceivedAt.CompareTo(b.ReceivedAt));
        return cases;
    }

    public static RepeatDocument Document(GeneratedCase c, PhoneHasher hasher) =>
        new(c.Id, c.ReceivedAt, c.Category.Id, c.Category.ParentId, c.Community.Id, hasher.Hash(c.Phone),
            PlaceNormalizer.Normalize(null, c.Address), c.Title + "。" + c.Text)
        {
            Address = c.Address,
        };

    private World.Category PickCategory()
    {
        var x = _random.NextDouble() * _categoryCumulative[^1];
        var index = Array.BinarySearch(_categoryCumulative, x);
        return _world.Categories[Math.Min(index < 0 ? ~index : index, _world.Categories.Count - 1)];
    }

    private string Mobile() => Report.Inv($"1{3 + _random.Next(7)}{_random.Next(0, 10)}{_random.Next(1000, 10000):D4}{_random.Next(0, 10000):D4}");

    private static DateTime WholeSeconds(DateTime utc) => new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
