using ProxmoxLxc.Application.Common.Interfaces;

namespace ProxmoxLxc.Application.Nodes;

/// <summary>Which nodes a caller may see: all, unless its key is restricted to <c>allowedNodes</c>.</summary>
internal static class NodeAccess
{
    public static bool IsVisible(CallerIdentity? caller, string node) =>
        caller is not null
        && (caller.Restriction.AllowedNodes.Count == 0 || caller.Restriction.AllowedNodes.Contains(node, StringComparer.Ordinal));
}
