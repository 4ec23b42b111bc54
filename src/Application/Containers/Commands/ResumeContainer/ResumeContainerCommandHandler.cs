using Mediator;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.ResumeContainer;

internal sealed class ResumeContainerCommandHandler(ContainerOperations operations)
    : ICommandHandler<ResumeContainerCommand, OperationDto>
{
    public async ValueTask<OperationDto> Handle(ResumeContainerCommand command, CancellationToken cancellationToken)
    {
        var container = await operations.TargetAsync(command.VmId, cancellationToken);
        await operations.RequireStateAsync(container, mustBeRunning: true, "resumed", cancellationToken);
        var task = await operations.Gateway.ResumeAsync(container.Node, container.VmId, cancellationToken);
        return operations.Started(task);
    }
}
