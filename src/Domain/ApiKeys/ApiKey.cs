namespace ProxmoxLxc.Domain.ApiKeys;

/// <summary>
/// An API key. The plaintext (<c>pxl_&lt;id&gt;_&lt;secret&gt;</c>) is never stored: only the SHA-256 hash
/// of the high-entropy secret. State changes go through methods so invariants stay in one place.
/// </summary>
public sealed class ApiKey
{
    private ApiKey()
    {
        Id = string.Empty;
        Name = string.Empty;
        SecretHash = [];
        ScopeList = string.Empty;
    }

    public string Id { get; private set; }
    public string Name { get; private set; }
    public byte[] SecretHash { get; private set; }

    /// <summary>Space-separated scopes as stored.</summary>
    public string ScopeList { get; private set; }

    /// <summary>Comma-separated node names (empty = any).</summary>
    public string? AllowedNodeList { get; private set; }

    /// <summary>Comma-separated pool names (empty = any).</summary>
    public string? AllowedPoolList { get; private set; }

    public int? VmIdMin { get; private set; }
    public int? VmIdMax { get; private set; }
    public bool Enabled { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public string? CreatedBy { get; private set; }
    public DateTimeOffset? ExpiresAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }
    public DateTimeOffset? RotatedAt { get; private set; }
    public DateTimeOffset? LastUsedAt { get; private set; }

    public IReadOnlyList<string> Scopes => ScopeList.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public KeyRestriction Restriction => new(
        Split(AllowedNodeList),
        Split(AllowedPoolList),
        VmIdMin is { } min && VmIdMax is { } max ? new VmIdRange(min, max) : null);

    /// <summary>Scopes and restriction together: what this key may do, and what a key managing it must cover.</summary>
    public KeyAuthority Authority => new(Scopes, Restriction);

    public bool IsRevoked => RevokedAt is not null;

    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } e && e <= now;

    public bool IsActive(DateTimeOffset now) => Enabled && !IsRevoked && !IsExpired(now);

    public bool HoldsKeyAdministration => ProxmoxLxc.Domain.ApiKeys.Scopes.GrantsKeyAdministration(Scopes);

    public static ApiKey Issue(string id, string name, byte[] secretHash, IEnumerable<string> scopes,
        KeyRestriction restriction, DateTimeOffset? expiresAt, DateTimeOffset now, string? createdBy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(secretHash);
        ArgumentNullException.ThrowIfNull(restriction);
        var key = new ApiKey
        {
            Id = id,
            SecretHash = secretHash,
            Enabled = true,
            CreatedAt = now,
            CreatedBy = createdBy,
        };
        key.Rename(name);
        key.SetScopes(scopes);
        key.SetExpiry(expiresAt);
        key.AllowedNodeList = Join(restriction.AllowedNodes);
        key.AllowedPoolList = Join(restriction.AllowedPools);
        key.VmIdMin = restriction.VmIdRange?.Min;
        key.VmIdMax = restriction.VmIdRange?.Max;
        return key;
    }

    public void Rename(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name.Trim();
    }

    public void SetScopes(IEnumerable<string> scopes)
    {
        var list = scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (list.Count == 0 || list.Any(s => !ProxmoxLxc.Domain.ApiKeys.Scopes.IsKnown(s)))
        {
            throw new ArgumentException("A key needs at least one known scope.", nameof(scopes));
        }

        ScopeList = string.Join(' ', list);
    }

    public void SetExpiry(DateTimeOffset? expiresAt) => ExpiresAt = expiresAt;

    public void Enable() => Enabled = true;

    public void Disable() => Enabled = false;

    public void Revoke(DateTimeOffset now)
    {
        RevokedAt ??= now;
        Enabled = false;
    }

    /// <summary>Replaces the secret; the old one stops working at once.</summary>
    public void Rotate(byte[] newSecretHash, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(newSecretHash);
        if (IsRevoked)
        {
            throw new InvalidOperationException("A revoked key cannot be rotated.");
        }

        SecretHash = newSecretHash;
        RotatedAt = now;
    }

    public void MarkUsed(DateTimeOffset at)
    {
        if (LastUsedAt is null || at > LastUsedAt)
        {
            LastUsedAt = at;
        }
    }

    private static string[] Split(string? value) =>
        string.IsNullOrEmpty(value) ? [] : value.Split(',', StringSplitOptions.RemoveEmptyEntries);

    private static string? Join(IReadOnlyList<string> values) => values.Count == 0 ? null : string.Join(',', values);
}
