using ProxmoxLxc.Application.Common.Messaging;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.DeleteContainer;

/// <summary>
/// Destroy a container. A running one is refused (409) unless <paramref name="Force"/>: then it is stopped first
/// (waiting for the stop task) and destroyed, in one operation. <paramref name="Purge"/> also removes it from
/// backup jobs, replication and HA.
/// </summary>
public sealed record DeleteContainerCommand(int VmId, bool Force, bool Purge) : IAppCommand<OperationDto>, ITargetsContainer
{
    public static string RequiredScope => Domain.ApiKeys.Scopes.ContainersWrite;
}
