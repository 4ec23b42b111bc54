using Mediator;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.RebootContainer;

internal sealed class RebootContainerCommandHandler(ContainerOperations operations)
    : ICommandHandler<RebootContainerCommand, OperationDto>
{
    public async ValueTask<OperationDto> Handle(RebootContainerCommand command, CancellationToken cancellationToken)
    {
        var container = await operations.TargetAsync(command.VmId, cancellationToken);
        await operations.RequireStateAsync(container, mustBeRunning: true, "rebooted", cancellationToken);
        var task = await operations.Gateway.RebootAsync(container.Node, container.VmId, command.TimeoutSeconds, cancellationToken);
        return operations.Started(task);
    }
}
