using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Domain;
using ProxmoxLxc.Domain.ApiKeys;

namespace ProxmoxLxc.Application.Operations;

/// <summary>
/// Which operation-log rows (and events, which follow the same rule) a caller may read: all with <c>audit:read</c>,
/// else its own; and for a restricted key only records about containers inside its restriction — records without a
/// container are for unrestricted keys. The container id range and the nodes are filtered on the row in SQL; pools need
/// the container's current pool, which the inventory view holds (no Proxmox call while it is fresh), read each time
/// the rule is resolved (<see cref="ForAsync"/>). A key's own operation on a container that no longer exists stays visible to it
/// (it was inside the restriction when the key acted on it).
/// </summary>
public sealed class OperationVisibility(ICurrentCaller currentCaller, IClusterInventory inventory)
{
    public async Task<IQueryable<T>> FilterAsync<T>(IQueryable<T> rows, CancellationToken cancellationToken)
        where T : class, IKeyedRecord =>
        (await ForAsync(currentCaller.Caller ?? throw new ForbiddenException(Scopes.OperationsRead), cancellationToken)).Apply(rows);

    /// <summary>The rule for <paramref name="caller"/>, resolved now (pool membership as the inventory view has it).</summary>
    public async Task<RowVisibility> ForAsync(CallerIdentity caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var restriction = caller.Restriction;
        if (restriction.IsUnrestricted || restriction.AllowedPools.Count == 0)
        {
            return new RowVisibility(caller.KeyId, caller.Has(Scopes.AuditRead), restriction, null, null);
        }

        var containers = (await inventory.GetAsync(cancellationToken)).Containers;
        var inside = containers.Where(c => restriction.Allows(c.VmId, c.Node, c.Pool)).Select(c => (int?)c.VmId).ToList();
        var existing = containers.Select(c => (int?)c.VmId).ToList();
        return new RowVisibility(caller.KeyId, caller.Has(Scopes.AuditRead), restriction, inside, existing);
    }
}

/// <summary>The rule of <see cref="OperationVisibility"/> resolved for one caller; applies to any <see cref="IKeyedRecord"/> query.</summary>
public sealed class RowVisibility
{
    private readonly string _keyId;
    private readonly bool _seesAllKeys;
    private readonly KeyRestriction _restriction;
    private readonly List<int?>? _insidePools;
    private readonly List<int?>? _existing;

    internal RowVisibility(string keyId, bool seesAllKeys, KeyRestriction restriction, List<int?>? insidePools, List<int?>? existing)
    {
        _keyId = keyId;
        _seesAllKeys = seesAllKeys;
        _restriction = restriction;
        _insidePools = insidePools;
        _existing = existing;
    }

    public IQueryable<T> Apply<T>(IQueryable<T> rows)
        where T : class, IKeyedRecord
    {
        var keyId = _keyId;
        if (!_seesAllKeys)
        {
            rows = rows.Where(o => o.KeyId == keyId);
        }

        if (_restriction.IsUnrestricted)
        {
            return rows;
        }

        rows = rows.Where(o => o.VmId != null);
        if (_restriction.VmIdRange is { } range)
        {
            var (min, max) = (range.Min, range.Max);
            rows = rows.Where(o => o.VmId >= min && o.VmId <= max);
        }

        if (_restriction.AllowedNodes.Count > 0)
        {
            var nodes = _restriction.AllowedNodes.ToList();
            rows = rows.Where(o => o.Node != null && nodes.Contains(o.Node));
        }

        if (_insidePools is { } inside && _existing is { } existing)
        {
            rows = rows.Where(o => inside.Contains(o.VmId) || (o.KeyId == keyId && !existing.Contains(o.VmId)));
        }

        return rows;
    }
}
