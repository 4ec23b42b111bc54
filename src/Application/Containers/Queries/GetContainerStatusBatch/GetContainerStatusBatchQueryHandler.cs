using Mediator;
using ProxmoxLxc.Application.Common.Models;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.Containers.Queries.GetContainerStatusBatch;

/// <summary>Answers the whole batch from the inventory view (<c>/cluster/resources</c> carries the live figures).</summary>
internal sealed class GetContainerStatusBatchQueryHandler(IClusterInventory inventory, ContainerLocator locator, TimeProvider time)
    : IQueryHandler<GetContainerStatusBatchQuery, Inventoried<ContainerStatusBatchDto>>
{
    public async ValueTask<Inventoried<ContainerStatusBatchDto>> Handle(GetContainerStatusBatchQuery query, CancellationToken cancellationToken)
    {
        var view = await inventory.GetAsync(cancellationToken);
        var items = new List<ContainerStatusEntryDto>(query.VmIds.Count);
        foreach (var id in query.VmIds)
        {
            items.Add(view.Find(id) is { } container && locator.IsVisible(container)
                ? container.ToStatusEntry()
                : new ContainerStatusEntryDto { VmId = id, Error = ErrorCodes.ContainerNotFound });
        }

        return new(new ContainerStatusBatchDto(items), view.AgeSeconds(time.GetUtcNow()));
    }
}
