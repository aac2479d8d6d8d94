using System.Globalization;

namespace Community360.Cases.Repeats;

/// <summary>
/// Default thresholds of <see cref="RepeatOptions"/>: how similar two descriptions of the same subcategory must be
/// before they are called one problem, by how their places relate. Where the places agree the similarity is the
/// IDF-weighted cosine of character bigrams and single CJK characters leaving out the characters that only name the
/// place (the place is weighed on its own), so even a repeat in quite other words scores 0.1–0.3 and a near-identical
/// text 0.6 and more; where a place is unknown the place words count too, so the texts must also agree on where.
/// <para>
/// How they were chosen: a grid search on the labelled set (tests/Community360.Tests/Cases/Repeats/RepeatLabelledSet.cs)
/// maximising the smaller of precision and recall over seeds 20250611, 11, 12 and 1–8 (about 5,600 repeat pairs); the
/// held-out seeds of RepeatQualityTests were not looked at while choosing. The thresholds for unknown and conflicting
/// places were then raised after embedding a labelled set in 400,000 synthetic cases (200,000 in the window): at that
/// scale some other case always says the same thing about another building, or says it without naming a place.
/// What limits precision and recall is one kind of pair: two different problems of one subcategory at one place
/// (暖气不热 and 暖气漏水 in one building) against one problem told in quite other words.
/// </para>
/// </summary>
public static class RepeatThresholds
{
    /// <summary>
    /// Same building (or door on a road, or the same compound when neither names a building), callers differ. Over the
    /// eleven seeds 0.10 gave precision 0.954 / recall 0.964, 0.11 gave 0.959 / 0.960, 0.12 gave 0.962 / 0.954.
    /// </summary>
    public const double SamePlace = 0.11;

    /// <summary>
    /// Same compound, one of the two names no building: the place agrees as far as it is known, but the other may be
    /// another building's problem, so a little more agreement is asked (0.14; 0.16 cost recall and gained no precision).
    /// </summary>
    public const double SameCompound = 0.14;

    /// <summary>
    /// One of the two has neither place nor community: the text alone, place words included, must carry the match. At
    /// 0.7 the 200,000-case window produced false repeats from generic wording; 0.8 none.
    /// </summary>
    public const double UnknownPlace = 0.80;

    /// <summary>One of the two has no place, but both lie in the same community: 0.5 let generic wording through at scale.</summary>
    public const double SameCommunity = 0.70;

    /// <summary>
    /// Both places known and different (another compound, or another building of the same compound): above 1, never a
    /// repeat by itself. In the labelled set fewer than one repeat pair in 500 has conflicting places (a compound-wide
    /// problem filed under a caller's own building), while at scale identical short complaints about other buildings
    /// are common ("单元门坏了，谁都能进"). The same problem under another address string is still found when the
    /// strings agree as far as they go (示例路12号 and 示例路与幸福街交叉口 are the same road); a dispatcher links the rest.
    /// </summary>
    public const double OtherPlace = 1.01;

    /// <summary>
    /// Added when the probe has no subcategory yet (a saved case always has one). At intake, before classification,
    /// 0.05 gave precision 0.89 / recall 0.84 on the tuning seeds (0.10: 0.94 / 0.74): suggestions are better asked
    /// for once the case is classified.
    /// </summary>
    public const double UncategorizedMargin = 0.05;

    /// <summary>
    /// The same caller about the same subcategory and place: taken off the threshold (never below zero). No such pair
    /// in the labelled set was a false repeat at 0.10 or more. Phone alone never makes a repeat: category and place must
    /// agree first.
    /// </summary>
    public const double SamePhoneRelief = 0.10;

    /// <summary>A candidate nominated only by its text, not a repeat, is not shown below this similarity.</summary>
    public const double MinimumShown = 0.15;
}

/// <summary>
/// A place key as the index holds it: interned, with its compound interned too, so that relating two places compares
/// ints. <see cref="Features"/> (the features naming the place) is filled on first use by whichever reader needs it.
/// </summary>
internal sealed class IndexedPlace(int id, string key, int compound)
{
    public int Id { get; } = id;
    public string Key { get; } = key;
    public int Compound { get; } = compound;
    public bool HasBuilding { get; } = PlaceNormalizer.BuildingOf(key) is not null;
    public int[]? Features { get; set; }
}

internal enum PlaceRelation
{
    Unknown,
    Same,
    SameCompound,
    OtherBuilding,
    OtherCompound,

    /// <summary>No place known for one of the two, but both cases lie in the same community.</summary>
    SameCommunity,

    /// <summary>No place known for one of the two, and the cases lie in different communities.</summary>
    OtherCommunity,
}

internal enum CategoryRelation
{
    Unknown,
    Same,
    SameParentOnly,
    Different,
}

/// <summary>Category, place and content taken together: the decision and the reasons shown with it.</summary>
internal static class RepeatRules
{
    /// <summary>Communities are interned ids, 0 for "not known".</summary>
    public static PlaceRelation Relate(IndexedPlace? probePlace, IndexedPlace? candidatePlace, int probeCommunity, int candidateCommunity)
    {
        if (probePlace is null || candidatePlace is null)
        {
            if (probeCommunity == 0 || candidateCommunity == 0)
            {
                return PlaceRelation.Unknown;
            }
            return probeCommunity == candidateCommunity ? PlaceRelation.SameCommunity : PlaceRelation.OtherCommunity;
        }
        if (probePlace.Id == candidatePlace.Id)
        {
            return PlaceRelation.Same;
        }
        if (probePlace.Compound != candidatePlace.Compound)
        {
            return PlaceRelation.OtherCompound;
        }
        return probePlace.HasBuilding && candidatePlace.HasBuilding ? PlaceRelation.OtherBuilding : PlaceRelation.SameCompound;
    }

    public static CategoryRelation Relate(Guid? probeCategory, Guid? probeParent, Guid? candidateCategory, Guid? candidateParent)
    {
        if (probeCategory is { } a && candidateCategory is { } b)
        {
            if (a == b)
            {
                return CategoryRelation.Same;
            }
            return probeParent is { } pa && candidateParent is { } pb && pa == pb
                ? CategoryRelation.SameParentOnly
                : CategoryRelation.Different;
        }
        if (probeParent is { } p1 && candidateParent is { } p2 && p1 != p2)
        {
            return CategoryRelation.Different;
        }
        return CategoryRelation.Unknown;
    }

    /// <summary>The similarity needed for a repeat, or null when these two can never be one (different categories).</summary>
    public static double? NeededSimilarity(CategoryRelation category, PlaceRelation place, bool samePhone, RepeatOptions options)
    {
        if (category is CategoryRelation.Different or CategoryRelation.SameParentOnly)
        {
            return null;
        }
        var needed = place switch
        {
            PlaceRelation.Same => options.SamePlaceSimilarity,
            PlaceRelation.SameCompound => options.SameCompoundSimilarity,
            PlaceRelation.Unknown => options.UnknownPlaceSimilarity,
            PlaceRelation.SameCommunity => options.SameCommunitySimilarity,
            PlaceRelation.OtherBuilding or PlaceRelation.OtherCompound or PlaceRelation.OtherCommunity => options.OtherPlaceSimilarity,
        };
        if (category == CategoryRelation.Unknown)
        {
            needed += options.UncategorizedMargin;
        }
        if (samePhone && place is PlaceRelation.Same or PlaceRelation.SameCompound)
        {
            needed -= options.SamePhoneRelief;
        }
        return Math.Max(needed, 0);
    }

    /// <summary>For ranking and display only; the decision is <see cref="NeededSimilarity"/>'s.</summary>
    public static double Score(double similarity, CategoryRelation category, PlaceRelation place, bool samePhone)
    {
        var categoryPart = category switch
        {
            CategoryRelation.Same => 1.0,
            CategoryRelation.SameParentOnly => 0.4,
            CategoryRelation.Unknown => 0.3,
            CategoryRelation.Different => 0.0,
        };
        var placePart = place switch
        {
            PlaceRelation.Same => 1.0,
            PlaceRelation.SameCompound => 0.6,
            PlaceRelation.Unknown => 0.3,
            PlaceRelation.SameCommunity => 0.4,
            PlaceRelation.OtherBuilding => 0.1,
            PlaceRelation.OtherCompound or PlaceRelation.OtherCommunity => 0.0,
        };
        var score = (0.6 * similarity) + (0.2 * categoryPart) + (0.15 * placePart) + (samePhone ? 0.05 : 0.0);
        return Math.Round(score, 3);
    }

    public static List<string> Reasons(
        bool confirmed,
        bool isRepeat,
        double similarity,
        CategoryRelation category,
        Guid? categoryId,
        PlaceRelation place,
        string? probePlace,
        string? candidatePlace,
        bool samePhone,
        RepeatOptions options)
    {
        var reasons = new List<string>(5);
        if (confirmed)
        {
            reasons.Add("调度员已确认");
        }
        if (PlaceReason(place, probePlace, candidatePlace) is { } placeReason)
        {
            reasons.Add(placeReason);
        }
        reasons.Add(string.Create(CultureInfo.InvariantCulture, $"描述相似度 {similarity:0.00}"));
        if (samePhone)
        {
            reasons.Add("同一来电号码");
        }
        reasons.Add(category switch
        {
            CategoryRelation.Same => categoryId is { } id && options.CategoryLabel?.Invoke(id) is { Length: > 0 } label
                ? $"同一小类：{label}"
                : "同一小类",
            CategoryRelation.SameParentOnly => "同一大类，小类不同",
            CategoryRelation.Different => "问题类别不同",
            CategoryRelation.Unknown => "类别未定",
        });
        if (!isRepeat && !confirmed && WhyNot(similarity, category, place, samePhone) is { } whyNot)
        {
            reasons.Add(whyNot);
        }
        return reasons;
    }

    private static string? PlaceReason(PlaceRelation place, string? probePlace, string? candidatePlace)
    {
        switch (place)
        {
            case PlaceRelation.Same:
                var key = candidatePlace!;
                var compound = PlaceNormalizer.CompoundOf(key);
                var road = PlaceNormalizer.IsRoad(compound);
                if (PlaceNormalizer.BuildingOf(key) is null)
                {
                    return road ? $"同一道路（{compound}）" : $"同一小区（{compound}）";
                }
                return road
                    ? $"同一地址（{PlaceNormalizer.Describe(key)}）"
                    : $"同一小区同一楼栋（{PlaceNormalizer.Describe(key)}）";
            case PlaceRelation.SameCompound:
                var shared = PlaceNormalizer.CompoundOf(candidatePlace!);
                return PlaceNormalizer.IsRoad(shared) ? $"同一道路（{shared}）" : $"同一小区（{shared}）";
            case PlaceRelation.OtherBuilding:
                return $"同一小区但楼栋不同（{PlaceNormalizer.Describe(probePlace!)} / {PlaceNormalizer.Describe(candidatePlace!)}）";
            case PlaceRelation.OtherCompound:
                return $"地点不同（{PlaceNormalizer.Describe(probePlace!)} / {PlaceNormalizer.Describe(candidatePlace!)}）";
            case PlaceRelation.OtherCommunity:
                return "不在同一社区";
            case PlaceRelation.SameCommunity:
                return "同一社区，具体地点不明";
            case PlaceRelation.Unknown:
                return null;
        }
        return null;
    }

    private static string? WhyNot(double similarity, CategoryRelation category, PlaceRelation place, bool samePhone)
    {
        var categoryDiffers = category is CategoryRelation.Different or CategoryRelation.SameParentOnly;
        if (samePhone)
        {
            return "同一来电人但问题不同";
        }
        if (place == PlaceRelation.Same)
        {
            return categoryDiffers ? "同一地点但问题类别不同" : "同一地点但描述不相近";
        }
        if (categoryDiffers)
        {
            return similarity >= 0.5 ? "描述相近但问题类别不同" : null;
        }
        return place switch
        {
            PlaceRelation.OtherBuilding or PlaceRelation.OtherCompound or PlaceRelation.OtherCommunity => "同类问题但地点不同",
            PlaceRelation.SameCompound => "地点大致相同但描述不相近",
            _ => "描述相近程度不足",
        };
    }
}
