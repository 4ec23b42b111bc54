using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.ApiKeys.Commands.RevokeApiKey;

/// <summary>Revokes a key for good; the row stays for the audit trail.</summary>
public sealed record RevokeApiKeyCommand(string Id) : IAppCommand<ApiKeyDto>
{
    public static string RequiredScope => Domain.ApiKeys.Scopes.KeysAdmin;
}
