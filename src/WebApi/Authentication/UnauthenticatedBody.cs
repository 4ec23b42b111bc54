using ProxmoxLxc.Application.Common.Exceptions;

namespace ProxmoxLxc.WebApi.Authentication;

/// <summary>
/// The 401 body is a constant — byte for byte the same for a missing, malformed, unknown, wrong,
/// disabled, expired or revoked key — so it tells an attacker nothing. Correlate with <c>X-Request-Id</c>.
/// </summary>
internal static class UnauthenticatedBody
{
    public static readonly byte[] Bytes = System.Text.Encoding.UTF8.GetBytes(
        $$"""{"type":"{{ErrorCodes.TypeUri(ErrorCodes.Unauthenticated)}}","title":"Unauthenticated","status":401,"detail":"A valid API key is required in the X-API-Key header.","code":"{{ErrorCodes.Unauthenticated}}"}""");
}
