using Community360.Cases.Repeats;

namespace Community360.Tests.Cases.Repeats;

public sealed class PlaceNormalizerTests
{
    [Theory]
    [InlineData("翠园小区三号楼")]
    [InlineData("翠园小区3号楼")]
    [InlineData("翠园小区3栋")]
    [InlineData("翠园3幢")]
    [InlineData("翠园小区３号楼")]
    [InlineData("翠园小区 3 号楼")]
    [InlineData("翠园小区3#楼")]
    [InlineData("翠园小区3#")]
    [InlineData("翠园小区3栋楼")]
    [InlineData("翠园小区三栋")]
    [InlineData("翠园小区3号楼2单元301")]
    [InlineData("翠园小区三号楼二单元三零一室")]
    [InlineData("翠园小区3号楼4层")]
    [InlineData("翠园小区3-2-301")]
    [InlineData("翠园社区翠园小区3号楼")]
    [InlineData("北京市朝阳区示例街道翠园社区翠园小区3号楼")]
    [InlineData("朝阳区示例街道翠园小区3号楼1单元")]
    [InlineData("示例街道办事处翠园小区3号楼")]
    [InlineData("示例路翠园小区3号楼")]
    [InlineData("示例路18号翠园小区3号楼")]
    [InlineData("翠园小区的3号楼")]
    [InlineData("翠园小区，3号楼，2单元")]
    public void Every_way_of_writing_building_three_of_cuiyuan_gives_one_key(string address)
    {
        Assert.Equal("翠园|3", PlaceNormalizer.Normalize(null, address));
    }

    [Theory]
    [InlineData("十二号楼", "12")]
    [InlineData("十栋", "10")]
    [InlineData("二十栋", "20")]
    [InlineData("二十三号楼", "23")]
    [InlineData("九十九幢", "99")]
    [InlineData("两号楼", "2")]
    [InlineData("一百零五号楼", "105")]
    [InlineData("１２号楼", "12")]
    [InlineData("12#楼", "12")]
    public void Chinese_and_full_width_numerals_read_as_the_same_building(string building, string expected)
    {
        Assert.Equal("阳光花园|" + expected, PlaceNormalizer.Normalize(null, "阳光花园小区" + building));
    }

    [Theory]
    [InlineData("翠园小区3号楼", "翠园小区5号楼")]
    [InlineData("翠园小区3号楼", "翠园小区13号楼")]
    [InlineData("翠园小区3号楼", "幸福家园3号楼")]
    [InlineData("幸福家园东区3号楼", "幸福家园西区3号楼")]
    [InlineData("示例路12号", "示例路14号")]
    [InlineData("示例路12号院3号楼", "示例路14号院3号楼")]
    [InlineData("华庭小区a座", "华庭小区b座")]
    public void Different_buildings_or_compounds_give_different_keys(string a, string b)
    {
        Assert.NotEqual(PlaceNormalizer.Normalize(null, a), PlaceNormalizer.Normalize(null, b));
    }

    [Theory]
    [InlineData("翠园小区", "翠园")]
    [InlineData("翠园小区东门", "翠园")]
    [InlineData("翠园小区门口垃圾站", "翠园")]
    [InlineData("翠园小区2单元301", "翠园")]
    [InlineData("北京市朝阳区示例街道翠园小区北门", "翠园")]
    [InlineData("阳光花园小区南门", "阳光花园")]
    [InlineData("幸福家园东区门口", "幸福家园东区")]
    [InlineData("和平里社区", "和平里")]
    [InlineData("金城苑小区", "金城苑")]
    [InlineData("翠园小区超市门口", "翠园")]
    [InlineData("翠园小区小花园", "翠园")]
    [InlineData("紫荆花园小花园", "紫荆花园")]
    [InlineData("惠民小花园", null)]
    [InlineData("惠民小区小花园旁边", "惠民")]
    [InlineData("示例路与幸福街交叉口", "示例路")]
    [InlineData("幸福大街公交站", "幸福大街")]
    public void Without_a_building_the_key_is_the_compound_or_road(string address, string? expected)
    {
        Assert.Equal(expected, PlaceNormalizer.Normalize(null, address));
    }

    [Theory]
    [InlineData("示例路12号", "示例路|12")]
    [InlineData("示例路１２号", "示例路|12")]
    [InlineData("示例路12号院3号楼", "示例路12号院|3")]
    [InlineData("示例路12号院", "示例路12号院")]
    [InlineData("光明胡同5号", "光明胡同|5")]
    [InlineData("和平里5号楼", "和平里|5")]
    [InlineData("青年公寓A座", "青年公寓|A")]
    [InlineData("青年公寓a座1502", "青年公寓|A")]
    [InlineData("锦绣苑二期8号楼", "锦绣苑2期|8")]
    [InlineData("幸福家园东区5栋", "幸福家园东区|5")]
    public void Roads_courtyards_letters_and_sections(string address, string expected)
    {
        Assert.Equal(expected, PlaceNormalizer.Normalize(null, address));
    }

    [Theory]
    [InlineData("翠园小区", "3号楼2单元", "翠园|3")]
    [InlineData("翠园小区", "三栋", "翠园|3")]
    [InlineData("翠园", "翠园小区3幢", "翠园|3")]
    [InlineData("翠园小区", "东门", "翠园")]
    [InlineData("翠园小区", null, "翠园")]
    [InlineData("  翠园小区 ", "", "翠园")]
    public void A_known_compound_name_is_used_with_the_building_from_the_address(string compound, string? address, string expected)
    {
        Assert.Equal(expected, PlaceNormalizer.Normalize(compound, address));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "  ")]
    [InlineData(null, "3号楼2单元")]
    [InlineData(null, "，。！")]
    [InlineData(null, "楼下")]
    public void Nothing_recognisable_gives_null(string? compound, string? address)
    {
        Assert.Null(PlaceNormalizer.Normalize(compound, address));
    }

    [Fact]
    public void Unit_and_room_do_not_change_the_key()
    {
        var keys = new[] { "翠园小区3号楼1单元101", "翠园小区3号楼2单元502", "翠园小区3号楼", "翠园小区3-4-1201" }
            .Select(a => PlaceNormalizer.Normalize(null, a))
            .Distinct()
            .ToList();

        Assert.Equal(["翠园|3"], keys);
    }

    [Theory]
    [InlineData("翠园|3", "翠园 3 号楼")]
    [InlineData("示例路|12", "示例路 12 号")]
    [InlineData("青年公寓|A", "青年公寓 A 座")]
    [InlineData("翠园", "翠园")]
    public void Describes_a_key_for_the_dispatcher(string key, string expected)
    {
        Assert.Equal(expected, PlaceNormalizer.Describe(key));
    }

    [Fact]
    public void Splits_a_key_into_compound_and_building()
    {
        Assert.Equal("翠园", PlaceNormalizer.CompoundOf("翠园|3"));
        Assert.Equal("3", PlaceNormalizer.BuildingOf("翠园|3"));
        Assert.Equal("翠园", PlaceNormalizer.CompoundOf("翠园"));
        Assert.Null(PlaceNormalizer.BuildingOf("翠园"));
    }
}
