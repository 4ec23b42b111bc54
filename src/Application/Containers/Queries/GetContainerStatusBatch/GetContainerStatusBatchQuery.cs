using System.Text.Json.Serialization;
using ProxmoxLxc.Application.Common.Auditing;
using ProxmoxLxc.Application.Common.Messaging;
using ProxmoxLxc.Application.Common.Models;

namespace ProxmoxLxc.Application.Containers.Queries.GetContainerStatusBatch;

/// <summary>
/// Figures of up to <see cref="MaxIds"/> containers from the inventory view (at most
/// <c>Proxmox:InventoryMaxAgeSeconds</c> old): one entry per id, in the order asked; missing and invisible containers
/// both answer <c>container_not_found</c>. The operation log records the ids as runs (<c>"1000-1499"</c>).
/// </summary>
public sealed record GetContainerStatusBatchQuery([property: JsonConverter(typeof(VmIdRunsJsonConverter))] IReadOnlyList<int> VmIds) : IAppQuery<Inventoried<ContainerStatusBatchDto>>
{
    public const int MaxIds = 500;

    public static string RequiredScope => Domain.ApiKeys.Scopes.ContainersRead;
}
