namespace ProxmoxLxc.Domain.ApiKeys;

/// <summary>An inclusive range of container ids.</summary>
public sealed record VmIdRange(int Min, int Max)
{
    public bool Contains(int vmId) => vmId >= Min && vmId <= Max;
}

/// <summary>
/// Resource restrictions of a key. Empty lists and a null range mean "unrestricted" on that axis.
/// A container is visible when it passes every axis that is restricted.
/// </summary>
public sealed record KeyRestriction(IReadOnlyList<string> AllowedNodes, IReadOnlyList<string> AllowedPools, VmIdRange? VmIdRange)
{
    public static KeyRestriction None { get; } = new([], [], null);

    public bool IsUnrestricted => AllowedNodes.Count == 0 && AllowedPools.Count == 0 && VmIdRange is null;

    public bool Allows(int vmId, string? node, string? pool) =>
        (AllowedNodes.Count == 0 || (node is not null && AllowedNodes.Contains(node, StringComparer.Ordinal)))
        && (AllowedPools.Count == 0 || (pool is not null && AllowedPools.Contains(pool, StringComparer.Ordinal)))
        && (VmIdRange is null || VmIdRange.Contains(vmId));

    /// <summary>True when every container this restriction allows is also allowed by <paramref name="outer"/>.</summary>
    public bool IsWithin(KeyRestriction outer)
    {
        ArgumentNullException.ThrowIfNull(outer);
        var nodesOk = outer.AllowedNodes.Count == 0
            || (AllowedNodes.Count > 0 && AllowedNodes.All(n => outer.AllowedNodes.Contains(n, StringComparer.Ordinal)));
        var poolsOk = outer.AllowedPools.Count == 0
            || (AllowedPools.Count > 0 && AllowedPools.All(p => outer.AllowedPools.Contains(p, StringComparer.Ordinal)));
        var rangeOk = outer.VmIdRange is null
            || (VmIdRange is not null && VmIdRange.Min >= outer.VmIdRange.Min && VmIdRange.Max <= outer.VmIdRange.Max);
        return nodesOk && poolsOk && rangeOk;
    }
}
