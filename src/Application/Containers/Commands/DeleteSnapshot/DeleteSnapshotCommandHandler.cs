using Mediator;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.DeleteSnapshot;

internal sealed class DeleteSnapshotCommandHandler(ContainerOperations operations)
    : ICommandHandler<DeleteSnapshotCommand, OperationDto>
{
    public async ValueTask<OperationDto> Handle(DeleteSnapshotCommand command, CancellationToken cancellationToken)
    {
        var container = await operations.TargetAsync(command.VmId, cancellationToken);
        await SnapshotGuard.RequireAsync(operations, container, command.Name, cancellationToken);
        var task = await operations.Gateway.DeleteSnapshotAsync(container.Node, container.VmId, command.Name, cancellationToken);
        return operations.Started(task);
    }
}
