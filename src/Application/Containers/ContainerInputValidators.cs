using System.Net.Sockets;
using FluentValidation;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.Containers;

/// <summary>One network interface (<c>networks[i]</c>).</summary>
internal sealed class NetworkInputValidator : AbstractValidator<NetworkInput>
{
    public NetworkInputValidator()
    {
        RuleFor(n => n.Index).InclusiveBetween(0, ProxmoxSyntax.MaxNetworks - 1);
        RuleFor(n => n.Name).Must(v => ProxmoxSyntax.IsInterfaceName(v))
            .When(n => n.Name is not null).WithMessage("'{PropertyName}' must be an interface name like eth0 (at most 15 characters).");
        RuleFor(n => n.Bridge).NotEmpty().Must(v => ProxmoxSyntax.IsInterfaceName(v))
            .WithMessage("'{PropertyName}' must be a bridge name like vmbr0 (at most 15 characters).");
        RuleFor(n => n.Ipv4).Must(ContainerRules.IsIpv4Setting).When(n => n.Ipv4 is not null)
            .WithMessage("'{PropertyName}' must be an IPv4 CIDR (10.0.0.5/24) or 'dhcp'.");
        RuleFor(n => n.Gateway4)
            .Must(v => ContainerRules.TryParseIpv4(v, out _)).WithMessage("'{PropertyName}' must be an IPv4 address.")
            .Must((n, v) => n.Ipv4 is not null && ContainerRules.TryParseCidr(n.Ipv4, AddressFamily.InterNetwork, out _, out _))
            .WithMessage("'{PropertyName}' needs a static IPv4 CIDR in 'ipv4'.")
            .Must((n, v) => ContainerRules.InSubnet(n.Ipv4!, v!, AddressFamily.InterNetwork))
            .WithMessage("'{PropertyName}' must lie inside the subnet of 'ipv4'.")
            .When(n => n.Gateway4 is not null);
        RuleFor(n => n.Ipv6).Must(ContainerRules.IsIpv6Setting).When(n => n.Ipv6 is not null)
            .WithMessage("'{PropertyName}' must be an IPv6 CIDR (fd00::5/64), 'dhcp' or 'auto'.");
        RuleFor(n => n.Gateway6)
            .Must(v => ContainerRules.TryParseIpv6(v, out _)).WithMessage("'{PropertyName}' must be an IPv6 address.")
            .Must((n, v) => n.Ipv6 is not null && ContainerRules.TryParseCidr(n.Ipv6, AddressFamily.InterNetworkV6, out _, out _))
            .WithMessage("'{PropertyName}' needs a static IPv6 CIDR in 'ipv6'.")
            .Must((n, v) => ContainerRules.InSubnet(n.Ipv6!, v!, AddressFamily.InterNetworkV6))
            .WithMessage("'{PropertyName}' must lie inside the subnet of 'ipv6'.")
            .When(n => n.Gateway6 is not null);
        RuleFor(n => n.Vlan).InclusiveBetween(1, 4094);
        RuleFor(n => n.RateMbps).InclusiveBetween(0, 100_000);
        RuleFor(n => n.Mtu).InclusiveBetween(64, 65535);
        RuleFor(n => n.MacAddress).Must(ContainerRules.IsMac).When(n => n.MacAddress is not null)
            .WithMessage("'{PropertyName}' must be a unicast MAC address like BC:24:11:00:00:01.");
    }
}

internal sealed class RootFsInputValidator : AbstractValidator<RootFsInput>
{
    public RootFsInputValidator()
    {
        RuleFor(r => r.Storage).StorageIdentifier();
        RuleFor(r => r.SizeGiB).DiskSizeGiB();
    }
}

internal sealed class MountPointInputValidator : AbstractValidator<MountPointInput>
{
    public MountPointInputValidator()
    {
        RuleFor(m => m.Index).InclusiveBetween(0, ProxmoxSyntax.MaxMountPoints - 1);
        RuleFor(m => m.Storage).StorageIdentifier();
        RuleFor(m => m.SizeGiB).DiskSizeGiB();
        RuleFor(m => m.Path).Must(ProxmoxSyntax.IsMountPath)
            .WithMessage("'{PropertyName}' must be an absolute path of letters, digits, '.', '_', '-' and '/' (no '..').");
    }
}

/// <summary>Rules shared by every list of interfaces: distinct indexes and names.</summary>
internal static class NetworkListRules
{
    public static void Apply<T>(AbstractValidator<T> validator, Func<T, IReadOnlyList<NetworkInput>?> networks, string field)
    {
        validator.RuleFor(c => networks(c))
            .Must(list => list is null || list.Count <= ProxmoxSyntax.MaxNetworks).WithMessage($"At most {ProxmoxSyntax.MaxNetworks} network interfaces.")
            .Must(list => list is null || list.Select((n, i) => n?.IndexAt(i)).Distinct().Count() == list.Count)
            .WithMessage("Each network interface needs its own index.")
            .Must(list => list is null || list.Select((n, i) => n?.Name ?? $"eth{n?.IndexAt(i)}").Distinct(StringComparer.Ordinal).Count() == list.Count)
            .WithMessage("Each network interface needs its own name.")
            .OverridePropertyName(field);
        validator.RuleForEach(c => networks(c)).NotNull().SetValidator(new NetworkInputValidator()).OverridePropertyName(field);
    }
}
