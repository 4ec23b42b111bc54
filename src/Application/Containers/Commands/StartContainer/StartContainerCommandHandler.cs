using Mediator;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.StartContainer;

internal sealed class StartContainerCommandHandler(ContainerOperations operations)
    : ICommandHandler<StartContainerCommand, OperationDto>
{
    public async ValueTask<OperationDto> Handle(StartContainerCommand command, CancellationToken cancellationToken)
    {
        var container = await operations.TargetAsync(command.VmId, cancellationToken);
        await operations.RequireStateAsync(container, mustBeRunning: false, "started", cancellationToken);
        var task = await operations.Gateway.StartAsync(container.Node, container.VmId, cancellationToken);
        return operations.Started(task);
    }
}
