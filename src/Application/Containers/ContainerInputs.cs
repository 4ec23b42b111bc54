using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.Containers;

/// <summary>
/// A network interface to configure. <see cref="Index"/> is the n of <c>net[n]</c> (defaults to the position in the
/// list); <see cref="Name"/> defaults to <c>eth{n}</c>. <see cref="Ipv4"/> is a CIDR or <c>dhcp</c>; <see cref="Ipv6"/>
/// a CIDR, <c>dhcp</c> or <c>auto</c>.
/// </summary>
public sealed record NetworkInput
{
    public int? Index { get; init; }
    public string? Name { get; init; }
    public string? Bridge { get; init; }
    public string? Ipv4 { get; init; }
    public string? Gateway4 { get; init; }
    public string? Ipv6 { get; init; }
    public string? Gateway6 { get; init; }
    public int? Vlan { get; init; }
    public bool? Firewall { get; init; }
    public double? RateMbps { get; init; }
    public string? MacAddress { get; init; }
    public int? Mtu { get; init; }

    internal int IndexAt(int position) => Index ?? position;

    internal ContainerNetwork ToNetwork(int position)
    {
        var index = IndexAt(position);
        return new ContainerNetwork
        {
            Index = index,
            Name = Name ?? $"eth{index}",
            Bridge = Bridge,
            Ipv4 = Ipv4,
            Gateway4 = Gateway4,
            Ipv6 = Ipv6,
            Gateway6 = Gateway6,
            Vlan = Vlan,
            Firewall = Firewall,
            RateMbps = RateMbps,
            MacAddress = MacAddress?.ToUpperInvariant(),
            Mtu = Mtu,
        };
    }
}

/// <summary>The root file system: a new volume of <see cref="SizeGiB"/> on <see cref="Storage"/>.</summary>
public sealed record RootFsInput(string Storage, decimal SizeGiB);

/// <summary>A new volume mounted at <see cref="Path"/>; <see cref="Index"/> is the n of <c>mp[n]</c> (defaults to the position).</summary>
public sealed record MountPointInput
{
    public int? Index { get; init; }
    public string Storage { get; init; } = string.Empty;
    public decimal SizeGiB { get; init; }
    public string Path { get; init; } = string.Empty;
    public bool? Backup { get; init; }
    public bool? ReadOnly { get; init; }

    internal MountPointSpec ToSpec(int position) => new(Index ?? position, Storage, SizeGiB, Path, Backup, ReadOnly);
}

/// <summary>Container feature flags; unset flags are off.</summary>
public sealed record FeaturesInput(bool? Nesting = null, bool? Keyctl = null, bool? Fuse = null)
{
    internal ContainerFeatures ToFeatures() => new()
    {
        Nesting = Nesting ?? false,
        Keyctl = Keyctl ?? false,
        Fuse = Fuse ?? false,
    };
}
