using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.Containers;

/// <summary>
/// Finds a container and applies the caller's resource restriction: a container outside it is
/// indistinguishable from one that does not exist (404 <c>container_not_found</c>, never 403).
/// </summary>
internal sealed class ContainerLocator(IProxmoxGateway gateway, ICurrentCaller currentCaller)
{
    public async Task<ClusterContainer> LocateAsync(int vmId, CancellationToken cancellationToken)
    {
        var container = await gateway.FindContainerAsync(vmId, cancellationToken);
        if (container is null || !IsVisible(container))
        {
            throw NotFound(vmId);
        }

        return container;
    }

    public bool IsVisible(ClusterContainer container)
    {
        ArgumentNullException.ThrowIfNull(container);
        var caller = currentCaller.Caller;
        return caller is not null && caller.Restriction.Allows(container.VmId, container.Node, container.Pool);
    }

    public static NotFoundException NotFound(int vmId) =>
        new(ErrorCodes.ContainerNotFound, $"Container {vmId} was not found.");
}
