using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Infrastructure.Security;

namespace ProxmoxLxc.WebApi.Authentication;

internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IApiKeyAuthenticator authenticator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-API-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values))
        {
            return AuthenticateResult.NoResult();
        }

        var caller = values.Count == 1 ? await authenticator.AuthenticateAsync(values[0], Context.RequestAborted) : null;
        if (caller is null)
        {
            // One message for every kind of bad key: no oracle.
            return AuthenticateResult.Fail("Invalid API key.");
        }

        Context.Items[HttpCurrentCaller.ItemKey] = caller;
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, caller.KeyId), new Claim(ClaimTypes.Name, caller.Name)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = SchemeName;
        Response.ContentType = "application/problem+json";
        return Response.Body.WriteAsync(UnauthenticatedBody.Bytes, Context.RequestAborted).AsTask();
    }
}
