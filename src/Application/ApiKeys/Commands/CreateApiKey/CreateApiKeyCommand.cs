using System.Text.Json.Serialization;
using ProxmoxLxc.Application.Common.Messaging;
using ProxmoxLxc.Domain.ApiKeys;

namespace ProxmoxLxc.Application.ApiKeys.Commands.CreateApiKey;

/// <summary>Creates an API key. A caller cannot grant a scope or a resource it does not hold itself.</summary>
public sealed record CreateApiKeyCommand(
    string Name,
    IReadOnlyList<string> Scopes,
    DateTimeOffset? ExpiresAt = null,
    IReadOnlyList<string>? AllowedNodes = null,
    IReadOnlyList<string>? AllowedPools = null,
    [property: JsonPropertyName("vmidRange")] VmIdRangeDto? VmIdRange = null) : IAppCommand<CreatedApiKeyDto>
{
    public static string RequiredScope => Domain.ApiKeys.Scopes.KeysAdmin;

    internal KeyRestriction ToRestriction() => new(
        AllowedNodes ?? [],
        AllowedPools ?? [],
        VmIdRange is null ? null : new VmIdRange(VmIdRange.Min, VmIdRange.Max));
}
