using ProxmoxLxc.Application.Common.Models;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.Containers.Queries.ListContainers;

/// <summary>Filtering, ordering and keyset pagination of the cluster's containers (pure, unit-tested).</summary>
internal static class ContainerListing
{
    /// <summary>The page of <paramref name="containers"/> (already restricted to what the caller may see) for <paramref name="query"/>.</summary>
    public static Page<ContainerSummaryDto> Paginate(IEnumerable<ClusterContainer> containers, ListContainersQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = query.Limit ?? ListContainersQuery.DefaultLimit;
        var after = ContainerCursor.TryDecode(query.Cursor, out var cursor) ? cursor.LastVmId : int.MinValue;
        var page = containers
            .Where(c => c.VmId > after && Matches(c, query))
            .OrderBy(c => c.VmId)
            .Take(limit + 1)
            .ToList();
        var items = page.Take(limit).Select(c => c.ToSummary()).ToList();
        var next = page.Count > limit ? new ContainerCursor(page[limit - 1].VmId).Encode() : null;
        return new Page<ContainerSummaryDto>(items, next);
    }

    public static bool Matches(ClusterContainer container, ListContainersQuery query)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(query);
        return (query.Node is null || string.Equals(container.Node, query.Node, StringComparison.Ordinal))
            && (query.Status is null || string.Equals(container.Status, query.Status, StringComparison.Ordinal))
            && (query.Pool is null || string.Equals(container.Pool, query.Pool, StringComparison.Ordinal))
            && (query.Tag is null || container.Tags.Contains(query.Tag, StringComparer.OrdinalIgnoreCase))
            && (query.Search is null
                || (container.Name?.Contains(query.Search, StringComparison.OrdinalIgnoreCase) ?? false)
                || container.VmId.ToString(System.Globalization.CultureInfo.InvariantCulture).Contains(query.Search, StringComparison.Ordinal));
    }
}
