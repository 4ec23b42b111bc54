using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>
/// Told by <see cref="ClusterInventory"/> when a refresh replaced its view, before the refresh's readers get the new
/// view. Must not throw: a failure here would fail the inventory read.
/// </summary>
internal interface IInventoryObserver
{
    Task ViewReplacedAsync(InventoryView previous, InventoryView current);
}
