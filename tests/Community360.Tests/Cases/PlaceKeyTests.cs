using Community360.Cases.Repeats;

namespace Community360.Tests.Cases;

/// <summary>Courtyards in different alleys are different places, whatever generic word follows the alley's name.</summary>
public sealed class PlaceKeyTests
{
    [Theory]
    [InlineData("安和胡同平房院落2号院", "福寿胡同平房院落1号院")]
    [InlineData("安和胡同平房院落", "井儿胡同平房院落")]
    [InlineData("安和胡同大杂院", "福寿胡同大杂院")]
    public void Courtyards_in_different_alleys_get_different_keys(string a, string b)
    {
        var first = PlaceNormalizer.Normalize(null, a);
        var second = PlaceNormalizer.Normalize(null, b);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void The_same_courtyard_written_two_ways_keeps_one_key()
    {
        Assert.Equal(PlaceNormalizer.Normalize(null, "安和胡同平房院落2号院"), PlaceNormalizer.Normalize(null, "安和胡同平房院落二号院"));
        Assert.Equal("翠园|3", PlaceNormalizer.Normalize(null, "示例路翠园小区3号楼"));
    }
}
