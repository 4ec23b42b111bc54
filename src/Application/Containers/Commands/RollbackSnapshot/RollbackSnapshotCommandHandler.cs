using Mediator;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.RollbackSnapshot;

internal sealed class RollbackSnapshotCommandHandler(ContainerOperations operations)
    : ICommandHandler<RollbackSnapshotCommand, OperationDto>
{
    public async ValueTask<OperationDto> Handle(RollbackSnapshotCommand command, CancellationToken cancellationToken)
    {
        var container = await operations.TargetAsync(command.VmId, cancellationToken);
        await SnapshotGuard.RequireAsync(operations, container, command.Name, cancellationToken);
        var task = await operations.Gateway.RollbackSnapshotAsync(container.Node, container.VmId, command.Name, cancellationToken);
        return operations.Started(task);
    }
}
