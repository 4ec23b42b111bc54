using System.Text.Json;
using Mediator;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.DeleteContainer;

internal sealed class DeleteContainerCommandHandler(ContainerCommandSteps steps, IOperationRecorder recorder, IClusterInventory inventory)
    : ICommandHandler<DeleteContainerCommand, OperationDto>
{
    /// <summary>How long a forced delete waits for the stop task before giving up.</summary>
    public static readonly TimeSpan StopWait = TimeSpan.FromMinutes(2);

    public async ValueTask<OperationDto> Handle(DeleteContainerCommand command, CancellationToken cancellationToken)
    {
        var container = await steps.TargetAsync(command.VmId, cancellationToken);
        var status = await steps.RequireStateAsync(container, mustBeRunning: null, "deleted", cancellationToken);
        if (status.Status == "running")
        {
            if (!command.Force)
            {
                throw new ConflictException(ErrorCodes.ContainerStateConflict,
                    $"Container {container.VmId} is running; stop it first or delete with force=true.");
            }

            var stop = await steps.Gateway.StopAsync(container.Node, container.VmId, cancellationToken);
            recorder.ChangesMade(JsonSerializer.Serialize(new { stopTask = stop.Upid }));
            var stopped = await steps.Gateway.WaitForTaskAsync(stop, StopWait, cancellationToken);
            if (stopped.IsRunning)
            {
                throw new ProxmoxTimeoutException($"Container {container.VmId} did not stop within {StopWait.TotalSeconds:0} s; it was not deleted.");
            }

            if (!stopped.IsSuccess)
            {
                throw new ConflictException(ErrorCodes.ContainerStateConflict,
                    $"Stopping container {container.VmId} failed ({stopped.Error ?? stopped.ExitStatus}); it was not deleted.");
            }
        }

        var task = await steps.Gateway.DeleteContainerAsync(container.Node, container.VmId, command.Purge, force: false, cancellationToken);
        inventory.Remove(container.VmId);
        return steps.Started(task);
    }
}
