using System.Globalization;
using Community360.Organization;
using Community360.Seeding;

namespace Community360.Cases.Seeding;

/// <summary>The units a <see cref="LimitSeed"/> may be counted in; the names the working calendar parses.</summary>
public static class LimitUnits
{
    public const string WorkingHours = "WorkingHours";
    public const string WorkingDays = "WorkingDays";
    public const string NaturalHours = "NaturalHours";

    public static IReadOnlyList<string> All { get; } = [WorkingHours, WorkingDays, NaturalHours];
}

/// <summary>A time limit as seed data: a positive count of <see cref="Unit"/> (one of <see cref="LimitUnits"/>).</summary>
public sealed record LimitSeed(int Value, string Unit)
{
    public static LimitSeed WorkingHours(int value) => new(value, LimitUnits.WorkingHours);

    public static LimitSeed WorkingDays(int value) => new(value, LimitUnits.WorkingDays);

    public static LimitSeed NaturalHours(int value) => new(value, LimitUnits.NaturalHours);
}

/// <summary>
/// One node of the case category tree with its routing and time-limit defaults. A top-level code has two digits
/// ("07"), a subcategory appends two more ("0703"). <see cref="DefaultUnitCode"/> is a department code of the demo
/// street or <see cref="CategoryCatalog.Community"/>; <see cref="UrgentCompletion"/> replaces
/// <see cref="Completion"/> for urgent cases and is null where a category has no urgent form.
/// </summary>
public sealed record CategorySeed(
    string Code,
    string Name,
    string? ParentCode,
    WorkLine? WorkLine,
    string? DefaultUnitCode,
    LimitSeed Response,
    LimitSeed Completion,
    LimitSeed Callback,
    LimitSeed? UrgentCompletion)
{
    public bool IsTopLevel => ParentCode is null;
}

/// <summary>
/// The 接诉即办 category tree a street office starts with, modelled on the 12345 hotline taxonomy: twenty top-level
/// categories, each with four to eight subcategories, each naming its work line (一网六线), the unit a dispatcher is
/// offered first and the time limits for response, completion and callback.
/// </summary>
public static class CategoryCatalog
{
    /// <summary>Stands for "the community the case is located in": neighbourhood matters go there first.</summary>
    public const string Community = "COMMUNITY";

    // The demo street's departments, in DemoStreetSeeder's order (D01..D09).
    public const string UrbanManagementOffice = DemoStreetSeeder.StreetCode + "D01";
    public const string PublicSafetyOffice = DemoStreetSeeder.StreetCode + "D02";
    public const string LawEnforcementTeam = DemoStreetSeeder.StreetCode + "D03";
    public const string EnvironmentOffice = DemoStreetSeeder.StreetCode + "D04";
    public const string MarketSupervisionStation = DemoStreetSeeder.StreetCode + "D05";
    public const string AgricultureOffice = DemoStreetSeeder.StreetCode + "D06";
    public const string CommunityDevelopmentOffice = DemoStreetSeeder.StreetCode + "D07";
    public const string LivelihoodOffice = DemoStreetSeeder.StreetCode + "D08";
    public const string PartyAffairsOffice = DemoStreetSeeder.StreetCode + "D09";

    /// <summary>Top-level categories first in code order, each followed by its subcategories.</summary>
    public static IReadOnlyList<CategorySeed> All { get; } = Build();

    public static IReadOnlyList<CategorySeed> TopLevels { get; } = [.. All.Where(c => c.IsTopLevel)];

    public static IReadOnlyList<CategorySeed> Subcategories { get; } = [.. All.Where(c => !c.IsTopLevel)];

    private static readonly Dictionary<string, CategorySeed> ByCode = All.ToDictionary(c => c.Code, StringComparer.Ordinal);

    public static CategorySeed? Find(string code) => ByCode.GetValueOrDefault(code);

    public static IReadOnlyList<CategorySeed> ChildrenOf(string parentCode) =>
        [.. All.Where(c => string.Equals(c.ParentCode, parentCode, StringComparison.Ordinal))];

    /// <summary>Response, completion, callback and urgent completion, as one bundle a category starts from.</summary>
    private sealed record Limits(LimitSeed Response, LimitSeed Completion, LimitSeed Callback, LimitSeed? Urgent)
    {
        public Limits Urgently(LimitSeed urgent) => this with { Urgent = urgent };

        public Limits CompletedIn(LimitSeed completion) => this with { Completion = completion };
    }

    private sealed record Sub(string Name, WorkLine? Line, string Unit, Limits Limits);

    private sealed record Top(string Name, WorkLine? Line, string Unit, Limits Limits, Func<Top, Sub[]> Children)
    {
        public Sub Same(string name) => new(name, Line, Unit, Limits);

        public Sub With(string name, Limits limits) => new(name, Line, Unit, limits);

        public Sub At(string name, WorkLine? line, string unit) => new(name, line, unit, Limits);
    }

    /// <summary>Apart from the public members so that it is initialised before <see cref="All"/> is built.</summary>
    private static class Definitions
    {
        // 接诉即办 practice: contact the complainant within hours, finish ordinary matters within a week, answer
        // consultations the next working day, and make safety and utility emergencies safe within natural hours.
        public static readonly Limits Consultation = new(
            LimitSeed.WorkingHours(2), LimitSeed.WorkingDays(1), LimitSeed.WorkingDays(1), null);

        public static readonly Limits Quick = new(
            LimitSeed.WorkingHours(2), LimitSeed.WorkingDays(3), LimitSeed.WorkingDays(1), LimitSeed.NaturalHours(24));

        public static readonly Limits Ordinary = new(
            LimitSeed.WorkingHours(4), LimitSeed.WorkingDays(5), LimitSeed.WorkingDays(2), LimitSeed.NaturalHours(48));

        public static readonly Limits Involved = new(
            LimitSeed.WorkingDays(1), LimitSeed.WorkingDays(7), LimitSeed.WorkingDays(2), null);

        public static readonly Limits Enforcement = new(
            LimitSeed.WorkingDays(1), LimitSeed.WorkingDays(15), LimitSeed.WorkingDays(2), LimitSeed.NaturalHours(72));

        public static readonly Limits Hazard = new(
            LimitSeed.WorkingHours(1), LimitSeed.WorkingDays(3), LimitSeed.WorkingDays(1), LimitSeed.NaturalHours(24));

        public static readonly Limits Utility = new(
            LimitSeed.WorkingHours(1), LimitSeed.WorkingDays(2), LimitSeed.WorkingDays(1), LimitSeed.NaturalHours(24));

        public static readonly Top[] Tree =
        [
            new("市容环境", WorkLine.UrbanConstruction, UrbanManagementOffice, Quick, t =>
            [
                t.Same("垃圾清运"),
                t.Same("垃圾分类"),
                t.Same("道路清扫保洁"),
                t.Same("乱堆乱放"),
                t.At("占道经营", WorkLine.LawEnforcement, LawEnforcementTeam),
                t.Same("小广告乱贴乱画"),
                new Sub("户外广告牌匾", WorkLine.LawEnforcement, LawEnforcementTeam, Ordinary),
                t.Same("公共厕所"),
            ]),
            new("物业管理", null, Community, Involved, t =>
            [
                t.Same("物业服务质量"),
                t.Same("物业收费"),
                t.With("公共设施维修", Ordinary),
                t.Same("小区绿化养护"),
                t.Same("无物业小区管理"),
                new Sub("业主委员会", null, CommunityDevelopmentOffice, Enforcement with { Urgent = null }),
            ]),
            new("市政设施", WorkLine.UrbanConstruction, UrbanManagementOffice, Quick, t =>
            [
                t.Same("道路破损"),
                t.With("井盖缺失破损", Quick.Urgently(LimitSeed.NaturalHours(4))),
                t.Same("路灯故障"),
                t.With("排水设施", Quick.Urgently(LimitSeed.NaturalHours(12))),
                t.With("园林绿化", Ordinary),
                t.With("公共健身器材", Ordinary),
                t.With("无障碍设施", Ordinary),
            ]),
            new("噪声扰民", WorkLine.Environment, EnvironmentOffice, Quick, t =>
            [
                new Sub("施工噪声", WorkLine.LawEnforcement, LawEnforcementTeam, Quick.Urgently(LimitSeed.NaturalHours(12))),
                t.At("商业经营噪声", WorkLine.LawEnforcement, LawEnforcementTeam),
                new Sub("生活噪声", null, Community, Ordinary),
                new Sub("广场舞噪声", null, Community, Ordinary),
                t.With("交通噪声", Involved),
                new Sub("宠物扰民", null, Community, Ordinary),
                t.Same("设备噪声"),
            ]),
            new("违章建设", WorkLine.LawEnforcement, LawEnforcementTeam, Enforcement, t =>
            [
                t.Same("楼顶违建"),
                t.Same("私搭乱建"),
                t.Same("扩建外挑"),
                t.Same("破墙开门开窗"),
                t.Same("圈占公共用地"),
                t.With("在建违建", Enforcement.CompletedIn(LimitSeed.WorkingDays(5)).Urgently(LimitSeed.NaturalHours(24))),
            ]),
            new("环境保护", WorkLine.Environment, EnvironmentOffice, Ordinary, t =>
            [
                t.Same("餐饮油烟"),
                t.Same("施工扬尘"),
                t.With("露天焚烧", Quick.Urgently(LimitSeed.NaturalHours(4))),
                t.Same("异味恶臭"),
                t.With("水体污染", Involved),
                new Sub("渣土遗撒", WorkLine.LawEnforcement, LawEnforcementTeam, Quick),
            ]),
            new("安全隐患", WorkLine.Emergency, PublicSafetyOffice, Hazard, t =>
            [
                t.Same("消防通道堵塞"),
                t.Same("电动自行车充电"),
                t.With("燃气安全", Hazard.Urgently(LimitSeed.NaturalHours(2))),
                t.With("建筑物安全", Hazard.Urgently(LimitSeed.NaturalHours(12))),
                t.Same("施工安全"),
                t.Same("易燃易爆物品"),
                new Sub("电梯安全", WorkLine.MarketSupervision, MarketSupervisionStation, Hazard.Urgently(LimitSeed.NaturalHours(2))),
            ]),
            new("市场监管", WorkLine.MarketSupervision, MarketSupervisionStation, Ordinary, t =>
            [
                t.With("食品安全", Ordinary.Urgently(LimitSeed.NaturalHours(24))),
                t.Same("无照经营"),
                t.Same("价格问题"),
                t.With("消费纠纷", Involved),
                t.Same("虚假宣传"),
                t.Same("计量问题"),
            ]),
            new("劳动社保", null, LivelihoodOffice, Ordinary with { Urgent = null }, t =>
            [
                t.With("拖欠工资", Involved.CompletedIn(LimitSeed.WorkingDays(10)).Urgently(LimitSeed.NaturalHours(72))),
                t.With("社保缴纳", Consultation.CompletedIn(LimitSeed.WorkingDays(2))),
                t.Same("就业服务"),
                t.With("医疗保险", Consultation.CompletedIn(LimitSeed.WorkingDays(2))),
                t.With("养老保险", Consultation.CompletedIn(LimitSeed.WorkingDays(2))),
                t.With("劳动关系", Involved),
            ]),
            new("民政救助", null, LivelihoodOffice, Involved, t =>
            [
                t.Same("最低生活保障"),
                t.With("临时救助", Involved.CompletedIn(LimitSeed.WorkingDays(5)).Urgently(LimitSeed.NaturalHours(24))),
                t.Same("残疾人服务"),
                t.Same("退役军人服务"),
                t.With("困境儿童", Involved.Urgently(LimitSeed.NaturalHours(24))),
            ]),
            new("邻里纠纷", null, Community, Ordinary with { Urgent = null }, t =>
            [
                t.With("漏水纠纷", Ordinary.Urgently(LimitSeed.NaturalHours(24))),
                t.Same("楼道堆物"),
                t.With("高空抛物", Ordinary.Urgently(LimitSeed.NaturalHours(24))),
                t.Same("养犬纠纷"),
                t.Same("装修纠纷"),
                t.With("家庭矛盾", Involved),
            ]),
            new("交通出行", WorkLine.UrbanConstruction, UrbanManagementOffice, Ordinary, t =>
            [
                t.With("违规停车", Quick),
                t.With("停车难停车收费", Involved),
                t.At("私装地锁地桩", WorkLine.LawEnforcement, LawEnforcementTeam),
                t.With("共享单车停放", Quick),
                t.Same("废弃车辆"),
                t.With("公交出行", Involved),
                t.Same("交通设施"),
            ]),
            new("水电气热", WorkLine.UrbanConstruction, UrbanManagementOffice, Utility, t =>
            [
                t.Same("供暖"),
                t.With("供水", Utility.Urgently(LimitSeed.NaturalHours(12))),
                t.With("供电", Utility.Urgently(LimitSeed.NaturalHours(8))),
                t.With("燃气供应", Utility.Urgently(LimitSeed.NaturalHours(4))),
                t.With("水质问题", Utility.Urgently(LimitSeed.NaturalHours(12))),
                t.With("用能缴费", Consultation.CompletedIn(LimitSeed.WorkingDays(2))),
            ]),
            new("房屋管理", WorkLine.UrbanConstruction, UrbanManagementOffice, Involved, t =>
            [
                t.With("老旧小区改造", Involved.CompletedIn(LimitSeed.WorkingDays(10))),
                t.With("房屋漏雨维修", Ordinary),
                t.With("加装电梯", Involved.CompletedIn(LimitSeed.WorkingDays(10))),
                new Sub("群租房", WorkLine.Emergency, PublicSafetyOffice, Ordinary),
                t.At("房屋租赁", null, Community),
                new Sub("不动产登记咨询", null, CommunityDevelopmentOffice, Consultation),
            ]),
            new("社区服务", null, Community, Ordinary with { Urgent = null }, t =>
            [
                t.With("证明开具", Consultation),
                t.Same("社区活动"),
                t.Same("便民服务"),
                new Sub("工作作风", null, PartyAffairsOffice, Involved),
                t.Same("功能室使用"),
                t.Same("志愿服务"),
            ]),
            new("养老服务", null, LivelihoodOffice, Ordinary, t =>
            [
                t.Same("养老驿站"),
                t.Same("老年助餐"),
                t.With("养老补贴", Consultation.CompletedIn(LimitSeed.WorkingDays(2))),
                new Sub("独居老人关爱", null, Community, Ordinary.Urgently(LimitSeed.NaturalHours(4))),
                t.With("适老化改造", Involved),
                t.With("养老机构", Involved),
            ]),
            new("卫生健康", null, LivelihoodOffice, Ordinary, t =>
            [
                t.Same("社区医疗"),
                t.At("病媒生物防治", WorkLine.Environment, EnvironmentOffice),
                t.With("疫苗接种", Consultation),
                t.With("生育服务", Consultation.CompletedIn(LimitSeed.WorkingDays(2))),
                t.With("传染病防控", Ordinary.Urgently(LimitSeed.NaturalHours(12))),
                t.Same("控烟"),
            ]),
            new("教育文体", null, CommunityDevelopmentOffice, Ordinary with { Urgent = null }, t =>
            [
                t.With("入学入园", Consultation.CompletedIn(LimitSeed.WorkingDays(2))),
                t.Same("校外培训"),
                t.With("校园周边", Ordinary),
                t.Same("文体设施"),
                t.Same("托育服务"),
            ]),
            new("农业农村", WorkLine.Agriculture, AgricultureOffice, Involved, t =>
            [
                t.With("耕地保护", Enforcement),
                t.Same("农村人居环境"),
                t.With("动物防疫", Ordinary.Urgently(LimitSeed.NaturalHours(24))),
                t.With("农产品质量", Ordinary),
                t.Same("集体经济"),
            ]),
            new("咨询建议", null, CommunityDevelopmentOffice, Consultation, t =>
            [
                t.With("政策咨询", Consultation.CompletedIn(LimitSeed.WorkingDays(2))),
                t.Same("办事指南"),
                t.With("意见建议", Involved),
                t.At("表扬感谢", null, PartyAffairsOffice),
                new Sub("党员组织关系", null, PartyAffairsOffice, Consultation.CompletedIn(LimitSeed.WorkingDays(2))),
            ]),
        ];
    }

    private static List<CategorySeed> Build()
    {
        var all = new List<CategorySeed>();
        for (var i = 0; i < Definitions.Tree.Length; i++)
        {
            var top = Definitions.Tree[i];
            var code = TwoDigits(i + 1);
            all.Add(Seed(code, top.Name, null, top.Line, top.Unit, top.Limits));
            var children = top.Children(top);
            for (var j = 0; j < children.Length; j++)
            {
                var child = children[j];
                all.Add(Seed(code + TwoDigits(j + 1), child.Name, code, child.Line, child.Unit, child.Limits));
            }
        }
        return all;
    }

    private static CategorySeed Seed(string code, string name, string? parent, WorkLine? line, string unit, Limits limits) =>
        new(code, name, parent, line, unit, limits.Response, limits.Completion, limits.Callback, limits.Urgent);

    private static string TwoDigits(int number) => number.ToString("D2", CultureInfo.InvariantCulture);
}
