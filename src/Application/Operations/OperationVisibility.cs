using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Domain.ApiKeys;
using ProxmoxLxc.Domain.Operations;

namespace ProxmoxLxc.Application.Operations;

/// <summary>
/// Which operation-log rows a caller may read: all with <c>audit:read</c>, else its own; and for a restricted key
/// only operations on containers inside its restriction — operations without a container are for unrestricted keys.
/// The container id range and the nodes are filtered on the row in SQL; pools need the container's current pool,
/// which the inventory view holds (no Proxmox call while it is fresh). A key's own operation on a container
/// that no longer exists stays visible to it (it was inside the restriction when the key acted on it).
/// </summary>
internal sealed class OperationVisibility(ICurrentCaller currentCaller, IClusterInventory inventory)
{
    public async Task<IQueryable<OperationLog>> FilterAsync(IQueryable<OperationLog> rows, CancellationToken cancellationToken)
    {
        var caller = currentCaller.Caller ?? throw new ForbiddenException(Scopes.OperationsRead);
        var keyId = caller.KeyId;
        if (!caller.Has(Scopes.AuditRead))
        {
            rows = rows.Where(o => o.KeyId == keyId);
        }

        var restriction = caller.Restriction;
        if (restriction.IsUnrestricted)
        {
            return rows;
        }

        rows = rows.Where(o => o.VmId != null);
        if (restriction.VmIdRange is { } range)
        {
            var (min, max) = (range.Min, range.Max);
            rows = rows.Where(o => o.VmId >= min && o.VmId <= max);
        }

        if (restriction.AllowedNodes.Count > 0)
        {
            var nodes = restriction.AllowedNodes.ToList();
            rows = rows.Where(o => o.Node != null && nodes.Contains(o.Node));
        }

        if (restriction.AllowedPools.Count > 0)
        {
            var containers = (await inventory.GetAsync(cancellationToken)).Containers;
            var inside = containers.Where(c => restriction.Allows(c.VmId, c.Node, c.Pool)).Select(c => (int?)c.VmId).ToList();
            var existing = containers.Select(c => (int?)c.VmId).ToList();
            rows = rows.Where(o => inside.Contains(o.VmId) || (o.KeyId == keyId && !existing.Contains(o.VmId)));
        }

        return rows;
    }
}
