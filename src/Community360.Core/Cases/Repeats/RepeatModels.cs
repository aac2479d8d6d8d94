namespace Community360.Cases.Repeats;

/// <summary>
/// One case as the repeat index holds it. <see cref="PhoneHash"/> comes from <see cref="PhoneHasher"/> (never a
/// number), <see cref="PlaceKey"/> from <see cref="PlaceNormalizer"/>, <see cref="Text"/> is what a dispatcher would
/// compare (title and description). Instants are UTC.
/// </summary>
public sealed record RepeatDocument(
    Guid CaseId,
    DateTime ReceivedAtUtc,
    Guid? CategoryId,
    Guid? ParentCategoryId,
    Guid? CommunityId,
    string? PhoneHash,
    string? PlaceKey,
    string Text)
{
    /// <summary>
    /// The address as entered, optional: when <see cref="PlaceKey"/> is null or names no building, the index looks in
    /// it (and in <see cref="Text"/>) for a compound it knows ("桃源东门" is 桃源 once 桃源小区 is known).
    /// </summary>
    public string? Address { get; init; }
}

/// <summary>
/// The case to find repeats for, maybe not saved yet. Earlier cases received in [<see cref="NowUtc"/> − window,
/// <see cref="NowUtc"/>] are candidates; <see cref="CaseId"/>, when given, is never its own candidate.
/// </summary>
public sealed record RepeatProbe(
    Guid? CaseId,
    DateTime NowUtc,
    Guid? CategoryId,
    Guid? ParentCategoryId,
    Guid? CommunityId,
    string? PhoneHash,
    string? PlaceKey,
    string Text)
{
    /// <summary>See <see cref="RepeatDocument.Address"/>.</summary>
    public string? Address { get; init; }

    /// <summary>The probe for a case already indexed, looking back from the moment it was received.</summary>
    public static RepeatProbe For(RepeatDocument document) => new(
        document.CaseId, document.ReceivedAtUtc, document.CategoryId, document.ParentCategoryId, document.CommunityId,
        document.PhoneHash, document.PlaceKey, document.Text)
    {
        Address = document.Address,
    };
}

/// <summary>
/// An earlier case that may be the same problem. <see cref="IsRepeat"/> is the suggestion (category, place and content
/// taken together); <see cref="Reasons"/> tell the dispatcher, in Chinese, why the case was linked or why not.
/// </summary>
public sealed record RepeatCandidate(
    Guid CaseId,
    double Score,
    bool IsRepeat,
    double TextSimilarity,
    bool SamePlace,
    bool SamePhone,
    bool SameCategory,
    IReadOnlyList<string> Reasons)
{
    /// <summary>True when a dispatcher confirmed this pair earlier: a repeat whatever the scores say.</summary>
    public bool ConfirmedByDispatcher { get; init; }
}

/// <summary>
/// How far back to look, how sure to be and how much work a lookup may do. The similarity thresholds (0 … 1) and how
/// the similarity is computed are explained with their defaults, <see cref="RepeatThresholds"/>.
/// </summary>
public sealed record RepeatOptions
{
    public static RepeatOptions Default { get; } = new();

    public TimeSpan Window { get; init; } = TimeSpan.FromDays(30);

    /// <summary>At most this many candidates are returned, repeats first, then the best-scored others.</summary>
    public int MaxCandidates { get; init; } = 10;

    public double SamePlaceSimilarity { get; init; } = RepeatThresholds.SamePlace;
    public double SameCompoundSimilarity { get; init; } = RepeatThresholds.SameCompound;
    public double UnknownPlaceSimilarity { get; init; } = RepeatThresholds.UnknownPlace;
    public double SameCommunitySimilarity { get; init; } = RepeatThresholds.SameCommunity;
    public double OtherPlaceSimilarity { get; init; } = RepeatThresholds.OtherPlace;
    public double UncategorizedMargin { get; init; } = RepeatThresholds.UncategorizedMargin;
    public double SamePhoneRelief { get; init; } = RepeatThresholds.SamePhoneRelief;
    public double MinimumShownSimilarity { get; init; } = RepeatThresholds.MinimumShown;

    /// <summary>How many of the best text matches (by the rare bigrams they share) are scored exactly.</summary>
    public int TextCandidatePool { get; init; } = 100;

    /// <summary>
    /// How many postings one lookup may walk to find text matches. Bigrams are taken rarest first; the common ones
    /// beyond the budget (你好, 小区, 反映) still count in the exact score of every candidate, they only stop nominating
    /// candidates. This bounds a lookup's cost whatever the index size: with a labelled set embedded among a million
    /// cases in the window, 30,000 found every repeat that 60,000 found, at half the latency.
    /// </summary>
    public int PostingBudget { get; init; } = 30_000;

    /// <summary>
    /// At most this many of the latest cases are considered from each of: the same place, the same phone, and the same
    /// compound with the probe's subcategory.
    /// </summary>
    public int MaxPerPlaceOrPhone { get; init; } = 200;

    /// <summary>Shows a category in a reason ("同一小类：噪声扰民/施工噪声"); without it the reason names no category.</summary>
    public Func<Guid, string?>? CategoryLabel { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Window, TimeSpan.Zero, nameof(Window));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxCandidates, 1, nameof(MaxCandidates));
        ArgumentOutOfRangeException.ThrowIfLessThan(TextCandidatePool, 1, nameof(TextCandidatePool));
        ArgumentOutOfRangeException.ThrowIfLessThan(PostingBudget, 1, nameof(PostingBudget));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPerPlaceOrPhone, 1, nameof(MaxPerPlaceOrPhone));
    }
}
