using System.Globalization;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Infrastructure.Proxmox.Wire;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>Cluster and nodes: version, <c>/cluster/resources</c>, next free id, node list.</summary>
internal sealed partial class ProxmoxGateway
{
    public async Task<ProxmoxVersion> GetVersionAsync(CancellationToken cancellationToken) =>
        (await api.GetAsync<WireVersion>("version", "version", cancellationToken)).ToModel();

    public async Task<ClusterResources> GetClusterResourcesAsync(CancellationToken cancellationToken) =>
        (await api.GetAsync<List<WireClusterResource>>("cluster/resources", "cluster.resources", cancellationToken)).ToClusterResources();

    public async Task<int> GetNextVmIdAsync(CancellationToken cancellationToken)
    {
        // Proxmox answers {"data":"100"} (a string) in practice; accept a number too.
        var data = await api.GetAsync("cluster/nextid", "cluster.nextid", cancellationToken);
        var text = ProxmoxJson.AsText(data);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new ProxmoxErrorException("Proxmox returned an invalid next VM id.");
    }

    public async Task<IReadOnlyList<NodeInfo>> ListNodesAsync(CancellationToken cancellationToken)
    {
        var wire = await api.GetAsync<List<WireNode>>("nodes", "nodes.list", cancellationToken);
        return wire.Where(n => n.Node is not null).Select(WireMapping.ToModel).ToList();
    }
}
