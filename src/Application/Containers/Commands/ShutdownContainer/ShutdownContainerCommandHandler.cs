using Mediator;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.ShutdownContainer;

internal sealed class ShutdownContainerCommandHandler(ContainerCommandSteps steps)
    : ICommandHandler<ShutdownContainerCommand, OperationDto>
{
    public async ValueTask<OperationDto> Handle(ShutdownContainerCommand command, CancellationToken cancellationToken)
    {
        var container = await steps.TargetAsync(command.VmId, cancellationToken);
        await steps.RequireStateAsync(container, mustBeRunning: true, "shut down", cancellationToken);
        var task = await steps.Gateway.ShutdownAsync(container.Node, container.VmId, command.TimeoutSeconds, command.ForceStop, cancellationToken);
        return steps.Started(task);
    }
}
