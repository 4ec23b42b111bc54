namespace ProxmoxLxc.Domain.ApiKeys;

/// <summary>
/// What a key may do: its scopes and its resource restriction. This is the one rule of key management: a key
/// creates, reads, changes, rotates, disables and revokes only keys whose authority it <see cref="Covers"/> —
/// scopes within its own (<see cref="ApiKeys.Scopes.Admin"/> implies all) and a restriction at least as narrow as its own
/// (an unrestricted key is wider than any restricted one).
/// </summary>
public sealed record KeyAuthority(IReadOnlyCollection<string> Scopes, KeyRestriction Restriction)
{
    /// <summary>True when <paramref name="other"/> holds no scope and no container beyond this authority.</summary>
    public bool Covers(KeyAuthority other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return FirstMissingScope(other) is null && other.Restriction.IsWithin(Restriction);
    }

    /// <summary>The first scope of <paramref name="other"/> that this authority does not hold, or null.</summary>
    public string? FirstMissingScope(KeyAuthority other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var held = ProxmoxLxc.Domain.ApiKeys.Scopes.Expand(Scopes);
        return other.Scopes.FirstOrDefault(scope => !held.Contains(scope));
    }
}
