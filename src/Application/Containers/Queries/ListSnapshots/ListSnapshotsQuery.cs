using ProxmoxLxc.Application.Common.Messaging;
using ProxmoxLxc.Application.Common.Models;

namespace ProxmoxLxc.Application.Containers.Queries.ListSnapshots;

/// <summary>Snapshots of one container, oldest first (the whole list in one page).</summary>
public sealed record ListSnapshotsQuery(int VmId) : IAppQuery<Page<SnapshotDto>>, ITargetsContainer
{
    public static string RequiredScope => Domain.ApiKeys.Scopes.ContainersRead;
}
