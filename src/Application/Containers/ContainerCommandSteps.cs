using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers;

/// <summary>
/// The steps every container command shares around its Proxmox call (a helper of the commands, not the Operations
/// feature): find the container within the caller's restriction
/// (404 otherwise) and record it on the operation row, check its state for a clear 409, and turn the Proxmox task
/// into the Operation the API answers with (the row stays <c>running</c>; the task is followed to its end).
/// </summary>
internal sealed class ContainerCommandSteps(IProxmoxGateway gateway, ContainerLocator locator, IOperationRecorder recorder)
{
    public IProxmoxGateway Gateway => gateway;

    /// <summary>Locates the container (404 when missing or outside the key's restriction) and targets the row at it.</summary>
    public async Task<ClusterContainer> TargetAsync(int vmId, CancellationToken cancellationToken)
    {
        var container = await locator.LocateAsync(vmId, cancellationToken);
        recorder.Target(container.VmId, container.Node);
        return container;
    }

    /// <summary>Links the task to this request's operation and returns the Operation (status <c>running</c>).</summary>
    public OperationDto Started(ProxmoxTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return recorder.TaskStarted(task);
    }

    /// <summary>
    /// Reads the live status and refuses (409) a locked container or one not in the state the action needs:
    /// <paramref name="mustBeRunning"/> true for stop/shutdown/reboot/suspend, false for start, null for any.
    /// </summary>
    public async Task<ContainerStatus> RequireStateAsync(ClusterContainer container, bool? mustBeRunning, string verb, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        var status = await gateway.GetStatusAsync(container.Node, container.VmId, cancellationToken);
        if (status.Lock is { } held)
        {
            throw new ConflictException(ErrorCodes.ContainerLocked, $"Container {container.VmId} is locked ({held}); try again when the current task has finished.");
        }

        var running = status.Status == "running";
        if (mustBeRunning is true && !running)
        {
            throw new ConflictException(ErrorCodes.ContainerStateConflict, $"Container {container.VmId} is {status.Status}; it cannot be {verb}.");
        }

        if (mustBeRunning is false && running)
        {
            throw new ConflictException(ErrorCodes.ContainerStateConflict, $"Container {container.VmId} is already running; it cannot be {verb}.");
        }

        return status;
    }
}
