namespace Community360.Common;

/// <summary>An entity people edit: it carries an optimistic-concurrency token that changes on every save.</summary>
public interface IVersioned
{
    Guid Version { get; set; }
}

/// <summary>Keeps created/updated instants; the DbContext stamps them from <see cref="TimeProvider"/>.</summary>
public interface ITimestamped
{
    DateTime CreatedAt { get; set; }
    DateTime UpdatedAt { get; set; }
}

/// <summary>
/// A row that belongs to a node of the org tree. <see cref="ScopePath"/> is the materialized path of that
/// node ("/street/community/grid/…"), so "in the caller's subtree" is a prefix match written into the query.
/// </summary>
public interface IScoped
{
    string ScopePath { get; }
}

/// <summary>
/// An entity whose every change is written to its own immutable event log (a case and its timeline): the generic
/// audit chain would only repeat it, and would serialize every intake behind one lock.
/// </summary>
public interface IHasOwnEventLog;

public abstract class EditableEntity : IVersioned, ITimestamped
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid Version { get; set; } = Guid.NewGuid();
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public bool IsRetired { get; set; }
    public DateTime? RetiredAt { get; set; }
}
