using Mediator;
using ProxmoxLxc.Application.Common.Models;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.Containers.Queries.ListContainers;

/// <summary>One <c>/cluster/resources</c> call; invisible containers never leave this handler.</summary>
internal sealed class ListContainersQueryHandler(IProxmoxGateway gateway, ContainerLocator locator)
    : IQueryHandler<ListContainersQuery, Page<ContainerSummaryDto>>
{
    public async ValueTask<Page<ContainerSummaryDto>> Handle(ListContainersQuery query, CancellationToken cancellationToken)
    {
        var resources = await gateway.GetClusterResourcesAsync(cancellationToken);
        return ContainerListing.Paginate(resources.Containers.Where(locator.IsVisible), query);
    }
}
