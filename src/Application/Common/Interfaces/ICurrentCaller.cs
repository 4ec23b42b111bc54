using ProxmoxLxc.Domain.ApiKeys;

namespace ProxmoxLxc.Application.Common.Interfaces;

/// <summary>The authenticated caller of the current request (an API key, or the command line).</summary>
public sealed record CallerIdentity(string KeyId, string Name, IReadOnlySet<string> Scopes, KeyRestriction Restriction)
{
    /// <summary>The identity of a local administrator using the command-line verbs.</summary>
    public static CallerIdentity CommandLine { get; } =
        new("cli", "command line", ProxmoxLxc.Domain.ApiKeys.Scopes.Expand([ProxmoxLxc.Domain.ApiKeys.Scopes.Admin]), KeyRestriction.None);

    /// <summary>The identity an API key gives its caller (its expanded scopes and its restriction).</summary>
    public static CallerIdentity Of(ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(key.Id, key.Name, ProxmoxLxc.Domain.ApiKeys.Scopes.Expand(key.Scopes), key.Restriction);
    }

    public bool Has(string scope) => ProxmoxLxc.Domain.ApiKeys.Scopes.Satisfies(Scopes, scope);

    /// <summary>What this caller may do; it creates and manages only keys it <see cref="KeyAuthority.Covers"/>.</summary>
    public KeyAuthority Authority => new(Scopes, Restriction);
}

public interface ICurrentCaller
{
    CallerIdentity? Caller { get; }
}
