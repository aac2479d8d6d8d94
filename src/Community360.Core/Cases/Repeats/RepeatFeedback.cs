using System.Collections.Concurrent;

namespace Community360.Cases.Repeats;

/// <summary>What a dispatcher decided about two cases.</summary>
public enum RepeatDecision
{
    /// <summary>The same problem: always shown as a repeat ("调度员已确认").</summary>
    Confirmed,

    /// <summary>Not the same problem: never suggested again.</summary>
    Split,
}

/// <summary>One recorded decision, as persisted and reloaded.</summary>
public sealed record RepeatFeedbackEntry(Guid CaseA, Guid CaseB, RepeatDecision Decision);

/// <summary>
/// The dispatchers' decisions about pairs of cases, consulted by every lookup: a split pair is never suggested again, a
/// confirmed pair is always a repeat. The order of the two cases does not matter; the latest decision about a pair wins.
/// Thread-safe: lookups never block, decisions are rare.
/// </summary>
public sealed class RepeatFeedback
{
    private readonly ConcurrentDictionary<(Guid, Guid), RepeatDecision> _decisions = new();
    private readonly ConcurrentDictionary<Guid, Guid[]> _confirmedPartners = new();
    private readonly Lock _writeGate = new();

    public int Count => _decisions.Count;

    public void RecordConfirmed(Guid a, Guid b) => Record(a, b, RepeatDecision.Confirmed);

    public void RecordSplit(Guid a, Guid b) => Record(a, b, RepeatDecision.Split);

    /// <summary>Takes <paramref name="caseId"/> out of a cluster: it is split from every other member.</summary>
    public void SplitFromCluster(Guid caseId, IEnumerable<Guid> otherMembers)
    {
        foreach (var other in otherMembers)
        {
            if (other != caseId)
            {
                RecordSplit(caseId, other);
            }
        }
    }

    /// <summary>Forgets the decision about a pair (a dispatcher undid it).</summary>
    public void Forget(Guid a, Guid b)
    {
        lock (_writeGate)
        {
            if (_decisions.TryRemove(Key(a, b), out var previous) && previous == RepeatDecision.Confirmed)
            {
                RemovePartner(a, b);
                RemovePartner(b, a);
            }
        }
    }

    /// <summary>Adds decisions read back from the database; of two about one pair, the later wins.</summary>
    public void Load(IEnumerable<RepeatFeedbackEntry> entries)
    {
        foreach (var entry in entries)
        {
            Record(entry.CaseA, entry.CaseB, entry.Decision);
        }
    }

    public RepeatDecision? Find(Guid a, Guid b) =>
        _decisions.TryGetValue(Key(a, b), out var decision) ? decision : null;

    public bool IsSplit(Guid a, Guid b) => Find(a, b) == RepeatDecision.Split;

    public bool IsConfirmed(Guid a, Guid b) => Find(a, b) == RepeatDecision.Confirmed;

    /// <summary>The cases a dispatcher confirmed as repeats of <paramref name="caseId"/>.</summary>
    public IReadOnlyList<Guid> ConfirmedWith(Guid caseId) =>
        _confirmedPartners.TryGetValue(caseId, out var partners) ? partners : [];

    public IReadOnlyList<RepeatFeedbackEntry> Entries() =>
        [.. _decisions.Select(d => new RepeatFeedbackEntry(d.Key.Item1, d.Key.Item2, d.Value))];

    private void Record(Guid a, Guid b, RepeatDecision decision)
    {
        if (a == b)
        {
            throw new ArgumentException("A case cannot be paired with itself.", nameof(b));
        }
        lock (_writeGate)
        {
            _decisions[Key(a, b)] = decision;
            if (decision == RepeatDecision.Confirmed)
            {
                AddPartner(a, b);
                AddPartner(b, a);
            }
            else
            {
                RemovePartner(a, b);
                RemovePartner(b, a);
            }
        }
    }

    // Partner arrays are replaced, never changed, so a reader holding one sees a consistent list.
    private void AddPartner(Guid of, Guid partner)
    {
        var current = ConfirmedWith(of);
        if (!current.Contains(partner))
        {
            _confirmedPartners[of] = [.. current, partner];
        }
    }

    private void RemovePartner(Guid of, Guid partner)
    {
        if (_confirmedPartners.TryGetValue(of, out var current) && current.Contains(partner))
        {
            var rest = current.Where(p => p != partner).ToArray();
            if (rest.Length == 0)
            {
                _confirmedPartners.TryRemove(of, out _);
            }
            else
            {
                _confirmedPartners[of] = rest;
            }
        }
    }

    private static (Guid, Guid) Key(Guid a, Guid b) => a.CompareTo(b) <= 0 ? (a, b) : (b, a);
}
