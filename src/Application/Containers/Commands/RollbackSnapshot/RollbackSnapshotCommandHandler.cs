using Mediator;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.RollbackSnapshot;

internal sealed class RollbackSnapshotCommandHandler(ContainerCommandSteps steps)
    : ICommandHandler<RollbackSnapshotCommand, OperationDto>
{
    public async ValueTask<OperationDto> Handle(RollbackSnapshotCommand command, CancellationToken cancellationToken)
    {
        var container = await steps.TargetAsync(command.VmId, cancellationToken);
        await SnapshotGuard.RequireAsync(steps, container, command.Name, cancellationToken);
        var task = await steps.Gateway.RollbackSnapshotAsync(container.Node, container.VmId, command.Name, cancellationToken);
        return steps.Started(task);
    }
}
