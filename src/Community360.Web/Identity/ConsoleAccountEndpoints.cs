using Microsoft.AspNetCore.Antiforgery;

namespace Community360.Web.Identity;

/// <summary>The console's sign-out: a form post (antiforgery-checked), then back to the sign-in page.</summary>
internal static class ConsoleAccountEndpoints
{
    public static IEndpointRouteBuilder MapConsoleAccount(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/logout", async (HttpContext context, StaffSignIn signIn) =>
        {
            if (context.User.Identity?.IsAuthenticated == true)
            {
                await signIn.SignOutBrowserAsync(context, context.User.ToCaller());
            }
            return TypedResults.LocalRedirect("/login?signedOut=1");
        }).AllowAnonymous().ExcludeFromDescription().WithMetadata(new RequireAntiforgeryTokenAttribute());
        return app;
    }
}
