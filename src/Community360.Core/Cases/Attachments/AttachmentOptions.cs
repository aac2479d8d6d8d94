namespace Community360.Cases.Attachments;

/// <summary>Bound from the "Attachments" section.</summary>
public sealed class AttachmentOptions
{
    public const string Section = "Attachments";
    public const long DefaultMaxBytes = 10 * 1024 * 1024;

    /// <summary>Folder that holds the files; a relative path is taken from the working directory, like the SQLite file.</summary>
    public string RootPath { get; set; } = "data/attachments";

    public long MaxBytes { get; set; } = DefaultMaxBytes;
}
