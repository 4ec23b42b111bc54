using System.Text.Json.Serialization;

namespace ProxmoxLxc.Application.ApiKeys;

/// <summary>An inclusive container id range.</summary>
public sealed record VmIdRangeDto(int Min, int Max);

/// <summary>Key metadata. Never contains the secret or its hash.</summary>
public sealed record ApiKeyDto(
    string Id,
    string Name,
    string Prefix,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> AllowedNodes,
    IReadOnlyList<string> AllowedPools,
    [property: JsonPropertyName("vmidRange")] VmIdRangeDto? VmIdRange,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? RotatedAt);

/// <summary>A key as created or rotated: the only time <see cref="Key"/> (the plaintext) is shown.</summary>
public sealed record CreatedApiKeyDto(string Key, ApiKeyDto Metadata);
