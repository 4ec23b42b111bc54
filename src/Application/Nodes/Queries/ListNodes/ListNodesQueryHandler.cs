using Mediator;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Models;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Application.Containers;

namespace ProxmoxLxc.Application.Nodes.Queries.ListNodes;

/// <summary>From the inventory view (<c>/cluster/resources</c> carries disk use, which <c>/nodes</c> does not).</summary>
internal sealed class ListNodesQueryHandler(IClusterInventory inventory, ICurrentCaller currentCaller)
    : IQueryHandler<ListNodesQuery, Page<NodeDto>>
{
    public async ValueTask<Page<NodeDto>> Handle(ListNodesQuery query, CancellationToken cancellationToken)
    {
        var resources = await inventory.GetAsync(cancellationToken);
        var items = resources.Nodes
            .Where(n => NodeAccess.IsVisible(currentCaller.Caller, n.Node))
            .OrderBy(n => n.Node, StringComparer.Ordinal)
            .Select(n => new NodeDto
            {
                Node = n.Node,
                Status = n.Status,
                Cpus = n.MaxCpu,
                Cpu = ContainerMapper.CoresUsed(n.Cpu, n.MaxCpu),
                MemoryBytes = n.MemoryBytes,
                MaxMemoryBytes = n.MaxMemoryBytes,
                DiskBytes = n.DiskBytes,
                MaxDiskBytes = n.MaxDiskBytes,
                UptimeSeconds = n.UptimeSeconds,
            })
            .ToList();
        return new Page<NodeDto>(items, null);
    }
}
