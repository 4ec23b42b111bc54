using System.Runtime.CompilerServices;
using Mediator;
using ProxmoxLxc.Application.Common.Models;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.Containers.Queries.GetContainerStatusBatch;

/// <summary>
/// Answers the whole batch from the inventory view (<c>/cluster/resources</c> carries the live figures). A container's
/// entry is made once per inventory snapshot of it (snapshots are immutable and replaced on refresh), not once per
/// request: a portal polling 500 ids would otherwise allocate 500 entries of ~340 bytes every time.
/// </summary>
internal sealed class GetContainerStatusBatchQueryHandler(IClusterInventory inventory, ContainerLocator locator, TimeProvider time)
    : IQueryHandler<GetContainerStatusBatchQuery, Inventoried<ContainerStatusBatchDto>>
{
    private static readonly ConditionalWeakTable<ClusterContainer, ContainerStatusEntryDto> Entries = new();

    public async ValueTask<Inventoried<ContainerStatusBatchDto>> Handle(GetContainerStatusBatchQuery query, CancellationToken cancellationToken)
    {
        var view = await inventory.GetAsync(cancellationToken);
        var items = new List<ContainerStatusEntryDto>(query.VmIds.Count);
        foreach (var id in query.VmIds)
        {
            items.Add(view.Find(id) is { } container && locator.IsVisible(container)
                ? Entries.GetValue(container, static c => c.ToStatusEntry())
                : new ContainerStatusEntryDto { VmId = id, Error = ErrorCodes.ContainerNotFound });
        }

        return new(new ContainerStatusBatchDto(items), view.AgeSeconds(time.GetUtcNow()));
    }
}
