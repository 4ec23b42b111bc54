using Mediator;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.ResumeContainer;

internal sealed class ResumeContainerCommandHandler(ContainerCommandSteps steps)
    : ICommandHandler<ResumeContainerCommand, OperationDto>
{
    public async ValueTask<OperationDto> Handle(ResumeContainerCommand command, CancellationToken cancellationToken)
    {
        var container = await steps.TargetAsync(command.VmId, cancellationToken);
        await steps.RequireStateAsync(container, mustBeRunning: true, "resumed", cancellationToken);
        var task = await steps.Gateway.ResumeAsync(container.Node, container.VmId, cancellationToken);
        return steps.Started(task);
    }
}
