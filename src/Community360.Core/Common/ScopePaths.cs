namespace Community360.Common;

public static class ScopePaths
{
    public const string Root = "/";

    public static string Child(string? parentPath, Guid id) =>
        string.Concat(parentPath ?? Root, id.ToString("N"), "/");
}
