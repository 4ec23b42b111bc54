using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Containers.Queries.GetContainerStatusBatch;

/// <summary>
/// Live figures of up to <see cref="MaxIds"/> containers from one Proxmox round trip: one entry per id, in the
/// order asked; missing and invisible containers both answer <c>container_not_found</c>.
/// </summary>
public sealed record GetContainerStatusBatchQuery(IReadOnlyList<int> VmIds) : IAppQuery<ContainerStatusBatchDto>
{
    public const int MaxIds = 500;

    public static string RequiredScope => Domain.ApiKeys.Scopes.ContainersRead;
}
