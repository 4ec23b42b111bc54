using ProxmoxLxc.Application.Common.Messaging;
using ProxmoxLxc.Application.Common.Models;

namespace ProxmoxLxc.Application.Nodes.Queries.ListNodes;

/// <summary>The cluster's nodes (those the caller's key may see), ordered by name, in one page.</summary>
public sealed record ListNodesQuery : IAppQuery<Page<NodeDto>>
{
    public static string RequiredScope => Domain.ApiKeys.Scopes.ContainersRead;
}
