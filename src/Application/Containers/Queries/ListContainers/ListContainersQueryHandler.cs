using Mediator;
using ProxmoxLxc.Application.Common.Models;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.Containers.Queries.ListContainers;

/// <summary>Served from the inventory view; invisible containers never leave this handler.</summary>
internal sealed class ListContainersQueryHandler(IClusterInventory inventory, ContainerLocator locator, TimeProvider time)
    : IQueryHandler<ListContainersQuery, Inventoried<Page<ContainerSummaryDto>>>
{
    public async ValueTask<Inventoried<Page<ContainerSummaryDto>>> Handle(ListContainersQuery query, CancellationToken cancellationToken)
    {
        var view = await inventory.GetAsync(cancellationToken);
        return new(ContainerListing.Paginate(view.Containers.Where(locator.IsVisible), query), view.AgeSeconds(time.GetUtcNow()));
    }
}
