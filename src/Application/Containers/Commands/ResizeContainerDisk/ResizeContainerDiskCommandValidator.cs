using FluentValidation;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.Containers.Commands.ResizeContainerDisk;

internal sealed class ResizeContainerDiskCommandValidator : AbstractValidator<ResizeContainerDiskCommand>
{
    public ResizeContainerDiskCommandValidator()
    {
        RuleFor(c => c.Disk).NotEmpty().Must(d => d is null || ProxmoxSyntax.IsDiskName(d))
            .WithMessage("'{PropertyName}' must be 'rootfs' or 'mpN' (N = 0–255).");
        RuleFor(c => c.SizeGiB).DiskSizeGiB();
        RuleFor(c => c.SizeGiB).Null().When(c => c.GrowGiB is not null).WithMessage("Give either 'sizeGiB' or 'growGiB', not both.");
        RuleFor(c => c.GrowGiB).DiskGrowthGiB();
        RuleFor(c => c.SizeGiB).NotNull().When(c => c.GrowGiB is null).WithMessage("Give 'sizeGiB' (absolute) or 'growGiB'.");
    }
}
