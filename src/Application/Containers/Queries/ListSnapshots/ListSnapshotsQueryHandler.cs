using Mediator;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Models;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.Containers.Queries.ListSnapshots;

internal sealed class ListSnapshotsQueryHandler(ContainerLocator locator, IProxmoxGateway gateway, IOperationRecorder recorder)
    : IQueryHandler<ListSnapshotsQuery, Page<SnapshotDto>>
{
    public async ValueTask<Page<SnapshotDto>> Handle(ListSnapshotsQuery query, CancellationToken cancellationToken)
    {
        var located = await locator.LocateAsync(query.VmId, cancellationToken);
        recorder.Target(located.VmId, located.Node);
        var snapshots = await gateway.ListSnapshotsAsync(located.Node, located.VmId, cancellationToken);
        var items = snapshots
            .OrderBy(s => s.CreatedAt ?? DateTimeOffset.MinValue)
            .ThenBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => s.ToDto())
            .ToList();
        return new Page<SnapshotDto>(items, null);
    }
}
