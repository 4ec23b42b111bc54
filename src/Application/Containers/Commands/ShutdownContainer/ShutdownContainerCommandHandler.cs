using Mediator;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.ShutdownContainer;

internal sealed class ShutdownContainerCommandHandler(ContainerOperations operations)
    : ICommandHandler<ShutdownContainerCommand, OperationDto>
{
    public async ValueTask<OperationDto> Handle(ShutdownContainerCommand command, CancellationToken cancellationToken)
    {
        var container = await operations.TargetAsync(command.VmId, cancellationToken);
        await operations.RequireStateAsync(container, mustBeRunning: true, "shut down", cancellationToken);
        var task = await operations.Gateway.ShutdownAsync(container.Node, container.VmId, command.TimeoutSeconds, command.ForceStop, cancellationToken);
        return operations.Started(task);
    }
}
