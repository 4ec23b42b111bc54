using Mediator;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.CreateContainer;

internal sealed class CreateContainerCommandHandler(ContainerCommandSteps steps, ContainerPlacement placement, IOperationRecorder recorder, IClusterInventory inventory)
    : ICommandHandler<CreateContainerCommand, OperationDto>
{
    public async ValueTask<OperationDto> Handle(CreateContainerCommand command, CancellationToken cancellationToken)
    {
        placement.EnsureAllowed(command.Node, command.Pool, command.VmId, "node", "vmid");
        await placement.EnsureAvailableAsync(command.VmId, command.Pool, "pool", cancellationToken);
        var rootfs = command.Rootfs!;
        var node = await placement.ChooseNodeAsync(command.Node, command.Template!, rootfs.Storage, cancellationToken);
        placement.EnsureAllowed(node, command.Pool, command.VmId, "node", "vmid");

        var networks = (command.Networks ?? []).Select((n, i) => n.ToNetwork(i)).ToList();
        var tried = new HashSet<int>();
        for (var attempt = 1; ; attempt++)
        {
            var vmId = command.VmId ?? await placement.NextVmIdAsync(tried, cancellationToken);
            tried.Add(vmId);
            await recorder.TargetAsync(vmId, node);
            var spec = new ContainerCreateSpec
            {
                VmId = vmId,
                Node = node,
                OsTemplate = command.Template!,
                Hostname = command.Hostname,
                Cores = command.Cores,
                CpuLimit = command.CpuLimit,
                CpuUnits = command.CpuUnits,
                MemoryMiB = command.MemoryMiB,
                SwapMiB = command.SwapMiB,
                RootFs = new RootFsSpec(rootfs.Storage, rootfs.SizeGiB),
                Networks = networks,
                MountPoints = (command.MountPoints ?? []).Select((m, i) => m.ToSpec(i)).ToList(),
                Password = command.Password,
                SshPublicKeys = command.SshPublicKeys is { Count: > 0 } keys ? string.Join('\n', keys) : null,
                Unprivileged = command.Unprivileged ?? true,
                Features = command.Features?.ToFeatures(),
                OnBoot = command.OnBoot,
                Start = command.Start,
                Tags = command.Tags ?? [],
                Pool = command.Pool,
                Description = command.Description,
                Nameserver = command.Nameserver,
                SearchDomain = command.SearchDomain,
            };

            try
            {
                var task = await ProxmoxFieldMap.RekeyAsync(
                    () => steps.Gateway.CreateContainerAsync(spec, cancellationToken),
                    name => ProxmoxFieldMap.ToApiField(name, PositionOf(networks), PositionOfMountPoint(command)));
                inventory.Put(new ClusterContainer
                {
                    VmId = vmId,
                    Node = node,
                    Status = "stopped",
                    Name = command.Hostname,
                    Pool = command.Pool,
                    Tags = command.Tags ?? [],
                    MaxMemoryBytes = (long)(command.MemoryMiB ?? 0) << 20,
                    Lock = "create",
                });
                return steps.Started(task);
            }
            catch (ConflictException ex) when (ex.Code == ErrorCodes.VmIdUnavailable && command.VmId is null && attempt < ContainerPlacement.MaxVmIdAttempts)
            {
                // nextid reserves nothing: a concurrent create took this id first. Take the next one.
            }
        }
    }

    private static Func<int, int?> PositionOf(List<ContainerNetwork> networks) =>
        index => networks.FindIndex(n => n.Index == index) is var i and >= 0 ? i : null;

    private static Func<int, int?> PositionOfMountPoint(CreateContainerCommand command) =>
        index => (command.MountPoints ?? []).Select((m, i) => (m.Index ?? i, i)).FirstOrDefault(p => p.Item1 == index) is var (found, position) && found == index
            ? position
            : null;
}
