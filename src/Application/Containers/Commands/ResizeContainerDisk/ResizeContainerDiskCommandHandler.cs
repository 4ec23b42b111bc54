using System.Globalization;
using Mediator;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.ResizeContainerDisk;

internal sealed class ResizeContainerDiskCommandHandler(ContainerCommandSteps steps)
    : ICommandHandler<ResizeContainerDiskCommand, OperationDto>
{
    public async ValueTask<OperationDto> Handle(ResizeContainerDiskCommand command, CancellationToken cancellationToken)
    {
        var container = await steps.TargetAsync(command.VmId, cancellationToken);
        var config = await steps.Gateway.GetConfigAsync(container.Node, container.VmId, cancellationToken);
        var disk = command.Disk!;
        decimal? current = disk == "rootfs"
            ? config.RootFs?.SizeGiB
            : config.MountPoints.FirstOrDefault(m => $"mp{m.Index.ToString(CultureInfo.InvariantCulture)}" == disk)?.SizeGiB;
        var exists = disk == "rootfs" ? config.RootFs is not null : config.MountPoints.Any(m => $"mp{m.Index.ToString(CultureInfo.InvariantCulture)}" == disk);
        if (!exists)
        {
            throw new RequestValidationException("disk", $"Container {container.VmId} has no disk '{disk}'.");
        }

        if (command.SizeGiB is { } target && current is { } now && target <= now)
        {
            throw new RequestValidationException("sizeGiB",
                $"Disks cannot shrink: '{disk}' is {now.ToString(CultureInfo.InvariantCulture)} GiB; give a larger size.");
        }

        var size = command.SizeGiB is { } absolute ? DiskResize.ToAbsolute(absolute) : DiskResize.By(command.GrowGiB!.Value);
        var task = await ProxmoxFieldMap.RekeyAsync(
            () => steps.Gateway.ResizeDiskAsync(container.Node, container.VmId, disk, size, cancellationToken),
            name => name == "size" ? (command.SizeGiB is null ? "growGiB" : "sizeGiB") : ProxmoxFieldMap.ToApiField(name));
        return steps.Started(task);
    }
}
