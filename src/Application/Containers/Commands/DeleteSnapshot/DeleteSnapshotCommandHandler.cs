using Mediator;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.DeleteSnapshot;

internal sealed class DeleteSnapshotCommandHandler(ContainerCommandSteps steps)
    : ICommandHandler<DeleteSnapshotCommand, OperationDto>
{
    public async ValueTask<OperationDto> Handle(DeleteSnapshotCommand command, CancellationToken cancellationToken)
    {
        var container = await steps.TargetAsync(command.VmId, cancellationToken);
        await SnapshotGuard.RequireAsync(steps, container, command.Name, cancellationToken);
        var task = await steps.Gateway.DeleteSnapshotAsync(container.Node, container.VmId, command.Name, cancellationToken);
        return steps.Started(task);
    }
}
