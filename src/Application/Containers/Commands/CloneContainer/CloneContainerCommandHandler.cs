using Mediator;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.CloneContainer;

internal sealed class CloneContainerCommandHandler(ContainerCommandSteps steps, ContainerPlacement placement, IClusterInventory inventory)
    : ICommandHandler<CloneContainerCommand, OperationDto>
{
    public async ValueTask<OperationDto> Handle(CloneContainerCommand command, CancellationToken cancellationToken)
    {
        var source = await steps.TargetAsync(command.VmId, cancellationToken);
        placement.EnsureAllowed(command.TargetNode ?? source.Node, source.Pool, command.NewVmId, "targetNode", "newVmid");
        await placement.EnsureAvailableAsync(command.NewVmId, pool: null, "pool", cancellationToken);
        var status = await steps.RequireStateAsync(source, mustBeRunning: null, "cloned", cancellationToken);
        if (command.Full && status.Status == "running")
        {
            // Proxmox: "Cannot do full clones on a running container without snapshots"; the API clones the current state only.
            throw new ConflictException(ErrorCodes.ContainerStateConflict,
                $"Container {source.VmId} is running: a full clone needs a stopped container. Stop it first, then clone.");
        }

        if (!command.Full && !source.Template)
        {
            throw new RequestValidationException("full", $"Container {source.VmId} is not a template: only a full clone ('full': true) is possible.");
        }

        var tried = new HashSet<int>();
        for (var attempt = 1; ; attempt++)
        {
            var newVmId = command.NewVmId ?? await placement.NextVmIdAsync(tried, cancellationToken);
            tried.Add(newVmId);
            var spec = new ContainerCloneSpec
            {
                NewVmId = newVmId,
                Hostname = command.Hostname,
                Full = command.Full,
                TargetNode = command.TargetNode,
                TargetStorage = command.TargetStorage,
                Pool = source.Pool,
            };
            try
            {
                var task = await ProxmoxFieldMap.RekeyAsync(() => steps.Gateway.CloneContainerAsync(source.Node, source.VmId, spec, cancellationToken));
                inventory.Put(source with
                {
                    VmId = newVmId,
                    Node = command.TargetNode ?? source.Node,
                    Status = "stopped",
                    Name = command.Hostname ?? source.Name,
                    Template = false,
                    Cpu = 0,
                    MemoryBytes = 0,
                    UptimeSeconds = 0,
                    Lock = "create",
                    HaState = null,
                });
                return steps.Started(task);
            }
            catch (ConflictException ex) when (ex.Code == ErrorCodes.VmIdUnavailable && command.NewVmId is null && attempt < ContainerPlacement.MaxVmIdAttempts)
            {
                // Another create/clone took the id first; take the next one.
            }
        }
    }
}
