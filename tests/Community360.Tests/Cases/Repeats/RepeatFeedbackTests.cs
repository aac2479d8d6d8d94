using Community360.Cases.Repeats;

namespace Community360.Tests.Cases.Repeats;

public sealed class RepeatFeedbackTests
{
    private static readonly Guid A = new("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid B = new("00000000-0000-0000-0000-00000000000b");
    private static readonly Guid C = new("00000000-0000-0000-0000-00000000000c");

    [Fact]
    public void A_decision_holds_whichever_way_round_the_pair_is_asked()
    {
        var feedback = new RepeatFeedback();

        feedback.RecordConfirmed(B, A);

        Assert.Equal(RepeatDecision.Confirmed, feedback.Find(A, B));
        Assert.True(feedback.IsConfirmed(A, B));
        Assert.False(feedback.IsSplit(B, A));
        Assert.Equal([B], feedback.ConfirmedWith(A));
        Assert.Equal([A], feedback.ConfirmedWith(B));
        Assert.Null(feedback.Find(A, C));
    }

    [Fact]
    public void The_latest_decision_wins_and_a_split_removes_the_confirmed_partner()
    {
        var feedback = new RepeatFeedback();
        feedback.RecordConfirmed(A, B);

        feedback.RecordSplit(A, B);

        Assert.True(feedback.IsSplit(A, B));
        Assert.Empty(feedback.ConfirmedWith(A));
        Assert.Single(feedback.Entries());
    }

    [Fact]
    public void Splitting_a_case_from_a_cluster_splits_it_from_every_member()
    {
        var feedback = new RepeatFeedback();
        feedback.RecordConfirmed(A, B);
        feedback.RecordConfirmed(A, C);
        feedback.RecordConfirmed(B, C);

        feedback.SplitFromCluster(C, [A, B, C]);

        Assert.True(feedback.IsSplit(C, A));
        Assert.True(feedback.IsSplit(C, B));
        Assert.True(feedback.IsConfirmed(A, B));
        Assert.Equal([B], feedback.ConfirmedWith(A));
    }

    [Fact]
    public void Forgetting_undoes_a_decision_and_loading_restores_saved_ones()
    {
        var feedback = new RepeatFeedback();
        feedback.RecordConfirmed(A, B);
        feedback.Forget(B, A);
        Assert.Null(feedback.Find(A, B));
        Assert.Empty(feedback.ConfirmedWith(A));

        var reloaded = new RepeatFeedback();
        reloaded.Load(
        [
            new RepeatFeedbackEntry(A, B, RepeatDecision.Confirmed),
            new RepeatFeedbackEntry(A, C, RepeatDecision.Split),
        ]);

        Assert.True(reloaded.IsConfirmed(B, A));
        Assert.True(reloaded.IsSplit(C, A));
        Assert.Equal(2, reloaded.Count);
    }

    [Fact]
    public void A_case_cannot_be_paired_with_itself()
    {
        Assert.Throws<ArgumentException>(() => new RepeatFeedback().RecordSplit(A, A));
    }

    [Fact]
    public void Decisions_from_many_threads_are_all_kept()
    {
        var feedback = new RepeatFeedback();
        var hub = Guid.NewGuid();
        var others = Enumerable.Range(0, 500).Select(_ => Guid.NewGuid()).ToArray();

        Parallel.For(0, others.Length, i =>
        {
            feedback.RecordConfirmed(hub, others[i]);
            _ = feedback.ConfirmedWith(hub).Count;
        });

        Assert.Equal(others.Length, feedback.ConfirmedWith(hub).Count);
        Assert.All(others, o => Assert.Equal([hub], feedback.ConfirmedWith(o)));
    }
}
