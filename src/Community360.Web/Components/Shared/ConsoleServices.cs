using Community360.Common;
using Community360.Identity;
using Community360.Web.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Community360.Web.Components.Shared;

/// <summary>
/// Runs console work in a fresh DI scope per operation: a circuit lives for hours and its events may overlap, while a
/// DbContext must be short-lived and used by one operation at a time. The circuit's user goes along for the audit trail.
/// </summary>
public sealed class ConsoleServices(IServiceScopeFactory scopes, CircuitUser circuitUser)
{
    public async Task<T> RunAsync<THandler, T>(Func<THandler, Task<T>> work) where THandler : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CircuitUser>().CopyFrom(circuitUser);
        return await work(scope.ServiceProvider.GetRequiredService<THandler>());
    }
}

/// <summary>A handler's refusal, kept for the form that caused it: field messages beside the fields, the rest on top.</summary>
public sealed class FormProblem
{
    private FormProblem(string title, string detail, IReadOnlyDictionary<string, string[]> fields)
    {
        Title = title;
        Detail = detail;
        Fields = fields;
    }

    public string Title { get; }
    public string Detail { get; }
    public IReadOnlyDictionary<string, string[]> Fields { get; }

    public static FormProblem From(AppProblemException problem) => new(problem.Title, problem.Detail,
        problem is ValidationException validation ? validation.Errors : new Dictionary<string, string[]>());

    public static FormProblem Message(string title, string detail) => new(title, detail, new Dictionary<string, string[]>());

    /// <summary>The messages for one field; handlers name fields in camelCase as the API does.</summary>
    public string? For(string field) =>
        Fields.FirstOrDefault(f => string.Equals(f.Key, field, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } messages
            ? string.Join(" ", messages)
            : null;
}

/// <summary>
/// Base of every console component: who the caller is (from the circuit's authentication state, never from
/// HttpContext, which an interactive circuit does not have) and a way to call handlers that turns their zh-CN refusals
/// into <see cref="Problem"/>.
/// </summary>
public abstract class ConsoleComponent : ComponentBase
{
    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private ConsoleServices Services { get; set; } = default!;

    /// <summary>The last refusal of <see cref="TryAsync{THandler,T}"/>; null after a success.</summary>
    protected FormProblem? Problem { get; set; }

    protected async Task<Caller> GetCallerAsync()
    {
        var state = await (AuthenticationState ?? throw new InvalidOperationException("No authentication state cascaded."));
        return state.User.ToCaller();
    }

    /// <summary>Calls a handler; a refusal propagates (use on page load, where the error boundary shows it).</summary>
    protected async Task<T> UseAsync<THandler, T>(Func<THandler, Caller, Task<T>> work) where THandler : notnull
    {
        var caller = await GetCallerAsync();
        return await Services.RunAsync<THandler, T>(handler => work(handler, caller));
    }

    /// <summary>Calls a handler for a user's action; a refusal lands in <see cref="Problem"/> and the result is default.</summary>
    protected async Task<(bool Succeeded, T? Result)> TryAsync<THandler, T>(Func<THandler, Caller, Task<T>> work) where THandler : notnull
    {
        try
        {
            var result = await UseAsync(work);
            Problem = null;
            return (true, result);
        }
        catch (AppProblemException problem)
        {
            Problem = FormProblem.From(problem);
            return (false, default);
        }
    }
}
