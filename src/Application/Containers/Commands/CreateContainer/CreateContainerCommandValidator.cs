using FluentValidation;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Application.Common.Validation;

namespace ProxmoxLxc.Application.Containers.Commands.CreateContainer;

internal sealed class CreateContainerCommandValidator : AbstractValidator<CreateContainerCommand>
{
    public CreateContainerCommandValidator()
    {
        RuleFor(c => c.Node).NodeName().When(c => c.Node is not null);
        RuleFor(c => c.VmId).VmId().OverridePropertyName("vmid");
        RuleFor(c => c.Hostname).NotEmpty().Hostname();
        RuleFor(c => c.Template).NotEmpty()
            .Must(v => v is null || ProxmoxSyntax.IsTemplateVolId(v))
            .WithMessage("'{PropertyName}' must be a template volume id like local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst.");
        RuleFor(c => c.Cores).NotNull().InclusiveBetween(1, 8192);
        RuleFor(c => c.CpuLimit).InclusiveBetween(0, 8192);
        RuleFor(c => c.CpuUnits).InclusiveBetween(0, 500_000);
        RuleFor(c => c.MemoryMiB).NotNull().GreaterThanOrEqualTo(16);
        RuleFor(c => c.SwapMiB).NotNull().GreaterThanOrEqualTo(0);
        RuleFor(c => c.Rootfs).NotNull();
        RuleFor(c => c.Rootfs!).SetValidator(new RootFsInputValidator()).When(c => c.Rootfs is not null);
        NetworkListRules.Apply(this, c => c.Networks, "Networks");
        RuleFor(c => c.MountPoints)
            .Must(list => list is null || list.Count <= ProxmoxSyntax.MaxMountPoints).WithMessage($"At most {ProxmoxSyntax.MaxMountPoints} mount points.")
            .Must(list => list is null || list.Select((m, i) => m?.Index ?? i).Distinct().Count() == list.Count)
            .WithMessage("Each mount point needs its own index.");
        RuleForEach(c => c.MountPoints).NotNull().SetValidator(new MountPointInputValidator());
        RuleFor(c => c.Password)
            .MinimumLength(5).MaximumLength(256)
            .Must(ValidationRules.IsSingleLine).WithMessage("'{PropertyName}' must not contain control characters or line separators.");
        RuleFor(c => c.SshPublicKeys).Must(k => k is null || k.Count <= 32).WithMessage("At most 32 SSH public keys.");
        RuleForEach(c => c.SshPublicKeys)
            .Must(k => k is not null && k.Length <= 16_384 && !k.Contains('\n', StringComparison.Ordinal) && !k.Contains('\r', StringComparison.Ordinal)
                && ContainerRules.AreSshPublicKeys(k))
            .WithMessage("'{PropertyName}' must be one OpenSSH public key: type, base64 key and an optional comment.");
        RuleFor(c => c.Features).Must((c, f) => !(f?.Keyctl == true && c.Unprivileged == false))
            .WithMessage("'keyctl' is only available for unprivileged containers.");
        RuleFor(c => c.Tags).Must(t => t is null || t.Count <= 32).WithMessage("At most 32 tags.");
        RuleForEach(c => c.Tags).Must(ProxmoxSyntax.IsTag)
            .WithMessage("'{PropertyName}' must be a tag of letters, digits, '_', '-', '+' and '.' (at most 64 characters).");
        RuleFor(c => c.Pool).PoolIdentifier().When(c => c.Pool is not null);
        RuleFor(c => c.Description).Description();
        RuleFor(c => c.Nameserver).Nameserver();
        RuleFor(c => c.SearchDomain).SearchDomain();
    }
}
