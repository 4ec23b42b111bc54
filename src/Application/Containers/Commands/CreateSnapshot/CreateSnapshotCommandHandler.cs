using Mediator;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.CreateSnapshot;

internal sealed class CreateSnapshotCommandHandler(ContainerOperations operations)
    : ICommandHandler<CreateSnapshotCommand, OperationDto>
{
    public async ValueTask<OperationDto> Handle(CreateSnapshotCommand command, CancellationToken cancellationToken)
    {
        var container = await operations.TargetAsync(command.VmId, cancellationToken);
        await operations.RequireStateAsync(container, mustBeRunning: null, "snapshotted", cancellationToken);
        var existing = await operations.Gateway.ListSnapshotsAsync(container.Node, container.VmId, cancellationToken);
        if (existing.Any(s => string.Equals(s.Name, command.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ConflictException("snapshot_exists", $"Container {container.VmId} already has a snapshot '{command.Name}'.");
        }

        var task = await ProxmoxFieldMap.RekeyAsync(() =>
            operations.Gateway.CreateSnapshotAsync(container.Node, container.VmId, command.Name!, command.Description, cancellationToken));
        return operations.Started(task);
    }
}
