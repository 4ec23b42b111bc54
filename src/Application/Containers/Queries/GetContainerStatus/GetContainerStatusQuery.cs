using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Containers.Queries.GetContainerStatus;

/// <summary>Live figures of one container (<c>status/current</c>).</summary>
public sealed record GetContainerStatusQuery(int VmId) : IAppQuery<ContainerStatusDto>, ITargetsContainer
{
    public static string RequiredScope => Domain.ApiKeys.Scopes.ContainersRead;
}
