namespace Community360.Common;

/// <summary>The body of a call that changes state without other fields (retire, unlock …): the version last read.</summary>
public sealed record VersionInput(Guid? Version);
