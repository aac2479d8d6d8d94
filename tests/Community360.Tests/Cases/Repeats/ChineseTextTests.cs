using Community360.Cases.Repeats;

namespace Community360.Tests.Cases.Repeats;

public sealed class ChineseTextTests
{
    [Theory]
    [InlineData("您好，我要反映一个问题！", "您好我要反映一个问题")]
    [InlineData("ＡＢＣ　１２３", "abc123")]
    [InlineData("  Hello, World  ", "helloworld")]
    [InlineData("噪音：晚上10点后仍在施工（3号楼）。", "噪音晚上10点后仍在施工3号楼")]
    [InlineData("“电梯”——坏了……", "电梯坏了")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Normalize_folds_width_and_case_and_keeps_only_letters_and_digits(string? text, string expected)
    {
        Assert.Equal(expected, ChineseText.Normalize(text));
    }

    [Theory]
    [InlineData("翠园小区三号楼电梯坏了", "翠园小区3号楼电梯坏了")]
    [InlineData("翠园小区3栋电梯坏了", "翠园小区3号楼电梯坏了")]
    [InlineData("翠园3幢", "翠园3号楼")]
    [InlineData("3#楼二单元", "3号楼2单元")]
    [InlineData("A座十二层", "a号楼12层")]
    [InlineData("我要反映一个问题", "我要反映一个问题")]
    [InlineData("十字路口", "十字路口")]
    [InlineData("五一小区", "五一小区")]
    public void NormalizeForMatching_writes_numbers_and_buildings_one_way(string text, string expected)
    {
        Assert.Equal(expected, ChineseText.NormalizeForMatching(text));
    }

    [Fact]
    public void Features_are_the_distinct_sorted_bigrams()
    {
        var features = ChineseText.Features("垃圾垃圾没人清");

        var described = features.Select(ChineseText.Describe).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "圾垃", "圾没", "垃圾", "没人", "人清" }.Order(StringComparer.Ordinal), described);
        Assert.True(features.SequenceEqual(features.Order()));
    }

    [Fact]
    public void Two_character_words_are_matched_which_fts5_trigrams_cannot()
    {
        var a = ChineseText.Features("噪音");
        var b = ChineseText.Features("楼下噪音很大");

        Assert.Contains(ChineseText.Bigram('噪', '音'), a);
        Assert.Contains(ChineseText.Bigram('噪', '音'), b);
    }

    [Fact]
    public void Very_short_texts_also_get_unigrams()
    {
        Assert.Equal(
            new[] { "垃", "圾", "垃圾" }.Order(StringComparer.Ordinal),
            ChineseText.Features("垃圾").Select(ChineseText.Describe).Order(StringComparer.Ordinal));
        Assert.Equal(["灯"], ChineseText.Features("灯").Select(ChineseText.Describe));
        Assert.DoesNotContain((int)'路', ChineseText.Features("路灯不亮了"));
        Assert.Empty(ChineseText.Features("，。"));
        Assert.Empty(ChineseText.Features(null));
    }

    [Fact]
    public void Bigrams_are_unique_ints_without_collisions()
    {
        var chars = "翠园小区号楼电梯垃圾噪音0123456789abc".ToCharArray();
        var all = chars.SelectMany(a => chars.Select(b => ChineseText.Bigram(a, b))).ToList();

        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public void Very_long_texts_are_indexed_from_their_start_only()
    {
        var text = string.Concat(Enumerable.Repeat("电梯坏了", 200)) + "结尾独有";

        var features = ChineseText.Features(text);

        Assert.DoesNotContain(ChineseText.Bigram('独', '有'), features);
    }
}
