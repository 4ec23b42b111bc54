using Mediator;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.RebootContainer;

internal sealed class RebootContainerCommandHandler(ContainerCommandSteps steps)
    : ICommandHandler<RebootContainerCommand, OperationDto>
{
    public async ValueTask<OperationDto> Handle(RebootContainerCommand command, CancellationToken cancellationToken)
    {
        var container = await steps.TargetAsync(command.VmId, cancellationToken);
        await steps.RequireStateAsync(container, mustBeRunning: true, "rebooted", cancellationToken);
        var task = await steps.Gateway.RebootAsync(container.Node, container.VmId, command.TimeoutSeconds, cancellationToken);
        return steps.Started(task);
    }
}
