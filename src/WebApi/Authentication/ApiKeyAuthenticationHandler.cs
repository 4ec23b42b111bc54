using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
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

/// <summary>
/// The 401 body is a constant — byte for byte the same for a missing, malformed, unknown, wrong,
/// disabled, expired or revoked key — so it tells an attacker nothing. Correlate with <c>X-Request-Id</c>.
/// </summary>
internal static class UnauthenticatedBody
{
    public static readonly byte[] Bytes = System.Text.Encoding.UTF8.GetBytes(
        $$"""{"type":"{{ErrorCodes.TypeUri(ErrorCodes.Unauthenticated)}}","title":"Unauthenticated","status":401,"detail":"A valid API key is required in the X-API-Key header.","code":"{{ErrorCodes.Unauthenticated}}"}""");
}

/// <summary>The caller authenticated for this HTTP request.</summary>
internal sealed class HttpCurrentCaller(IHttpContextAccessor accessor) : ICurrentCaller
{
    public const string ItemKey = "ProxmoxLxc.Caller";

    public CallerIdentity? Caller => accessor.HttpContext?.Items[ItemKey] as CallerIdentity;
}

/// <summary>A fixed caller, for command-line verbs.</summary>
internal sealed class FixedCurrentCaller(CallerIdentity caller) : ICurrentCaller
{
    public CallerIdentity? Caller => caller;
}
