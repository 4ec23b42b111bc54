using Mediator;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.StopContainer;

internal sealed class StopContainerCommandHandler(ContainerCommandSteps steps)
    : ICommandHandler<StopContainerCommand, OperationDto>
{
    public async ValueTask<OperationDto> Handle(StopContainerCommand command, CancellationToken cancellationToken)
    {
        var container = await steps.TargetAsync(command.VmId, cancellationToken);
        await steps.RequireStateAsync(container, mustBeRunning: true, "stopped", cancellationToken);
        var task = await steps.Gateway.StopAsync(container.Node, container.VmId, cancellationToken);
        return steps.Started(task);
    }
}
