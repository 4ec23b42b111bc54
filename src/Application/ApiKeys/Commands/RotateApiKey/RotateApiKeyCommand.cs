using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.ApiKeys.Commands.RotateApiKey;

/// <summary>Issues a new secret for a key; the old secret stops working at once.</summary>
public sealed record RotateApiKeyCommand(string Id) : IAppCommand<CreatedApiKeyDto>
{
    public static string RequiredScope => Domain.ApiKeys.Scopes.KeysAdmin;
}
