using Community360.Cases.Attachments;

namespace Community360.Tests.Cases.Attachments;

public sealed class AttachmentFileNamesTests
{
    [Theory]
    [InlineData(@"C:\Users\张三\Desktop\现场照片.JPG", ".jpg", "现场照片.jpg")]
    [InlineData("../../etc/passwd", ".png", "passwd.png")]
    [InlineData("/var/www/shell.php", ".jpg", "shell.jpg")]
    [InlineData("photo\u202Egpj.exe", ".jpg", "photogpj.jpg")]
    [InlineData("a\u0000b\r\n\tc.pdf", ".pdf", "abc.pdf")]
    [InlineData("a<b>:c\"d|e?f*.png", ".png", "a_b__c_d_e_f_.png")]
    [InlineData("  报告 v1.2 终稿.docx  ", ".pdf", "报告 v1.2 终稿.pdf")]
    [InlineData("no-extension", ".webp", "no-extension.webp")]
    [InlineData("archive.tar.gz", ".pdf", "archive.tar.pdf")]
    [InlineData(".jpg", ".jpg", "附件.jpg")]
    [InlineData("...", ".jpg", "附件.jpg")]
    [InlineData("", ".png", "附件.png")]
    [InlineData(null, ".png", "附件.png")]
    [InlineData("dir/", ".png", "附件.png")]
    [InlineData("e\u0301.jpg", ".jpg", "\u00e9.jpg")]
    public void Cleans_the_name_and_takes_the_sniffed_extension(string? input, string extension, string expected)
    {
        Assert.Equal(expected, AttachmentFileNames.Sanitize(input, extension));
    }

    [Fact]
    public void Long_names_are_cut_to_100_characters_without_splitting_a_character()
    {
        var chinese = AttachmentFileNames.Sanitize(new string('街', 300) + ".jpg", ".jpg");
        var emoji = AttachmentFileNames.Sanitize(string.Concat(Enumerable.Repeat("📷", 80)) + ".png", ".png");

        Assert.Equal(100, chinese.Length);
        Assert.EndsWith("街.jpg", chinese, StringComparison.Ordinal);
        Assert.True(emoji.Length <= 100);
        Assert.EndsWith("📷.png", emoji, StringComparison.Ordinal);
        Assert.True(emoji.EnumerateRunes().All(r => r != System.Text.Rune.ReplacementChar));
    }

    [Fact]
    public void Lone_surrogates_are_dropped()
    {
        Assert.Equal("ab.jpg", AttachmentFileNames.Sanitize("a\uD800b.jpg", ".jpg"));
    }
}
