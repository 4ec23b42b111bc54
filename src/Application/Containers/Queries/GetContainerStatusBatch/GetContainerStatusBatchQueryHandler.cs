using Mediator;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.Containers.Queries.GetContainerStatusBatch;

/// <summary>Answers the whole batch from one <c>/cluster/resources</c> call (it carries the live figures).</summary>
internal sealed class GetContainerStatusBatchQueryHandler(IProxmoxGateway gateway, ContainerLocator locator)
    : IQueryHandler<GetContainerStatusBatchQuery, ContainerStatusBatchDto>
{
    public async ValueTask<ContainerStatusBatchDto> Handle(GetContainerStatusBatchQuery query, CancellationToken cancellationToken)
    {
        var resources = await gateway.GetClusterResourcesAsync(cancellationToken);
        var visible = new Dictionary<int, ClusterContainer>();
        foreach (var container in resources.Containers)
        {
            if (locator.IsVisible(container))
            {
                visible.TryAdd(container.VmId, container);
            }
        }

        var items = query.VmIds
            .Select(id => visible.TryGetValue(id, out var container)
                ? container.ToStatusEntry()
                : new ContainerStatusEntryDto { VmId = id, Error = ErrorCodes.ContainerNotFound })
            .ToList();
        return new ContainerStatusBatchDto(items);
    }
}
