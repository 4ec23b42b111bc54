using Mediator;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.SuspendContainer;

internal sealed class SuspendContainerCommandHandler(ContainerOperations operations)
    : ICommandHandler<SuspendContainerCommand, OperationDto>
{
    public async ValueTask<OperationDto> Handle(SuspendContainerCommand command, CancellationToken cancellationToken)
    {
        var container = await operations.TargetAsync(command.VmId, cancellationToken);
        await operations.RequireStateAsync(container, mustBeRunning: true, "suspended", cancellationToken);
        var task = await operations.Gateway.SuspendAsync(container.Node, container.VmId, cancellationToken);
        return operations.Started(task);
    }
}
