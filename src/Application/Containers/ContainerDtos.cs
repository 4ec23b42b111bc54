using System.Text.Json.Serialization;

namespace ProxmoxLxc.Application.Containers;

/// <summary>A container in a list. Sizes in bytes; <see cref="Cpu"/> is the CPU in use, in cores (0..<see cref="Cpus"/>).</summary>
public sealed record ContainerSummaryDto
{
    [JsonPropertyName("vmid")]
    public required int VmId { get; init; }
    public required string? Name { get; init; }
    public required string Node { get; init; }
    /// <summary><c>running</c>, <c>stopped</c> or <c>unknown</c> (Proxmox has no figures yet).</summary>
    public required string Status { get; init; }
    public required double Cpus { get; init; }
    public required double Cpu { get; init; }
    public required long MemoryBytes { get; init; }
    public required long MaxMemoryBytes { get; init; }
    public required long DiskBytes { get; init; }
    public required long MaxDiskBytes { get; init; }
    public required long UptimeSeconds { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }
    public required string? Pool { get; init; }
    /// <summary>True for a container template (cannot be started; can be cloned).</summary>
    public required bool Template { get; init; }
    /// <summary>Proxmox lock (<c>backup</c>, <c>snapshot</c>, <c>create</c>…) or null.</summary>
    public required string? Lock { get; init; }
}

/// <summary>
/// One container in full: the summary figures, the typed configuration, changes left pending until the next
/// reboot, the Proxmox lock, live addresses (running containers only) and the config digest (also the <c>ETag</c>).
/// </summary>
public sealed record ContainerDetailDto
{
    [JsonPropertyName("vmid")]
    public required int VmId { get; init; }
    public required string? Name { get; init; }
    public required string Node { get; init; }
    public required string Status { get; init; }
    public required double Cpus { get; init; }
    public required double Cpu { get; init; }
    public required long MemoryBytes { get; init; }
    public required long MaxMemoryBytes { get; init; }
    public required long DiskBytes { get; init; }
    public required long MaxDiskBytes { get; init; }
    public required long UptimeSeconds { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }
    public required string? Pool { get; init; }
    public required bool Template { get; init; }
    public required string? Lock { get; init; }
    /// <summary>
    /// The configuration as Proxmox reports it by default: changes pending until the next reboot are included;
    /// <see cref="PendingChanges"/> lists those keys with the value still in effect.
    /// </summary>
    public required ContainerConfigDto Config { get; init; }
    /// <summary>Configuration keys whose new value (or removal) applies at the next reboot.</summary>
    public required IReadOnlyList<PendingChangeDto> PendingChanges { get; init; }
    /// <summary>Interfaces and addresses reported by a running container; empty when stopped.</summary>
    public required IReadOnlyList<ContainerInterfaceDto> Interfaces { get; init; }
    /// <summary>Proxmox config digest (SHA-1 hex); send it back as <c>If-Match</c> to update safely.</summary>
    public required string? Digest { get; init; }
}

/// <summary>Typed container configuration.</summary>
public sealed record ContainerConfigDto
{
    public required string? Hostname { get; init; }
    public required int? Cores { get; init; }
    /// <summary>CPU time limit in cores (0 or null = unlimited).</summary>
    public required double? CpuLimit { get; init; }
    public required int? CpuUnits { get; init; }
    public required int? MemoryMiB { get; init; }
    public required int? SwapMiB { get; init; }
    public required RootFsDto? Rootfs { get; init; }
    public required IReadOnlyList<NetworkDto> Networks { get; init; }
    public required IReadOnlyList<MountPointDto> MountPoints { get; init; }
    public required bool Unprivileged { get; init; }
    public required FeaturesDto Features { get; init; }
    public required bool OnBoot { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }
    public required string? Description { get; init; }
    public required string? Nameserver { get; init; }
    public required string? SearchDomain { get; init; }
    public required string? Ostype { get; init; }
    public required string? Arch { get; init; }
}

/// <summary>The root file system: storage and size in GiB (<see cref="Volume"/> is the Proxmox volume id).</summary>
public sealed record RootFsDto
{
    public required string? Storage { get; init; }
    public required decimal? SizeGiB { get; init; }
    public required string Volume { get; init; }
}

/// <summary>A network interface (<c>net[index]</c>).</summary>
public sealed record NetworkDto
{
    /// <summary>The n of Proxmox <c>net[n]</c>.</summary>
    public required int Index { get; init; }
    /// <summary>Interface name inside the container, e.g. <c>eth0</c>.</summary>
    public required string Name { get; init; }
    public required string? Bridge { get; init; }
    /// <summary>IPv4 CIDR, <c>dhcp</c> or <c>manual</c>.</summary>
    public required string? Ipv4 { get; init; }
    public required string? Gateway4 { get; init; }
    /// <summary>IPv6 CIDR, <c>auto</c>, <c>dhcp</c> or <c>manual</c>.</summary>
    public required string? Ipv6 { get; init; }
    public required string? Gateway6 { get; init; }
    public required int? Vlan { get; init; }
    public required bool? Firewall { get; init; }
    public required double? RateMbps { get; init; }
    public required string? MacAddress { get; init; }
    public required int? Mtu { get; init; }
}

/// <summary>A mount point (<c>mp[index]</c>).</summary>
public sealed record MountPointDto
{
    public required int Index { get; init; }
    public required string Volume { get; init; }
    public required string? Storage { get; init; }
    /// <summary>Path inside the container.</summary>
    public required string Path { get; init; }
    public required decimal? SizeGiB { get; init; }
    public required bool? Backup { get; init; }
    public required bool? ReadOnly { get; init; }
}

/// <summary>Container feature flags; unset flags are false.</summary>
public sealed record FeaturesDto
{
    public required bool Nesting { get; init; }
    public required bool Keyctl { get; init; }
    public required bool Fuse { get; init; }
}

/// <summary>A configuration key with a change waiting for the next reboot: <see cref="Value"/> is in effect,
/// <see cref="Pending"/> will replace it, or <see cref="Delete"/> says it will be removed.</summary>
public sealed record PendingChangeDto
{
    /// <summary>Proxmox configuration key, e.g. <c>hostname</c>, <c>cores</c>, <c>net0</c>.</summary>
    public required string Key { get; init; }
    public required string? Value { get; init; }
    public required string? Pending { get; init; }
    public required bool Delete { get; init; }
}

/// <summary>A network interface as seen inside a running container.</summary>
public sealed record ContainerInterfaceDto
{
    public required string Name { get; init; }
    public required string? MacAddress { get; init; }
    public required IReadOnlyList<IpAddressDto> Addresses { get; init; }
}

/// <summary>An address on an interface; <see cref="Family"/> is <c>inet</c> (IPv4) or <c>inet6</c> (IPv6).</summary>
public sealed record IpAddressDto
{
    public required string Address { get; init; }
    public required string Family { get; init; }
    public required int Prefix { get; init; }
}

/// <summary>High availability: whether the container is HA-managed and its HA state, when known.</summary>
public sealed record HaStatusDto
{
    public required bool Managed { get; init; }
    public required string? State { get; init; }
}

/// <summary>Live figures of one container. Sizes and counters in bytes, <see cref="Cpu"/> in cores used (0..cpus).</summary>
public sealed record ContainerStatusDto
{
    [JsonPropertyName("vmid")]
    public required int VmId { get; init; }
    public required string Status { get; init; }
    public required long UptimeSeconds { get; init; }
    public required double Cpu { get; init; }
    public required double Cpus { get; init; }
    public required long MemoryBytes { get; init; }
    public required long MaxMemoryBytes { get; init; }
    public required long SwapBytes { get; init; }
    public required long MaxSwapBytes { get; init; }
    public required long DiskBytes { get; init; }
    public required long MaxDiskBytes { get; init; }
    public required long NetInBytes { get; init; }
    public required long NetOutBytes { get; init; }
    public required long DiskReadBytes { get; init; }
    public required long DiskWriteBytes { get; init; }
    public required string? Lock { get; init; }
    public required HaStatusDto Ha { get; init; }
}

/// <summary>
/// One entry of a batch status answer: either the live figures, or only <see cref="VmId"/> and
/// <see cref="Error"/> (<c>container_not_found</c>). Members that do not apply are left out. The cluster
/// overview carries no swap figures, so <see cref="SwapBytes"/>/<see cref="MaxSwapBytes"/> are absent here.
/// </summary>
public sealed record ContainerStatusEntryDto
{
    [JsonPropertyName("vmid")]
    public required int VmId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Status { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? UptimeSeconds { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Cpu { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Cpus { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? MemoryBytes { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? MaxMemoryBytes { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? SwapBytes { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? MaxSwapBytes { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? DiskBytes { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? MaxDiskBytes { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? NetInBytes { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? NetOutBytes { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? DiskReadBytes { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? DiskWriteBytes { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Lock { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HaStatusDto? Ha { get; init; }
}

/// <summary>The answer of a batch status request: one entry per id asked, in the order asked.</summary>
public sealed record ContainerStatusBatchDto(IReadOnlyList<ContainerStatusEntryDto> Items);

/// <summary>A snapshot of a container.</summary>
public sealed record SnapshotDto
{
    public required string Name { get; init; }
    public required string? Description { get; init; }
    public required string? Parent { get; init; }
    public required DateTimeOffset? CreatedAt { get; init; }
}

/// <summary>A time series from Proxmox's RRD store.</summary>
public sealed record ContainerMetricsDto
{
    [JsonPropertyName("vmid")]
    public required int VmId { get; init; }
    /// <summary><c>hour</c>, <c>day</c>, <c>week</c>, <c>month</c> or <c>year</c>.</summary>
    public required string Timeframe { get; init; }
    /// <summary>Consolidation function: <c>average</c> or <c>max</c>.</summary>
    public required string Cf { get; init; }
    public required IReadOnlyList<MetricPointDto> Points { get; init; }
}

/// <summary>One sample; figures without data are null. <see cref="Cpu"/> in cores used (0..<see cref="MaxCpu"/>); rates in bytes per second.</summary>
public sealed record MetricPointDto
{
    public required DateTimeOffset Time { get; init; }
    public required double? Cpu { get; init; }
    public required double? MaxCpu { get; init; }
    public required double? MemoryBytes { get; init; }
    public required double? MaxMemoryBytes { get; init; }
    public required double? DiskBytes { get; init; }
    public required double? MaxDiskBytes { get; init; }
    public required double? NetInBytesPerSecond { get; init; }
    public required double? NetOutBytesPerSecond { get; init; }
    public required double? DiskReadBytesPerSecond { get; init; }
    public required double? DiskWriteBytesPerSecond { get; init; }
}
