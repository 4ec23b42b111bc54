using System.Text.RegularExpressions;
using FluentValidation;

namespace ProxmoxLxc.Application.Containers.Commands.ResizeContainerDisk;

internal sealed partial class ResizeContainerDiskCommandValidator : AbstractValidator<ResizeContainerDiskCommand>
{
    public ResizeContainerDiskCommandValidator()
    {
        RuleFor(c => c.Disk).NotEmpty().Must(d => d is null || DiskName().IsMatch(d))
            .WithMessage("'{PropertyName}' must be 'rootfs' or 'mpN' (N = 0–255).");
        RuleFor(c => c.SizeGiB).DiskSizeGiB();
        RuleFor(c => c.SizeGiB).Null().When(c => c.GrowGiB is not null).WithMessage("Give either 'sizeGiB' or 'growGiB', not both.");
        RuleFor(c => c.GrowGiB).DiskGrowthGiB();
        RuleFor(c => c.SizeGiB).NotNull().When(c => c.GrowGiB is null).WithMessage("Give 'sizeGiB' (absolute) or 'growGiB'.");
    }

    [GeneratedRegex(@"^(rootfs|mp([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5]))\z", RegexOptions.CultureInvariant)]
    private static partial Regex DiskName();
}
