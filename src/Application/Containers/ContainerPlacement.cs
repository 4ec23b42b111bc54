using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Domain.ApiKeys;

namespace ProxmoxLxc.Application.Containers;

/// <summary>
/// Where a new container goes: the node asked for, or the online node with the most free memory among those
/// the key may use that hold the template and the root-disk storage; and which vmid it gets. Also enforces the key's
/// restriction for new containers (403 <c>resource_restricted</c>, naming the restriction).
/// </summary>
internal sealed class ContainerPlacement(IClusterInventory inventory, IProxmoxGateway gateway, ICurrentCaller currentCaller)
{
    /// <summary>Attempts to find a free vmid when Proxmox says the one chosen was taken meanwhile.</summary>
    public const int MaxVmIdAttempts = 8;

    public KeyRestriction Restriction => currentCaller.Caller?.Restriction ?? KeyRestriction.None;

    /// <summary>409 <c>vmid_unavailable</c> for an id any guest holds, whether or not the key can see it; the answer
    /// names nothing else (not the node, name or pool of the holder). Used for every key alike.</summary>
    public static ConflictException VmIdUnavailable(int vmId) =>
        new(ErrorCodes.VmIdUnavailable, $"The id {vmId} is not available for a new container.");

    /// <summary>
    /// Checks a new guest against the inventory view before Proxmox is asked to create it: the id asked for must be
    /// free (409 <c>vmid_unavailable</c>) and the pool must exist (422 at <paramref name="poolField"/>). A guest or pool
    /// made outside this API since the view was fetched is left to Proxmox, whose refusal maps to the same answers.
    /// </summary>
    public async Task EnsureAvailableAsync(int? vmId, string? pool, string poolField, CancellationToken cancellationToken)
    {
        if (vmId is null && pool is null)
        {
            return;
        }

        var view = await inventory.GetAsync(cancellationToken);
        if (vmId is { } id && view.IsVmIdUsed(id))
        {
            throw VmIdUnavailable(id);
        }

        // An empty pool list means this Proxmox does not list pools in /cluster/resources; its refusal is mapped instead.
        if (pool is not null && view.Pools.Count > 0 && !view.Pools.Contains(pool, StringComparer.Ordinal))
        {
            throw new RequestValidationException(poolField, $"Pool '{pool}' does not exist.");
        }
    }

    /// <summary>Refuses a new container (create or clone target) the key could not see afterwards.</summary>
    public void EnsureAllowed(string? node, string? pool, int? vmId, string nodeField, string vmIdField)
    {
        var r = Restriction;
        if (r.AllowedNodes.Count > 0 && node is not null && !r.AllowedNodes.Contains(node, StringComparer.Ordinal))
        {
            throw new ForbiddenException(ErrorCodes.ResourceRestricted,
                $"This API key may only place containers on the nodes {string.Join(", ", r.AllowedNodes)} ('{nodeField}' is '{node}').");
        }

        if (r.AllowedPools.Count > 0 && (pool is null || !r.AllowedPools.Contains(pool, StringComparer.Ordinal)))
        {
            throw new ForbiddenException(ErrorCodes.ResourceRestricted,
                $"This API key may only create containers in the pools {string.Join(", ", r.AllowedPools)}; the new container would be in {(pool is null ? "no pool" : $"pool '{pool}'")}.");
        }

        if (r.VmIdRange is { } range && vmId is { } id && !range.Contains(id))
        {
            throw new ForbiddenException(ErrorCodes.ResourceRestricted,
                $"This API key may only use container ids {range.Min}–{range.Max} ('{vmIdField}' is {id}).");
        }
    }

    /// <summary>Chooses the node for a new container from <paramref name="template"/> with its root disk on <paramref name="rootStorage"/>.</summary>
    public async Task<string> ChooseNodeAsync(string? requested, string template, string rootStorage, CancellationToken cancellationToken)
    {
        var resources = await inventory.GetAsync(cancellationToken);
        var templateStorage = template[..template.IndexOf(':', StringComparison.Ordinal)];
        if (requested is not null)
        {
            var node = resources.Nodes.FirstOrDefault(n => n.Node == requested)
                ?? throw new RequestValidationException("node", $"Node '{requested}' does not exist.");
            if (node.Status != "online")
            {
                throw new RequestValidationException("node", $"Node '{requested}' is {node.Status}.");
            }

            var problem = await CheckNodeAsync(requested, template, templateStorage, rootStorage, cancellationToken);
            if (problem is not null)
            {
                throw new RequestValidationException(problem.Value.Field, problem.Value.Message);
            }

            return requested;
        }

        var allowed = Restriction.AllowedNodes;
        var candidates = resources.Nodes
            .Where(n => n.Status == "online" && (allowed.Count == 0 || allowed.Contains(n.Node, StringComparer.Ordinal)))
            .OrderByDescending(n => n.MaxMemoryBytes - n.MemoryBytes)
            .ThenBy(n => n.Node, StringComparer.Ordinal)
            .ToList();
        (string Field, string Message)? first = null;
        foreach (var candidate in candidates)
        {
            var problem = await CheckNodeAsync(candidate.Node, template, templateStorage, rootStorage, cancellationToken);
            if (problem is null)
            {
                return candidate.Node;
            }

            first ??= problem;
        }

        throw first is { Field: "rootfs.storage" }
            ? new RequestValidationException("rootfs.storage", $"No online node has both the template '{template}' and the storage '{rootStorage}'.")
            : new RequestValidationException("template", $"The template '{template}' is not available on any online node{(allowed.Count > 0 ? " this key may use" : string.Empty)}.");
    }

    /// <summary>A free vmid: from Proxmox's next id, or the lowest unused id inside the key's range.</summary>
    public async Task<int> NextVmIdAsync(ISet<int> tried, CancellationToken cancellationToken)
    {
        if (Restriction.VmIdRange is { } range)
        {
            var view = await inventory.GetAsync(cancellationToken);
            for (long id = Math.Max(range.Min, ProxmoxSyntax.MinVmId); id <= Math.Min(range.Max, ProxmoxSyntax.MaxVmId); id++)
            {
                if (!view.IsVmIdUsed((int)id) && !tried.Contains((int)id))
                {
                    return (int)id;
                }
            }

            throw new ConflictException(ErrorCodes.VmIdRangeExhausted, $"No free container id is left in this key's range {range.Min}–{range.Max}.");
        }

        return await gateway.GetNextVmIdAsync(cancellationToken);
    }

    private async Task<(string Field, string Message)?> CheckNodeAsync(string node, string template, string templateStorage, string rootStorage, CancellationToken cancellationToken)
    {
        var storages = await gateway.ListStoragesAsync(node, cancellationToken);
        var source = storages.FirstOrDefault(s => s.Storage == templateStorage && s.Content.Contains("vztmpl"));
        if (source is null)
        {
            return ("template", $"The template '{template}' is not available on node '{node}' (no template storage '{templateStorage}').");
        }

        var templates = await gateway.ListTemplatesAsync(node, templateStorage, cancellationToken);
        if (!templates.Any(t => string.Equals(t.VolId, template, StringComparison.Ordinal)))
        {
            return ("template", $"The template '{template}' is not available on node '{node}'.");
        }

        if (!storages.Any(s => s.Storage == rootStorage && s.Content.Contains("rootdir")))
        {
            return ("rootfs.storage", $"Storage '{rootStorage}' does not exist on node '{node}' or cannot hold container disks.");
        }

        return null;
    }
}
