using System.Text.Json.Serialization;
using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.ApiKeys.Commands.UpdateApiKey;

/// <summary>Changes only the fields given.</summary>
public sealed record UpdateApiKeyCommand(
    string? Name = null,
    IReadOnlyList<string>? Scopes = null,
    bool? Enabled = null) : IAppCommand<ApiKeyDto>
{
    private readonly DateTimeOffset? _expiresAt;

    /// <summary>The key id, from the route.</summary>
    [JsonIgnore]
    public string Id { get; init; } = string.Empty;

    // A property set only when the body names it, so that "expiresAt": null (clear the expiry) differs from no expiresAt.
    public DateTimeOffset? ExpiresAt
    {
        get => _expiresAt;
        init
        {
            _expiresAt = value;
            ChangesExpiry = true;
        }
    }

    /// <summary>True when the body names <c>expiresAt</c>, null included.</summary>
    [JsonIgnore]
    public bool ChangesExpiry { get; private init; }

    public static string RequiredScope => Domain.ApiKeys.Scopes.KeysAdmin;
}
