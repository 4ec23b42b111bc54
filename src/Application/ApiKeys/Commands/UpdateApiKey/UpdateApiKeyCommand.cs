using System.Text.Json.Serialization;
using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.ApiKeys.Commands.UpdateApiKey;

/// <summary>Changes only the fields given.</summary>
public sealed record UpdateApiKeyCommand(
    string? Name = null,
    IReadOnlyList<string>? Scopes = null,
    bool? Enabled = null,
    DateTimeOffset? ExpiresAt = null) : IAppCommand<ApiKeyDto>
{
    /// <summary>The key id, from the route.</summary>
    [JsonIgnore]
    public string Id { get; init; } = string.Empty;

    public static string RequiredScope => Domain.ApiKeys.Scopes.KeysAdmin;
}
