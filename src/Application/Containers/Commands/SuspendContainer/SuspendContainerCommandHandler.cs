using Mediator;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.SuspendContainer;

internal sealed class SuspendContainerCommandHandler(ContainerCommandSteps steps)
    : ICommandHandler<SuspendContainerCommand, OperationDto>
{
    public async ValueTask<OperationDto> Handle(SuspendContainerCommand command, CancellationToken cancellationToken)
    {
        var container = await steps.TargetAsync(command.VmId, cancellationToken);
        await steps.RequireStateAsync(container, mustBeRunning: true, "suspended", cancellationToken);
        var task = await steps.Gateway.SuspendAsync(container.Node, container.VmId, cancellationToken);
        return steps.Started(task);
    }
}
