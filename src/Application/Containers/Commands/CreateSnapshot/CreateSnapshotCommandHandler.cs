using Mediator;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.CreateSnapshot;

internal sealed class CreateSnapshotCommandHandler(ContainerCommandSteps steps)
    : ICommandHandler<CreateSnapshotCommand, OperationDto>
{
    public async ValueTask<OperationDto> Handle(CreateSnapshotCommand command, CancellationToken cancellationToken)
    {
        var container = await steps.TargetAsync(command.VmId, cancellationToken);
        await steps.RequireStateAsync(container, mustBeRunning: null, "snapshotted", cancellationToken);
        var existing = await steps.Gateway.ListSnapshotsAsync(container.Node, container.VmId, cancellationToken);
        if (existing.Any(s => string.Equals(s.Name, command.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ConflictException("snapshot_exists", $"Container {container.VmId} already has a snapshot '{command.Name}'.");
        }

        var task = await ProxmoxFieldMap.RekeyAsync(() =>
            steps.Gateway.CreateSnapshotAsync(container.Node, container.VmId, command.Name!, command.Description, cancellationToken));
        return steps.Started(task);
    }
}
