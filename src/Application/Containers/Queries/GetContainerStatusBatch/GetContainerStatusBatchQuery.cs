using ProxmoxLxc.Application.Common.Messaging;
using ProxmoxLxc.Application.Common.Models;

namespace ProxmoxLxc.Application.Containers.Queries.GetContainerStatusBatch;

/// <summary>
/// Figures of up to <see cref="MaxIds"/> containers from the inventory view (at most
/// <c>Proxmox:InventoryMaxAgeSeconds</c> old): one entry per id, in the order asked; missing and invisible containers
/// both answer <c>container_not_found</c>.
/// </summary>
public sealed record GetContainerStatusBatchQuery(IReadOnlyList<int> VmIds) : IAppQuery<Inventoried<ContainerStatusBatchDto>>
{
    public const int MaxIds = 500;

    public static string RequiredScope => Domain.ApiKeys.Scopes.ContainersRead;
}
