namespace ProxmoxLxc.Application.Common.Proxmox;

/// <summary>Live figures from <c>GET .../status/current</c>. Sizes in bytes.</summary>
public sealed record ContainerStatus
{
    public required int VmId { get; init; }
    /// <summary><c>running</c> or <c>stopped</c>.</summary>
    public required string Status { get; init; }
    public string? Name { get; init; }
    public long UptimeSeconds { get; init; }
    public double Cpu { get; init; }
    public double Cpus { get; init; }
    public long MemoryBytes { get; init; }
    public long MaxMemoryBytes { get; init; }
    public long SwapBytes { get; init; }
    public long MaxSwapBytes { get; init; }
    public long DiskBytes { get; init; }
    public long MaxDiskBytes { get; init; }
    public long NetInBytes { get; init; }
    public long NetOutBytes { get; init; }
    public long DiskReadBytes { get; init; }
    public long DiskWriteBytes { get; init; }
    public string? Lock { get; init; }
    public bool HaManaged { get; init; }
    public bool Template { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public int? Pid { get; init; }
}

/// <summary>Typed view of <c>GET .../config</c>; <see cref="Raw"/> keeps every key as Proxmox sent it (for auditing).</summary>
public sealed record ContainerConfig
{
    public string? Hostname { get; init; }
    public int? Cores { get; init; }
    public double? CpuLimit { get; init; }
    public int? CpuUnits { get; init; }
    public int? MemoryMiB { get; init; }
    public int? SwapMiB { get; init; }
    public ContainerRootFs? RootFs { get; init; }
    public IReadOnlyList<ContainerNetwork> Networks { get; init; } = [];
    public IReadOnlyList<ContainerMountPoint> MountPoints { get; init; } = [];
    public bool Unprivileged { get; init; }
    public ContainerFeatures? Features { get; init; }
    public bool OnBoot { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? Description { get; init; }
    public string? Nameserver { get; init; }
    public string? SearchDomain { get; init; }
    public string? OsType { get; init; }
    public string? Arch { get; init; }
    public string? Lock { get; init; }
    public bool Template { get; init; }
    /// <summary>SHA-1 of the config file; send it back in <see cref="ContainerConfigUpdate.Digest"/> for optimistic concurrency.</summary>
    public string? Digest { get; init; }
    public IReadOnlyDictionary<string, string> Raw { get; init; } = new Dictionary<string, string>();
}

/// <summary>A network interface (<c>net[n]</c>), used both to configure and as parsed from Proxmox.</summary>
public sealed record ContainerNetwork
{
    /// <summary>The n of <c>net[n]</c> (0–31).</summary>
    public required int Index { get; init; }
    /// <summary>Interface name inside the container, e.g. <c>eth0</c>.</summary>
    public required string Name { get; init; }
    public string? Bridge { get; init; }
    /// <summary>IPv4 CIDR, <c>dhcp</c> or <c>manual</c>.</summary>
    public string? Ipv4 { get; init; }
    public string? Gateway4 { get; init; }
    /// <summary>IPv6 CIDR, <c>auto</c>, <c>dhcp</c> or <c>manual</c>.</summary>
    public string? Ipv6 { get; init; }
    public string? Gateway6 { get; init; }
    /// <summary>VLAN tag (1–4094).</summary>
    public int? Vlan { get; init; }
    public bool? Firewall { get; init; }
    public double? RateMbps { get; init; }
    public string? MacAddress { get; init; }
    public int? Mtu { get; init; }
    public bool? LinkDown { get; init; }
    /// <summary>Interface type (<c>veth</c>); filled in by Proxmox.</summary>
    public string? Type { get; init; }
}

/// <summary>The root file system as stored by Proxmox (<c>local-lvm:vm-101-disk-0,size=8G</c>).</summary>
public sealed record ContainerRootFs(string Volume, string? Storage, decimal? SizeGiB);

/// <summary>A mount point (<c>mp[n]</c>) as stored by Proxmox.</summary>
public sealed record ContainerMountPoint(int Index, string Volume, string? Storage, string Path, decimal? SizeGiB, bool? Backup, bool? ReadOnly);

/// <summary>Container feature flags (<c>features</c>). Unset flags are false.</summary>
public sealed record ContainerFeatures
{
    public bool Nesting { get; init; }
    public bool Keyctl { get; init; }
    public bool Fuse { get; init; }
    public bool Mknod { get; init; }
    public bool ForceRwSys { get; init; }
    /// <summary>File system types allowed for <c>mount</c> (e.g. <c>nfs</c>, <c>cifs</c>).</summary>
    public IReadOnlyList<string> MountTypes { get; init; } = [];
}

/// <summary>A new volume for the root file system: <c>STORAGE:SIZE_IN_GiB</c>.</summary>
public sealed record RootFsSpec(string Storage, decimal SizeGiB);

/// <summary>A new volume mount point: <c>mp[n]: STORAGE:SIZE_IN_GiB,mp=/path</c>.</summary>
public sealed record MountPointSpec(int Index, string Storage, decimal SizeGiB, string Path, bool? Backup = null, bool? ReadOnly = null);

/// <summary>Everything <c>POST /nodes/{node}/lxc</c> needs.</summary>
public sealed record ContainerCreateSpec
{
    public required int VmId { get; init; }
    public required string Node { get; init; }
    /// <summary>Template volume id, e.g. <c>local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst</c>.</summary>
    public required string OsTemplate { get; init; }
    public string? Hostname { get; init; }
    public int? Cores { get; init; }
    public double? CpuLimit { get; init; }
    public int? CpuUnits { get; init; }
    public int? MemoryMiB { get; init; }
    public int? SwapMiB { get; init; }
    public RootFsSpec? RootFs { get; init; }
    public IReadOnlyList<ContainerNetwork> Networks { get; init; } = [];
    public IReadOnlyList<MountPointSpec> MountPoints { get; init; } = [];
    /// <summary>Root password; never logged.</summary>
    public string? Password { get; init; }
    /// <summary>Public SSH keys, one per line (OpenSSH format).</summary>
    public string? SshPublicKeys { get; init; }
    public bool? Unprivileged { get; init; }
    public ContainerFeatures? Features { get; init; }
    public bool? OnBoot { get; init; }
    public bool? Start { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? Pool { get; init; }
    public string? Description { get; init; }
    public string? Nameserver { get; init; }
    public string? SearchDomain { get; init; }
}

/// <summary>A config change. Null properties are left alone; <see cref="Delete"/> lists Proxmox keys to remove.</summary>
public sealed record ContainerConfigUpdate
{
    public string? Hostname { get; init; }
    public int? Cores { get; init; }
    public double? CpuLimit { get; init; }
    public int? CpuUnits { get; init; }
    public int? MemoryMiB { get; init; }
    public int? SwapMiB { get; init; }
    /// <summary>Interfaces to set (each replaces <c>net[Index]</c>).</summary>
    public IReadOnlyList<ContainerNetwork>? Networks { get; init; }
    public ContainerFeatures? Features { get; init; }
    public bool? OnBoot { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public string? Description { get; init; }
    public string? Nameserver { get; init; }
    public string? SearchDomain { get; init; }
    /// <summary>Proxmox config keys to delete (e.g. <c>net1</c>, <c>description</c>).</summary>
    public IReadOnlyList<string> Delete { get; init; } = [];
    /// <summary>Digest from <see cref="ContainerConfig.Digest"/>; a stale one gives <see cref="Exceptions.PreconditionFailedException"/>.</summary>
    public string? Digest { get; init; }
}

/// <summary>An entry of <c>GET .../pending</c>: <see cref="Value"/> is current, <see cref="Pending"/> applies at next reboot.</summary>
public sealed record PendingChange(string Key, string? Value, string? Pending, bool Delete);

/// <summary>The config as <c>GET .../config</c> shows it (pending values applied) and the pending changes behind it.</summary>
public sealed record PendingConfig(ContainerConfig Config, IReadOnlyList<PendingChange> Changes);

/// <summary>Target size for <c>PUT .../resize</c>: absolute size or growth, in GiB.</summary>
public sealed record DiskResize
{
    private DiskResize(decimal sizeGiB, bool grow)
    {
        SizeGiB = sizeGiB;
        Grow = grow;
    }

    public decimal SizeGiB { get; }
    public bool Grow { get; }

    public static DiskResize ToAbsolute(decimal sizeGiB) => new(sizeGiB, grow: false);
    public static DiskResize By(decimal growGiB) => new(growGiB, grow: true);
}

public sealed record ContainerCloneSpec
{
    public required int NewVmId { get; init; }
    public string? Hostname { get; init; }
    public bool Full { get; init; }
    public string? TargetNode { get; init; }
    public string? TargetStorage { get; init; }
    public string? Pool { get; init; }
    public string? Description { get; init; }
}

/// <summary>A snapshot; the pseudo entry <c>current</c> is not listed.</summary>
public sealed record ContainerSnapshot(string Name, string? Description, string? Parent, DateTimeOffset? CreatedAt);

public enum RrdTimeframe
{
    Hour,
    Day,
    Week,
    Month,
    Year,
}

public enum RrdConsolidation
{
    Average,
    Max,
}

/// <summary>One RRD sample; fields without data are null. CPU is a fraction of <see cref="MaxCpu"/> cores, the rest bytes or bytes/s.</summary>
public sealed record RrdPoint
{
    public required DateTimeOffset Time { get; init; }
    public double? Cpu { get; init; }
    public double? MaxCpu { get; init; }
    public double? MemoryBytes { get; init; }
    public double? MaxMemoryBytes { get; init; }
    public double? DiskBytes { get; init; }
    public double? MaxDiskBytes { get; init; }
    public double? NetIn { get; init; }
    public double? NetOut { get; init; }
    public double? DiskRead { get; init; }
    public double? DiskWrite { get; init; }
}

public sealed record ContainerInterface(string Name, string? MacAddress, IReadOnlyList<ContainerIpAddress> Addresses);

/// <summary>An address on an interface; <see cref="Family"/> is <c>inet</c> or <c>inet6</c>.</summary>
public sealed record ContainerIpAddress(string Address, string Family, int Prefix);
