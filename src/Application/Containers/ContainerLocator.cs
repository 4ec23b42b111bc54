using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.Containers;

/// <summary>
/// Finds a container in the inventory view (no Proxmox call while the view is fresh) and applies the caller's resource
/// restriction: a container outside it is indistinguishable from one that does not exist (404
/// <c>container_not_found</c>, never 403). Remembers what it located for this request, so that
/// <see cref="ContainerRelocationBehavior{TMessage, TResponse}"/> can refresh and retry when Proxmox says the container
/// is not on that node.
/// </summary>
internal sealed class ContainerLocator(IClusterInventory inventory, ICurrentCaller currentCaller)
{
    /// <summary>The view the last <see cref="LocateAsync"/> of this request found its container in, if any.</summary>
    public InventoryView? LocatedIn { get; private set; }

    public async Task<ClusterContainer> LocateAsync(int vmId, CancellationToken cancellationToken)
    {
        var view = await inventory.GetAsync(cancellationToken);
        var container = view.Find(vmId);
        if (container is null || !IsVisible(container))
        {
            throw NotFound(vmId);
        }

        LocatedIn = view;
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
