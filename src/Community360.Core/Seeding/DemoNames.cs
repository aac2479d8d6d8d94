using System.Globalization;

namespace Community360.Seeding;

/// <summary>
/// Name pools for the demo street. Everything is made up: names are drawn from common surnames and given names,
/// phones from the 170/171 blocks, places from auspicious words no real compound is known by.
/// </summary>
internal sealed class DemoNames(Random random)
{
    private static readonly string[] Surnames =
    [
        "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭",
        "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "程", "曹", "袁", "邓", "许", "傅", "沈",
        "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴", "夏",
        "钟", "汪", "田", "任", "姜", "范", "方", "石", "姚", "谭", "廖", "邹", "熊", "金", "陆", "郝", "孔", "白",
        "崔", "康", "毛", "邱", "秦", "江", "史", "顾", "侯", "邵", "孟", "段", "雷", "钱", "汤", "尹", "常", "武",
        "乔", "贺", "龚", "文", "庞", "樊", "兰", "殷", "施", "陶", "翟", "安", "牛", "齐", "刁", "关", "岳", "温",
    ];

    private static readonly string[] GivenNames =
    [
        "建国", "建华", "建军", "国强", "国庆", "志刚", "志强", "志明", "海涛", "海燕", "晓燕", "晓东", "晓红", "晓峰",
        "丽娟", "丽华", "秀英", "秀兰", "桂芳", "桂兰", "玉梅", "玉兰", "淑珍", "淑华", "红霞", "春梅", "春生", "德明",
        "德胜", "立新", "立群", "文静", "文博", "雪梅", "雅琴", "慧敏", "静怡", "思远", "宇航", "子涵", "浩然", "俊杰",
        "佳琪", "欣怡", "梦瑶", "博文", "天宇", "鹏飞", "振华", "永刚", "永红", "凤英", "金凤", "云霞", "翠萍", "卫东",
        "卫国", "红梅", "晨阳", "一鸣", "家豪", "雨桐", "梓萱", "明轩", "嘉怡", "婷婷", "宏伟", "长青", "瑞芳", "宝山",
        "敏", "静", "丽", "强", "磊", "军", "勇", "艳", "娜", "涛", "斌", "超", "鑫", "洁", "萍", "颖", "彬", "辉",
    ];

    /// <summary>Two-character place words that compound and office names are made of.</summary>
    private static readonly string[] PlaceWords =
    [
        "翠园", "丽景", "金桂", "康乐", "景泰", "和顺", "嘉禾", "安华", "芳草", "紫荆", "青枫", "望春", "兴隆", "福润",
        "永安", "瑞祥", "锦绣", "华庭", "怡和", "松竹", "泰和", "荣华", "玉兰", "润泽", "晨光", "秋实", "明珠", "馨园",
        "海棠", "春和", "清源", "惠民", "长乐", "安居", "宜居", "仁和", "博雅", "恒泰", "东华", "西岭", "桃李", "云岫",
        "鸿运", "文华", "德馨", "雅居", "枫林", "碧水", "蓝湾", "星河", "绿洲", "阳光", "朝晖", "嘉和", "富贵", "吉祥",
        "如意", "百合", "丹桂", "竹韵", "梧桐", "樱花", "丰和", "永泰", "康宁", "益民", "翰林", "书香", "香榭", "金泉",
    ];

    private static readonly string[] WorkUnits =
    [
        "建工", "电力设计院", "第三印刷厂", "水文研究所", "铁路分局", "机械研究院", "粮食储运公司", "邮电局", "纺织研究所",
        "气象服务中心", "轻工设计院", "地质勘察院", "自来水公司", "百货公司", "建材研究院", "第二汽修厂", "园林局", "无线电厂",
        "化工研究院", "出版社", "仪表厂", "煤炭设计院", "外贸公司", "第一棉纺厂", "医药公司", "测绘院", "交通设计院", "铸造厂",
    ];

    private static readonly string[] Alleys =
    [
        "福寿胡同", "永宁胡同", "安和胡同", "文昌胡同", "槐树胡同", "柳荫胡同", "石榴胡同", "葫芦胡同", "椿树胡同", "井儿胡同",
        "药王胡同", "铃铛胡同", "扁担胡同", "花枝胡同", "银锭胡同", "灯草胡同", "榆钱胡同", "豆芽胡同", "笔管胡同", "红星胡同",
        "枣林胡同", "丁香胡同", "竹竿胡同", "油坊胡同", "磨盘胡同", "砚台胡同", "喜鹊胡同", "秋水胡同",
    ];

    private static readonly string[] Campuses =
    [
        "示例区实验小学", "示例区第十二中学", "示例区口腔医院院区", "示例区妇幼保健院", "示例职业技术学院", "示例区少年宫",
    ];

    private static readonly string[] PropertyCompanies =
    [
        "示例嘉和物业服务有限公司", "安居乐业物业管理有限公司", "恒信物业服务有限公司", "城建物业管理有限公司",
        "华庭物业服务有限公司", "锦程物业管理有限公司", "示例住总物业服务中心",
    ];

    private static readonly string[] Numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

    private readonly HashSet<string> _usedPeople = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedPhones = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedPlaces = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedStems = new(StringComparer.Ordinal);
    private readonly List<string> _alleys = Shuffled(random, Alleys);
    private readonly List<string> _campuses = Shuffled(random, Campuses);

    public static string Numeral(int oneBased) => Numerals[oneBased - 1];

    public string PersonName()
    {
        while (true)
        {
            var name = Pick(Surnames) + Pick(GivenNames);
            if (_usedPeople.Add(name))
            {
                return name;
            }
        }
    }

    /// <summary>An 11-digit mobile number in the 170/171 blocks, never handed out twice.</summary>
    public string Mobile()
    {
        while (true)
        {
            var phone = string.Create(CultureInfo.InvariantCulture,
                $"17{random.Next(0, 2)}{random.Next(1000, 10000):D4}{random.Next(0, 10000):D4}");
            if (_usedPhones.Add(phone))
            {
                return phone;
            }
        }
    }

    public string Alley() => Take(_alleys, "alley");

    public string CompoundName(Geography.CompoundKind kind) => kind switch
    {
        Geography.CompoundKind.Commercial => Place(PlaceWords, ["小区", "家园", "花园", "嘉园", "苑"]),
        Geography.CompoundKind.OldResidential => Place(PlaceWords, ["北里", "南里", "东里", "西里", "小区"]),
        Geography.CompoundKind.WorkUnit => Place(WorkUnits, ["宿舍", "家属院", "院"]),
        Geography.CompoundKind.Courtyard => Alley() + "平房院落",
        Geography.CompoundKind.Resettlement => Place(PlaceWords, ["新村", "新苑", "回迁小区"]),
    };

    public string OfficeName() => Place(PlaceWords, ["大厦", "商务中心", "国际中心", "广场", "科技园"]);

    public string CampusName() => Take(_campuses, "campus");

    public string PropertyCompany() => Pick(PropertyCompanies);

    public T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>A stem and a suffix that together name no other place of the street; fresh stems first.</summary>
    private string Place(IReadOnlyList<string> stems, IReadOnlyList<string> suffixes)
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var stem = Pick(stems);
            if (attempt < 200 && _usedStems.Contains(stem))
            {
                continue;
            }
            var name = stem + Pick(suffixes);
            if (_usedPlaces.Add(name))
            {
                _usedStems.Add(stem);
                return name;
            }
        }
        throw new InvalidOperationException("The demo place-name pool is exhausted.");
    }

    private static string Take(List<string> pool, string what)
    {
        if (pool.Count == 0)
        {
            throw new InvalidOperationException($"The demo {what} pool is exhausted.");
        }
        var item = pool[^1];
        pool.RemoveAt(pool.Count - 1);
        return item;
    }

    private static List<string> Shuffled(Random random, IReadOnlyList<string> items)
    {
        var list = items.ToList();
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
        return list;
    }
}
