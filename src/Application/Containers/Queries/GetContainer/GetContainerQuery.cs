using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Containers.Queries.GetContainer;

/// <summary>One container in full (summary, typed config, pending changes, lock, live addresses, digest).</summary>
public sealed record GetContainerQuery(int VmId) : IAppQuery<ContainerDetailDto>, ITargetsContainer
{
    public static string RequiredScope => Domain.ApiKeys.Scopes.ContainersRead;
}
