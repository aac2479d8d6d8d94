namespace Community360.Web.Cases;

/// <summary>
/// Keeps the navigation's inbox badges current: pages that act on cases call <see cref="RefreshAsync"/> after a success,
/// and the navigation listens to <see cref="Changed"/>. Minimal version; the navigation's counting lives with it.
/// </summary>
public sealed class InboxCounter
{
    public event Action? Changed;

    public Task RefreshAsync()
    {
        Changed?.Invoke();
        return Task.CompletedTask;
    }
}
