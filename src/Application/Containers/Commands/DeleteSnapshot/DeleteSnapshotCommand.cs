using ProxmoxLxc.Application.Common.Messaging;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.DeleteSnapshot;

/// <summary>Delete the snapshot <paramref name="Name"/>.</summary>
public sealed record DeleteSnapshotCommand(int VmId, string Name) : IAppCommand<OperationDto>, ITargetsContainer
{
    public static string RequiredScope => Domain.ApiKeys.Scopes.ContainersWrite;
}
