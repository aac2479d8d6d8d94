namespace Community360.Organization;

/// <summary>一网六线: the six lines of work every grid is staffed for.</summary>
public enum WorkLine
{
    Environment = 1,
    Emergency = 2,
    UrbanConstruction = 3,
    LawEnforcement = 4,
    MarketSupervision = 5,
    Agriculture = 6,
}

public static class WorkLines
{
    public static IReadOnlyList<WorkLine> All { get; } = Enum.GetValues<WorkLine>();

    public static string DisplayName(WorkLine line) => line switch
    {
        WorkLine.Environment => "环保",
        WorkLine.Emergency => "应急",
        WorkLine.UrbanConstruction => "城建",
        WorkLine.LawEnforcement => "综合执法",
        WorkLine.MarketSupervision => "市场监管",
        WorkLine.Agriculture => "农业",
    };
}
