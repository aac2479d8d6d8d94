using Community360.Cases;
using Community360.Web.Components.Shared;
using Community360.Web.Identity;
using Microsoft.AspNetCore.Components.Authorization;

namespace Community360.Web.Cases;

/// <summary>
/// The caller's inbox counts for the navigation badges, one per circuit. Pages that change a case call
/// <see cref="RefreshAsync"/> after success, so the badges agree with the lists without a reload.
/// </summary>
public sealed class InboxCounter(ConsoleServices services, AuthenticationStateProvider authentication)
{
    public IReadOnlyList<InboxCountDto> Counts { get; private set; } = [];

    public event Action? Changed;

    public async Task RefreshAsync()
    {
        var caller = (await authentication.GetAuthenticationStateAsync()).User.ToCaller();
        Counts = CaseInboxes.For(caller).Count == 0
            ? []
            : await services.RunAsync<CaseHandlers, IReadOnlyList<InboxCountDto>>(h => h.InboxCountsAsync(caller, CancellationToken.None));
        Changed?.Invoke();
    }
}
