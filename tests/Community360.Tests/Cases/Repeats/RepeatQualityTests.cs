using System.Globalization;
using System.Text;
using Community360.Cases.Repeats;

namespace Community360.Tests.Cases.Repeats;

/// <summary>
/// Precision and recall of <see cref="RepeatCandidate.IsRepeat"/> on the labelled set. The thresholds in
/// <see cref="RepeatThresholds"/> were chosen on the tuning set; the held-out set comes from another seed and was not
/// looked at while tuning. Every earlier case in the window counts: a case suggested as a repeat that is not the same
/// problem is a false positive whether or not the generator designed it as a decoy.
/// </summary>
public sealed class RepeatQualityTests(ITestOutputHelper output)
{
    internal const int TuningSeed = 20250611;
    internal const int HeldOutSeed = 90817;

    [Fact]
    public void Tuning_set_reaches_precision_and_recall_of_95_percent()
    {
        var result = Evaluate(RepeatLabelledSet.Generate(TuningSeed));
        output.WriteLine(result.Report("tuning set (seed " + TuningSeed.ToString(CultureInfo.InvariantCulture) + ")"));

        Assert.True(result.Precision >= 0.95, $"precision {result.Precision:0.000}");
        Assert.True(result.Recall >= 0.95, $"recall {result.Recall:0.000}");
    }

    [Fact]
    public void Held_out_set_reaches_precision_and_recall_of_95_percent()
    {
        var result = Evaluate(RepeatLabelledSet.Generate(HeldOutSeed));
        output.WriteLine(result.Report("held-out set (seed " + HeldOutSeed.ToString(CultureInfo.InvariantCulture) + ")"));

        Assert.True(result.Precision >= 0.95, $"precision {result.Precision:0.000}");
        Assert.True(result.Recall >= 0.95, $"recall {result.Recall:0.000}");
    }

    [Fact]
    public void The_labelled_set_is_deterministic_and_large_enough()
    {
        var a = RepeatLabelledSet.Generate(TuningSeed);
        var b = RepeatLabelledSet.Generate(TuningSeed);
        var pairs = a.Pairs().ToList();

        Assert.Equal(a.Cases.Select(c => c.Document), b.Cases.Select(c => c.Document));
        Assert.True(a.Cases.Count(c => c.Kind == LabelKind.Original) >= 300);
        Assert.True(pairs.Count(p => p.IsRepeat) >= 300);
        foreach (var kind in new[]
        {
            LabelKind.SamePlaceOtherProblem, LabelKind.SamePlaceSameCategoryOtherIssue, LabelKind.SameTopicOtherPlace, LabelKind.SameTopicOtherBuilding,
            LabelKind.FrequentCallerNewProblem, LabelKind.Boilerplate, LabelKind.LateRepeat,
        })
        {
            Assert.True(pairs.Count(p => p.Kind == kind) >= 20, $"{kind}: {pairs.Count(p => p.Kind == kind)}");
        }
    }

    /// <summary>
    /// Indexes the set, looks every case up as it was received, and counts suggested repeats against the labels; with
    /// <paramref name="uncategorizedProbes"/> the probes are as at intake, before a dispatcher chose a subcategory.
    /// </summary>
    internal static Evaluation Evaluate(RepeatLabelledSet set, RepeatOptions? options = null, bool uncategorizedProbes = false)
    {
        options ??= RepeatOptions.Default with { CategoryLabel = set.CategoryLabel };
        using var index = new RepeatIndex();
        index.AddRange(set.Cases.Select(c => c.Document));
        var byId = set.Cases.ToDictionary(c => c.Document.CaseId);
        var evaluation = new Evaluation(set);
        foreach (var probe in set.Cases)
        {
            var query = RepeatProbe.For(probe.Document);
            if (uncategorizedProbes)
            {
                query = query with { CategoryId = null, ParentCategoryId = null };
            }
            var candidates = index.FindCandidates(query, options);
            var truth = set.EarlierRepeatsOf(probe).Select(c => c.Document.CaseId).ToHashSet();
            foreach (var candidate in candidates)
            {
                var other = byId[candidate.CaseId];
                if (candidate.IsRepeat)
                {
                    if (truth.Contains(candidate.CaseId))
                    {
                        evaluation.TruePositives++;
                    }
                    else
                    {
                        evaluation.AddFalsePositive(probe, other, candidate);
                    }
                }
            }
            foreach (var missed in truth.Where(id => !candidates.Any(c => c.CaseId == id && c.IsRepeat)))
            {
                evaluation.AddFalseNegative(probe, byId[missed], candidates.FirstOrDefault(c => c.CaseId == missed));
            }
        }
        return evaluation;
    }

    internal sealed class Evaluation(RepeatLabelledSet set)
    {
        private readonly Dictionary<string, int> _falsePositivesByKind = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _falseNegativesByPlace = new(StringComparer.Ordinal);
        private readonly List<string> _examples = [];

        public int TruePositives { get; set; }
        public int FalsePositives { get; private set; }
        public int FalseNegatives { get; private set; }

        public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);
        public double Recall => TruePositives + FalseNegatives == 0 ? 1 : (double)TruePositives / (TruePositives + FalseNegatives);

        public void AddFalsePositive(LabelledCase probe, LabelledCase other, RepeatCandidate candidate)
        {
            FalsePositives++;
            var kind = other.DecoyOfProblem == probe.Problem ? other.Kind.ToString()
                : probe.DecoyOfProblem == other.Problem ? probe.Kind.ToString()
                : other.Problem == probe.Problem ? LabelKind.LateRepeat.ToString()
                : "Undesigned";
            _falsePositivesByKind[kind] = _falsePositivesByKind.GetValueOrDefault(kind) + 1;
            Example("FP " + kind, probe, other, candidate);
        }

        public void AddFalseNegative(LabelledCase probe, LabelledCase other, RepeatCandidate? candidate)
        {
            FalseNegatives++;
            var key = candidate is null ? "not returned" : PlaceLabel(candidate);
            _falseNegativesByPlace[key] = _falseNegativesByPlace.GetValueOrDefault(key) + 1;
            Example("FN " + key, probe, other, candidate);
        }

        /// <summary>The place reason without its details ("同一小区同一楼栋"), or "地点未知".</summary>
        private static string PlaceLabel(RepeatCandidate candidate)
        {
            string[] notPlace = ["调度员", "描述", "同一来电", "同一小类", "同一大类", "问题类别", "类别未定"];
            var reason = candidate.Reasons.FirstOrDefault(r => !notPlace.Any(n => r.StartsWith(n, StringComparison.Ordinal)));
            return reason is null ? "地点未知" : reason.Split('（')[0];
        }

        private void Example(string what, LabelledCase probe, LabelledCase other, RepeatCandidate? candidate)
        {
            // A few of each kind, so that a report shows what goes wrong rather than the first dozen of one sort.
            if (_examples.Count(e => e.StartsWith("  " + what + ":", StringComparison.Ordinal)) < (what.StartsWith("FP", StringComparison.Ordinal) ? 6 : 0))
            {
                _examples.Add(string.Create(CultureInfo.InvariantCulture,
                    $"  {what}: sim {candidate?.TextSimilarity:0.00} [{string.Join("; ", candidate?.Reasons ?? [])}]\n"
                    + $"    {probe.Subcategory} {probe.Address} | {probe.Document.Text}\n"
                    + $"    {other.Subcategory} {other.Address} | {other.Document.Text}"));
            }
        }

        public string Report(string name)
        {
            var pairs = set.Pairs().ToList();
            var text = new StringBuilder();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{name}: {set.Cases.Count} cases, {pairs.Count(p => p.IsRepeat)} repeat pairs, {pairs.Count(p => !p.IsRepeat)} designed negative pairs");
            foreach (var group in pairs.Where(p => !p.IsRepeat).GroupBy(p => p.Kind).OrderBy(g => g.Key))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  negatives {group.Key}: {group.Count()}");
            }
            text.AppendLine(CultureInfo.InvariantCulture,
                $"precision {Precision:0.000} recall {Recall:0.000} (TP {TruePositives}, FP {FalsePositives}, FN {FalseNegatives})");
            foreach (var (kind, count) in _falsePositivesByKind.OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  false positives {kind}: {count}");
            }
            foreach (var (place, count) in _falseNegativesByPlace.OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  false negatives, places {place}: {count}");
            }
            foreach (var example in _examples)
            {
                text.AppendLine(example);
            }
            return text.ToString();
        }
    }
}
