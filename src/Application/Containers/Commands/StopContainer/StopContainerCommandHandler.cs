using Mediator;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.StopContainer;

internal sealed class StopContainerCommandHandler(ContainerOperations operations)
    : ICommandHandler<StopContainerCommand, OperationDto>
{
    public async ValueTask<OperationDto> Handle(StopContainerCommand command, CancellationToken cancellationToken)
    {
        var container = await operations.TargetAsync(command.VmId, cancellationToken);
        await operations.RequireStateAsync(container, mustBeRunning: true, "stopped", cancellationToken);
        var task = await operations.Gateway.StopAsync(container.Node, container.VmId, cancellationToken);
        return operations.Started(task);
    }
}
