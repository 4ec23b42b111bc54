using ProxmoxLxc.Application.Common.Proxmox;
using Riok.Mapperly.Abstractions;

namespace ProxmoxLxc.Application.Containers;

/// <summary>
/// Gateway models to container DTOs. Proxmox reports CPU as a fraction of the container's cores; the API
/// reports cores in use (0..cpus), so every <c>cpu</c> is multiplied by the core count here.
/// </summary>
[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
internal static partial class ContainerMapper
{
    [MapProperty(nameof(ClusterContainer.MaxCpu), nameof(ContainerSummaryDto.Cpus))]
    [MapPropertyFromSource(nameof(ContainerSummaryDto.Cpu), Use = nameof(CoresUsed))]
    public static partial ContainerSummaryDto ToSummary(this ClusterContainer container);

    [MapProperty(nameof(ContainerConfig.RootFs), nameof(ContainerConfigDto.Rootfs))]
    [MapProperty(nameof(ContainerConfig.OsType), nameof(ContainerConfigDto.Ostype))]
    [MapProperty(nameof(ContainerConfig.Features), nameof(ContainerConfigDto.Features), Use = nameof(FeaturesOf))]
    public static partial ContainerConfigDto ToDto(this ContainerConfig config);

    public static partial PendingChangeDto ToDto(this PendingChange change);

    public static partial ContainerInterfaceDto ToDto(this ContainerInterface networkInterface);

    public static partial SnapshotDto ToDto(this ContainerSnapshot snapshot);

    [MapPropertyFromSource(nameof(ContainerStatusDto.Cpu), Use = nameof(CoresUsedOfStatus))]
    [MapPropertyFromSource(nameof(ContainerStatusDto.Ha), Use = nameof(HaOfStatus))]
    public static partial ContainerStatusDto ToDto(this ContainerStatus status);

    /// <summary>Batch status entry from the cluster overview (no swap figures there).</summary>
    [MapperIgnoreTarget(nameof(ContainerStatusEntryDto.Error))]
    [MapperIgnoreTarget(nameof(ContainerStatusEntryDto.SwapBytes))]
    [MapperIgnoreTarget(nameof(ContainerStatusEntryDto.MaxSwapBytes))]
    [MapProperty(nameof(ClusterContainer.MaxCpu), nameof(ContainerStatusEntryDto.Cpus))]
    [MapPropertyFromSource(nameof(ContainerStatusEntryDto.Cpu), Use = nameof(CoresUsedNullable))]
    [MapPropertyFromSource(nameof(ContainerStatusEntryDto.Ha), Use = nameof(HaOfCluster))]
    public static partial ContainerStatusEntryDto ToStatusEntry(this ClusterContainer container);

    [MapProperty(nameof(RrdPoint.NetIn), nameof(MetricPointDto.NetInBytesPerSecond))]
    [MapProperty(nameof(RrdPoint.NetOut), nameof(MetricPointDto.NetOutBytesPerSecond))]
    [MapProperty(nameof(RrdPoint.DiskRead), nameof(MetricPointDto.DiskReadBytesPerSecond))]
    [MapProperty(nameof(RrdPoint.DiskWrite), nameof(MetricPointDto.DiskWriteBytesPerSecond))]
    [MapPropertyFromSource(nameof(MetricPointDto.Cpu), Use = nameof(CoresUsedOfPoint))]
    public static partial MetricPointDto ToDto(this RrdPoint point);

    private static partial RootFsDto ToDto(ContainerRootFs rootFs);

    private static partial NetworkDto ToDto(ContainerNetwork network);

    private static partial MountPointDto ToDto(ContainerMountPoint mountPoint);

    private static partial IpAddressDto ToDto(ContainerIpAddress address);

    private static FeaturesDto FeaturesOf(ContainerFeatures? features) => new()
    {
        Nesting = features?.Nesting ?? false,
        Keyctl = features?.Keyctl ?? false,
        Fuse = features?.Fuse ?? false,
    };

    /// <summary>Proxmox's CPU fraction (0..1 of all cores) as cores in use.</summary>
    public static double CoresUsed(double fraction, double cores) => Math.Round(fraction * cores, 4);

    private static double CoresUsed(ClusterContainer c) => CoresUsed(c.Cpu, c.MaxCpu);

    private static double? CoresUsedNullable(ClusterContainer c) => CoresUsed(c.Cpu, c.MaxCpu);

    private static double CoresUsedOfStatus(ContainerStatus s) => CoresUsed(s.Cpu, s.Cpus);

    private static double? CoresUsedOfPoint(RrdPoint p) =>
        p.Cpu is { } cpu ? CoresUsed(cpu, p.MaxCpu ?? 1) : null;

    // HA figures without a state are one of two values: shared (immutable records), not allocated per entry.
    private static readonly HaStatusDto HaManagedNoState = new() { Managed = true, State = null };
    private static readonly HaStatusDto NotHaManaged = new() { Managed = false, State = null };

    private static HaStatusDto HaOfStatus(ContainerStatus s) => s.HaManaged ? HaManagedNoState : NotHaManaged;

    private static HaStatusDto HaOfCluster(ClusterContainer c) => c.HaState is null ? NotHaManaged : new() { Managed = true, State = c.HaState };
}
