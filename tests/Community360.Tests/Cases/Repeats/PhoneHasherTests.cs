using System.Text;
using Community360.Cases.Repeats;

namespace Community360.Tests.Cases.Repeats;

public sealed class PhoneHasherTests
{
    private static readonly PhoneHasher Hasher = new(Encoding.UTF8.GetBytes("test-key-of-32-bytes-for-hmac!!!"));

    [Theory]
    [InlineData("13800138000")]
    [InlineData("138 0013 8000")]
    [InlineData("138-0013-8000")]
    [InlineData("+86 138 0013 8000")]
    [InlineData("+86-13800138000")]
    [InlineData("0086 13800138000")]
    [InlineData("8613800138000")]
    [InlineData("１３８００１３８０００")]
    [InlineData(" 13800138000 ")]
    public void One_number_written_many_ways_has_one_hash(string phone)
    {
        Assert.Equal(Hasher.Hash("13800138000"), Hasher.Hash(phone));
    }

    [Fact]
    public void Different_numbers_and_different_keys_give_different_hashes()
    {
        var other = new PhoneHasher(Encoding.UTF8.GetBytes("another-key-of-32-bytes-for-hmac"));

        Assert.NotEqual(Hasher.Hash("13800138000"), Hasher.Hash("13800138001"));
        Assert.NotEqual(Hasher.Hash("13800138000"), other.Hash("13800138000"));
    }

    [Fact]
    public void The_hash_is_url_safe_base64_and_holds_no_digit_run_of_the_number()
    {
        var hash = Hasher.Hash("13800138000")!;

        Assert.Equal(43, hash.Length);
        Assert.DoesNotContain('+', hash);
        Assert.DoesNotContain('/', hash);
        Assert.DoesNotContain('=', hash);
        Assert.DoesNotContain("13800138000", hash, StringComparison.Ordinal);
        Assert.DoesNotContain("8000", hash, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("无")]
    [InlineData("--")]
    public void Nothing_to_hash_gives_null(string? phone)
    {
        Assert.Null(Hasher.Hash(phone));
    }

    [Theory]
    [InlineData("010-8888 6666", "01088886666")]
    [InlineData("+86 10 8888 6666", "861088886666")]
    [InlineData("0086-10-88886666", "1088886666")]
    [InlineData("12345", "12345")]
    [InlineData("8613800138000", "13800138000")]
    public void Normalizes_the_digits_and_drops_the_country_code(string phone, string expected)
    {
        Assert.Equal(expected, PhoneHasher.NormalizeDigits(phone));
    }

    [Fact]
    public void A_short_key_is_refused_and_the_key_is_copied()
    {
        Assert.Throws<ArgumentException>(() => new PhoneHasher(new byte[8]));

        var key = Encoding.UTF8.GetBytes("test-key-of-32-bytes-for-hmac!!!");
        var hasher = new PhoneHasher(key);
        var before = hasher.Hash("13800138000");
        key[0] ^= 0xFF;

        Assert.Equal(before, hasher.Hash("13800138000"));
    }

    [Fact]
    public void Is_safe_to_share_between_threads()
    {
        var expected = Hasher.Hash("13800138000");
        var hashes = new string?[2000];

        Parallel.For(0, hashes.Length, i => hashes[i] = Hasher.Hash(i % 2 == 0 ? "13800138000" : "+86 138-0013-8000"));

        Assert.All(hashes, h => Assert.Equal(expected, h));
    }
}
