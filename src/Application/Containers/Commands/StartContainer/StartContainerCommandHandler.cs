using Mediator;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.StartContainer;

internal sealed class StartContainerCommandHandler(ContainerCommandSteps steps)
    : ICommandHandler<StartContainerCommand, OperationDto>
{
    public async ValueTask<OperationDto> Handle(StartContainerCommand command, CancellationToken cancellationToken)
    {
        var container = await steps.TargetAsync(command.VmId, cancellationToken);
        await steps.RequireStateAsync(container, mustBeRunning: false, "started", cancellationToken);
        var task = await steps.Gateway.StartAsync(container.Node, container.VmId, cancellationToken);
        return steps.Started(task);
    }
}
