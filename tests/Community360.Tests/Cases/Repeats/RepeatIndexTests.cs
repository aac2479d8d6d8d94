using System.Text;
using Community360.Cases.Repeats;

namespace Community360.Tests.Cases.Repeats;

public sealed class RepeatIndexTests
{
    private static readonly DateTime Now = new(2026, 6, 1, 8, 0, 0, DateTimeKind.Utc);
    private static readonly PhoneHasher Hasher = new(Encoding.UTF8.GetBytes("repeat-index-tests-key-32-bytes!"));

    // A few hundred realistic cases long before Now: they give the IDF weights a realistic shape and are never candidates.
    private static readonly RepeatLabelledSet BackgroundSet = RepeatLabelledSet.Generate(3, baseProblems: 150, fillers: 100);

    private static readonly RepeatOptions Options = RepeatOptions.Default with { CategoryLabel = BackgroundSet.CategoryLabel };

    private static Guid Category(string label) => BackgroundSet.CategoryIds[label];

    private static readonly (Guid Id, Guid Parent) Lift = (Category("物业管理/电梯故障"), Category("物业管理"));
    private static readonly (Guid Id, Guid Parent) Facilities = (Category("物业管理/公共设施维修"), Category("物业管理"));
    private static readonly (Guid Id, Guid Parent) Clutter = (Category("邻里纠纷/楼道堆物"), Category("邻里纠纷"));
    private static readonly (Guid Id, Guid Parent) Heating = (Category("供水供电供气供暖/供暖"), Category("供水供电供气供暖"));
    private static readonly (Guid Id, Guid Parent) StreetLight = (Category("市政设施/路灯故障"), Category("市政设施"));

    private static RepeatIndex NewIndex()
    {
        var index = new RepeatIndex();
        index.AddRange(BackgroundSet.Cases.Select(c => c.Document));
        return index;
    }

    private static RepeatDocument Doc(
        string text,
        string? address,
        (Guid Id, Guid Parent) category,
        string? phone = null,
        double daysAgo = 1,
        Guid? id = null) =>
        new(id ?? Guid.NewGuid(), Now.AddDays(-daysAgo), category.Id, category.Parent, null, Hasher.Hash(phone),
            PlaceNormalizer.Normalize(null, address), text)
        {
            Address = address,
        };

    private static RepeatProbe Probe(RepeatDocument document) => RepeatProbe.For(document) with { NowUtc = Now };

    private static RepeatCandidate? Find(RepeatIndex index, RepeatDocument probe, Guid earlier, RepeatOptions? options = null) =>
        index.FindCandidates(Probe(probe), options ?? Options).SingleOrDefault(c => c.CaseId == earlier);

    [Fact]
    public void A_repeat_in_other_words_with_the_building_written_otherwise_is_linked_and_explained()
    {
        using var index = NewIndex();
        var earlier = Doc("翠园小区三号楼电梯坏了，停在十几层不动，老人只能爬楼。", "翠园小区三号楼2单元", Lift, "13800000001", daysAgo: 5);
        index.Add(earlier);
        var probe = Doc("翠园3栋的电梯又出故障了，卡在十几层，希望尽快修。", "翠园3幢", Lift, "13900000002", daysAgo: 0);

        var candidate = Find(index, probe, earlier.CaseId);

        Assert.NotNull(candidate);
        Assert.True(candidate.IsRepeat);
        Assert.True(candidate.SamePlace);
        Assert.True(candidate.SameCategory);
        Assert.False(candidate.SamePhone);
        Assert.Contains("同一小区同一楼栋（翠园 3 号楼）", candidate.Reasons);
        Assert.Contains("同一小类：物业管理/电梯故障", candidate.Reasons);
        Assert.Contains(candidate.Reasons, r => r.StartsWith("描述相似度 0.", StringComparison.Ordinal));
        Assert.InRange(candidate.TextSimilarity, RepeatThresholds.SamePlace, 1);
    }

    [Fact]
    public void The_same_caller_reporting_something_new_is_shown_but_not_a_repeat()
    {
        using var index = NewIndex();
        var earlier = Doc("幸福家园5号楼楼道里堆满了纸箱和旧家具，消防通道都堵了。", "幸福家园5号楼", Clutter, "13800000001", daysAgo: 3);
        index.Add(earlier);
        var probe = Doc("示例路12号门口一排路灯不亮，晚上走路不安全。", "示例路12号", StreetLight, "+86 138-0000-0001", daysAgo: 0);

        var candidate = Find(index, probe, earlier.CaseId);

        Assert.NotNull(candidate);
        Assert.True(candidate.SamePhone);
        Assert.False(candidate.IsRepeat);
        Assert.Contains("同一来电号码", candidate.Reasons);
        Assert.Contains("同一来电人但问题不同", candidate.Reasons);
    }

    [Fact]
    public void A_neighbours_different_complaint_about_the_same_building_is_not_a_repeat()
    {
        using var index = NewIndex();
        var earlier = Doc("翠园小区3号楼楼道里堆满了杂物，消防通道都堵了。", "翠园小区3号楼", Clutter, "13800000001", daysAgo: 2);
        index.Add(earlier);
        var probe = Doc("翠园小区3号楼暖气不热，屋里只有十五度。", "翠园小区3号楼1单元", Heating, "13900000002", daysAgo: 0);

        var candidate = Find(index, probe, earlier.CaseId);

        Assert.NotNull(candidate);
        Assert.True(candidate.SamePlace);
        Assert.False(candidate.IsRepeat);
        Assert.Contains("问题类别不同", candidate.Reasons);
        Assert.Contains("同一地点但问题类别不同", candidate.Reasons);
    }

    [Fact]
    public void Another_issue_of_the_same_subcategory_at_the_same_building_is_not_a_repeat()
    {
        using var index = NewIndex();
        var earlier = Doc("翠园小区3号楼楼道灯坏了，晚上上下楼看不见。", "翠园小区3号楼", Facilities, daysAgo: 2);
        index.Add(earlier);
        var probe = Doc("翠园小区3号楼单元门禁不能用，谁都能进。", "翠园小区3号楼", Facilities, daysAgo: 0);

        var candidate = Find(index, probe, earlier.CaseId);

        Assert.NotNull(candidate);
        Assert.True(candidate.SamePlace);
        Assert.True(candidate.SameCategory);
        Assert.False(candidate.IsRepeat);
        Assert.Contains("同一地点但描述不相近", candidate.Reasons);
    }

    [Fact]
    public void The_same_topic_in_another_compound_is_not_a_repeat()
    {
        using var index = NewIndex();
        var earlier = Doc("翠园小区3号楼电梯坏了，停在五楼不动。", "翠园小区3号楼", Lift, daysAgo: 2);
        index.Add(earlier);
        var probe = Doc("幸福家园5号楼的电梯又出故障了，卡在半路。", "幸福家园5号楼", Lift, daysAgo: 0);

        var candidate = Find(index, probe, earlier.CaseId, Options with { MinimumShownSimilarity = 0 });

        Assert.NotNull(candidate);
        Assert.False(candidate.IsRepeat);
        Assert.Contains("地点不同（幸福家园 5 号楼 / 翠园 3 号楼）", candidate.Reasons);
        Assert.Contains("同类问题但地点不同", candidate.Reasons);
    }

    [Fact]
    public void The_same_problem_at_another_address_string_is_a_repeat_when_the_text_says_so()
    {
        using var index = NewIndex();
        var earlier = Doc("示例路与幸福街交叉口一排路灯不亮，晚上黑漆漆的走路不安全。", "示例路与幸福街交叉口", StreetLight, daysAgo: 4);
        index.Add(earlier);
        var probe = Doc("示例路12号附近一排路灯不亮，晚上黑漆漆的，走路不安全。", "示例路12号", StreetLight, daysAgo: 0);

        var candidate = Find(index, probe, earlier.CaseId);

        Assert.NotNull(candidate);
        Assert.True(candidate.IsRepeat);
        Assert.False(candidate.SamePlace);
        Assert.Contains("同一道路（示例路）", candidate.Reasons);
    }

    [Fact]
    public void Only_earlier_cases_within_the_window_are_candidates_and_never_the_probe_itself()
    {
        using var index = NewIndex();
        const string Text = "翠园小区3号楼电梯坏了，停在十几层不动。";
        var inside = Doc(Text, "翠园小区3号楼", Lift, daysAgo: 29);
        var outside = Doc(Text, "翠园小区3号楼", Lift, daysAgo: 31);
        var later = Doc(Text, "翠园小区3号楼", Lift, daysAgo: -1);
        var probe = Doc(Text, "翠园小区3号楼", Lift, daysAgo: 0);
        index.AddRange([inside, outside, later, probe]);

        var found = index.FindCandidates(Probe(probe), Options).Select(c => c.CaseId).ToList();

        Assert.Contains(inside.CaseId, found);
        Assert.DoesNotContain(outside.CaseId, found);
        Assert.DoesNotContain(later.CaseId, found);
        Assert.DoesNotContain(probe.CaseId, found);
        Assert.Contains(outside.CaseId, index.FindCandidates(Probe(probe), Options with { Window = TimeSpan.FromDays(40) }).Select(c => c.CaseId));
    }

    [Fact]
    public void Evicted_removed_and_replaced_cases_are_no_longer_found()
    {
        using var index = NewIndex();
        var background = index.Count;
        const string Text = "翠园小区3号楼电梯坏了，停在十几层不动。";
        var old = Doc(Text, "翠园小区3号楼", Lift, daysAgo: 45);
        var removed = Doc(Text, "翠园小区3号楼", Lift, daysAgo: 3);
        var replaced = Doc(Text, "翠园小区3号楼", Lift, daysAgo: 2);
        var probe = Doc(Text, "翠园小区3号楼", Lift, daysAgo: 0);
        index.AddRange([old, removed, replaced]);
        Assert.Equal(background + 3, index.Count);

        var evicted = index.EvictOlderThan(Now.AddDays(-30));
        Assert.True(index.Remove(removed.CaseId));
        Assert.False(index.Remove(removed.CaseId));
        index.Add(replaced with { Text = "幸福家园8号楼楼道灯坏了。", PlaceKey = "幸福家园|8", CategoryId = Facilities.Id });

        Assert.Equal(background + 1, evicted);
        Assert.Equal(1, index.Count);
        Assert.False(index.Contains(old.CaseId));
        var found = index.FindCandidates(Probe(probe), Options with { Window = TimeSpan.FromDays(365) });
        Assert.DoesNotContain(found, c => c.CaseId == old.CaseId || c.CaseId == removed.CaseId);
        Assert.DoesNotContain(found, c => c.CaseId == replaced.CaseId && c.IsRepeat);
    }

    [Fact]
    public void A_split_pair_is_never_suggested_again_and_a_confirmed_one_always_is()
    {
        using var index = NewIndex();
        var earlier = Doc("翠园小区3号楼电梯坏了，停在十几层不动。", "翠园小区3号楼", Lift, daysAgo: 3);
        var unrelated = Doc("示例路12号门口一排路灯不亮。", "示例路12号", StreetLight, daysAgo: 2);
        var probe = Doc("翠园小区3号楼电梯又坏了，停在十几层。", "翠园小区3号楼", Lift, daysAgo: 0);
        index.AddRange([earlier, unrelated, probe]);
        Assert.True(Find(index, probe, earlier.CaseId)!.IsRepeat);
        Assert.Null(Find(index, probe, unrelated.CaseId));

        index.RecordSplit(probe.CaseId, earlier.CaseId);
        index.RecordConfirmed(unrelated.CaseId, probe.CaseId);
        var found = index.FindCandidates(Probe(probe), Options);

        Assert.DoesNotContain(found, c => c.CaseId == earlier.CaseId);
        var confirmed = found[0];
        Assert.Equal(unrelated.CaseId, confirmed.CaseId);
        Assert.True(confirmed.IsRepeat);
        Assert.True(confirmed.ConfirmedByDispatcher);
        Assert.Equal("调度员已确认", confirmed.Reasons[0]);
    }

    [Fact]
    public void Feedback_can_be_shared_and_loaded_before_the_index()
    {
        var feedback = new RepeatFeedback();
        var earlier = Doc("翠园小区3号楼电梯坏了，停在十几层不动。", "翠园小区3号楼", Lift, daysAgo: 3);
        var probe = Doc("翠园小区3号楼电梯又坏了，停在十几层。", "翠园小区3号楼", Lift, daysAgo: 0);
        feedback.Load([new RepeatFeedbackEntry(earlier.CaseId, probe.CaseId, RepeatDecision.Split)]);
        using var index = new RepeatIndex(feedback);
        index.AddRange([earlier, probe]);

        Assert.Same(feedback, index.Feedback);
        Assert.Null(Find(index, probe, earlier.CaseId));
    }

    [Fact]
    public void Repeats_come_first_and_at_most_max_candidates_are_returned()
    {
        using var index = NewIndex();
        var others = Enumerable.Range(0, 12)
            .Select(i => Doc("翠园小区3号楼楼道里堆满了杂物" + i, "翠园小区3号楼", Clutter, daysAgo: 1 + (i * 0.1)))
            .ToList();
        var repeat = Doc("翠园小区3号楼电梯坏了，停在十几层不动。", "翠园小区3号楼", Lift, daysAgo: 5);
        index.AddRange([.. others, repeat]);
        var probe = Doc("翠园小区3号楼电梯又坏了，停在十几层。", "翠园小区3号楼", Lift, daysAgo: 0);

        var found = index.FindCandidates(Probe(probe), Options with { MaxCandidates = 3 });

        Assert.Equal(3, found.Count);
        Assert.Equal(repeat.CaseId, found[0].CaseId);
        Assert.True(found[0].IsRepeat);
        Assert.All(found.Skip(1), c => Assert.False(c.IsRepeat));
    }

    [Fact]
    public void A_place_missing_from_the_key_is_read_from_the_description_or_the_address()
    {
        using var index = NewIndex();
        var fromText = new RepeatDocument(Guid.NewGuid(), Now.AddDays(-2), Heating.Id, Heating.Parent, null, null, null,
            "居民反映，新华里10#楼暖气不热，屋里只有十三度。");
        var fromAddress = new RepeatDocument(Guid.NewGuid(), Now.AddDays(-3), Heating.Id, Heating.Parent, null, null, null,
            "暖气不热，屋里只有十三度。")
        {
            Address = "新华里十号楼",
        };
        index.AddRange([fromText, fromAddress]);
        var probe = Doc("新华里小区10号楼供暖不达标，屋里只有十三度。", "新华里10号楼3单元", Heating, daysAgo: 0);

        var found = index.FindCandidates(Probe(probe), Options);

        Assert.Contains(found, c => c.CaseId == fromText.CaseId && c.SamePlace && c.IsRepeat);
        Assert.Contains(found, c => c.CaseId == fromAddress.CaseId && c.SamePlace && c.IsRepeat);
    }

    [Fact]
    public void Registered_compounds_are_recognised_in_descriptions()
    {
        using var index = new RepeatIndex();
        index.RegisterCompounds(["星河湾小区"]);
        var earlier = new RepeatDocument(Guid.NewGuid(), Now.AddDays(-2), Lift.Id, Lift.Parent, null, null, null,
            "星河湾5号楼电梯坏了，停在十几层不动。");
        index.Add(earlier);
        var probe = Doc("星河湾小区五号楼电梯又坏了。", "星河湾小区5号楼", Lift, daysAgo: 0);

        Assert.True(Find(index, probe, earlier.CaseId)?.SamePlace);
    }

    [Fact]
    public void A_probe_not_yet_classified_is_matched_on_place_and_text_alone()
    {
        using var index = NewIndex();
        var earlier = Doc("翠园小区3号楼电梯坏了，停在十几层不动，老人只能爬楼。", "翠园小区3号楼", Lift, daysAgo: 2);
        var other = Doc("翠园小区3号楼楼道里堆满了杂物，消防通道都堵了。", "翠园小区3号楼", Clutter, daysAgo: 1);
        index.AddRange([earlier, other]);
        var probe = Probe(Doc("翠园小区3号楼电梯坏了，停在十几层。", "翠园小区3号楼", Lift, daysAgo: 0))
            with { CategoryId = null, ParentCategoryId = null };

        var found = index.FindCandidates(probe, Options);

        var repeat = Assert.Single(found, c => c.IsRepeat);
        Assert.Equal(earlier.CaseId, repeat.CaseId);
        Assert.Contains("类别未定", repeat.Reasons);
    }

    [Fact]
    public void Parallel_additions_and_lookups_are_safe()
    {
        using var index = NewIndex();
        var background = index.Count;
        var planted = Doc("翠园小区3号楼电梯坏了，停在十几层不动。", "翠园小区3号楼", Lift, daysAgo: 2);
        index.Add(planted);
        var probe = Doc("翠园小区3号楼电梯又坏了，停在十几层。", "翠园小区3号楼", Lift, daysAgo: 0);
        var added = Enumerable.Range(0, 2000)
            .Select(i => Doc($"幸福家园{i % 19 + 1}号楼楼道里堆满了杂物，编号{i}", $"幸福家园{i % 19 + 1}号楼", Clutter, daysAgo: i % 20))
            .ToArray();
        var failures = 0;

        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            if (i % 2 == 0)
            {
                index.Add(added[i / 2]);
            }
            else if (!index.FindCandidates(Probe(probe), Options).Any(c => c.CaseId == planted.CaseId && c.IsRepeat))
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(0, failures);
        Assert.Equal(background + 1 + added.Length, index.Count);
    }

    [Fact]
    public void Compaction_after_many_removals_keeps_every_remaining_case_findable()
    {
        using var index = new RepeatIndex();
        var docs = Enumerable.Range(0, 4000)
            .Select(i => Doc($"幸福家园{i % 19 + 1}号楼楼道里堆满了杂物，编号{i}", $"幸福家园{i % 19 + 1}号楼", Clutter, daysAgo: 1))
            .ToList();
        var keeper = Doc("翠园小区3号楼电梯坏了，停在十几层不动。", "翠园小区3号楼", Lift, daysAgo: 2);
        index.AddRange([.. docs, keeper]);

        foreach (var doc in docs.Take(3500))
        {
            index.Remove(doc.CaseId);
        }
        var statistics = index.GetStatistics();

        Assert.Equal(501, index.Count);
        Assert.Equal(501, statistics.Documents);
        Assert.True(statistics.Slots < statistics.Documents + 1024, $"slots {statistics.Slots}");
        Assert.True(statistics.ApproximateBytes > 0);
        var probe = Doc("翠园小区3号楼电梯又坏了，停在十几层。", "翠园小区3号楼", Lift, daysAgo: 0);
        Assert.True(Find(index, probe, keeper.CaseId)?.IsRepeat);
        Assert.Contains(index.FindCandidates(Probe(docs[3999]), Options), c => c.CaseId == docs[3980].CaseId && c.SamePlace);
    }

    [Fact]
    public void Options_are_checked()
    {
        using var index = new RepeatIndex();
        var probe = Probe(Doc("电梯坏了", null, Lift));

        Assert.Throws<ArgumentOutOfRangeException>(() => index.FindCandidates(probe, Options with { Window = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.FindCandidates(probe, Options with { MaxCandidates = 0 }));
        Assert.Empty(index.FindCandidates(probe));
    }
}
