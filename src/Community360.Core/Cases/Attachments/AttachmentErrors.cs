using System.Globalization;
using Community360.Common;

namespace Community360.Cases.Attachments;

/// <summary>The zh-CN refusals of an upload, all keyed to the form field "file".</summary>
public static class AttachmentErrors
{
    public const string Field = "file";
    public const string CorruptImageMessage = "图片文件已损坏，无法处理。";
    public const string UnsupportedTypeMessage = "不支持的文件类型，只接受 JPG、PNG、WebP 图片和 PDF 文件。";
    public const string EmptyFileMessage = "文件为空，请重新选择要上传的文件。";

    public static ValidationException CorruptImage() => ValidationException.For(Field, CorruptImageMessage);

    public static ValidationException UnsupportedType() => ValidationException.For(Field, UnsupportedTypeMessage);

    public static ValidationException EmptyFile() => ValidationException.For(Field, EmptyFileMessage);

    public static ValidationException TooLarge(long maxBytes) => ValidationException.For(Field, TooLargeMessage(maxBytes));

    /// <summary>"文件过大：最大 10 MB", from the configured limit (MB meaning MiB, as file dialogs count).</summary>
    public static string TooLargeMessage(long maxBytes) =>
        maxBytes >= 1024 * 1024
            ? string.Create(CultureInfo.InvariantCulture, $"文件过大：最大 {maxBytes / (1024.0 * 1024.0):0.##} MB")
            : string.Create(CultureInfo.InvariantCulture, $"文件过大：最大 {Math.Max(maxBytes / 1024.0, 0.01):0.##} KB");
}
