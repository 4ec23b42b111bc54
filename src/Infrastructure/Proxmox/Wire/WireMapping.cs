using System.Globalization;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Infrastructure.Proxmox.Wire;

/// <summary>Wire shape → model, one method per shape (the container config has <see cref="ConfigMapping"/>, task status <see cref="TaskStatusMapping"/>).</summary>
internal static class WireMapping
{
    public static ProxmoxVersion ToModel(this WireVersion w) => new(w.Version ?? "unknown", w.Release, w.RepoId);

    public static bool IsContainer(WireClusterResource r) => r.Type == "lxc" && r.VmId is not null && r.Node is not null;

    /// <summary>The <c>/cluster/resources</c> answer: LXC containers (ordered by vmid) and nodes, every guest id in use
    /// (containers and QEMU VMs) and the resource pools.</summary>
    public static ClusterResources ToClusterResources(this List<WireClusterResource> wire) =>
        new(wire.Where(IsContainer).Select(ToContainer).OrderBy(c => c.VmId).ToList(), wire.Where(r => r.Type == "node" && r.Node is not null).Select(ToNode).ToList())
        {
            UsedVmIds = wire.Where(r => r.Type is "lxc" or "qemu" && r.VmId is not null).Select(r => r.VmId!.Value).ToHashSet(),
            Pools = wire.Where(r => r.Type == "pool" && !string.IsNullOrEmpty(r.Pool)).Select(r => r.Pool!).Distinct(StringComparer.Ordinal).ToList(),
        };

    public static ClusterContainer ToContainer(this WireClusterResource r) => new()
    {
        VmId = r.VmId!.Value,
        Node = r.Node!,
        Status = r.Status ?? "unknown",
        Name = r.Name,
        Template = r.Template,
        Cpu = r.Cpu,
        MaxCpu = r.MaxCpu,
        MemoryBytes = r.Mem,
        MaxMemoryBytes = r.MaxMem,
        DiskBytes = r.Disk,
        MaxDiskBytes = r.MaxDisk,
        UptimeSeconds = r.Uptime,
        NetInBytes = r.NetIn,
        NetOutBytes = r.NetOut,
        DiskReadBytes = r.DiskRead,
        DiskWriteBytes = r.DiskWrite,
        Tags = LxcPropertyStrings.ParseTags(r.Tags),
        Pool = NullIfEmpty(r.Pool),
        Lock = NullIfEmpty(r.Lock),
        HaState = NullIfEmpty(r.HaState),
    };

    public static ClusterNode ToNode(this WireClusterResource r) => new()
    {
        Node = r.Node!,
        Status = r.Status ?? "unknown",
        Cpu = r.Cpu,
        MaxCpu = r.MaxCpu,
        MemoryBytes = r.Mem,
        MaxMemoryBytes = r.MaxMem,
        DiskBytes = r.Disk,
        MaxDiskBytes = r.MaxDisk,
        UptimeSeconds = r.Uptime,
    };

    public static NodeInfo ToModel(this WireNode n) => new()
    {
        Node = n.Node!,
        Status = n.Status ?? "unknown",
        Cpu = n.Cpu,
        MaxCpu = n.MaxCpu,
        MemoryBytes = n.Mem,
        MaxMemoryBytes = n.MaxMem,
        UptimeSeconds = n.Uptime,
        SslFingerprint = n.SslFingerprint,
    };

    /// <summary><paramref name="vmid"/> fills in when Proxmox leaves the id out.</summary>
    public static ContainerStatus ToModel(this WireContainerStatus w, int vmid) => new()
    {
        VmId = w.VmId == 0 ? vmid : w.VmId,
        Status = w.Status ?? "unknown",
        Name = w.Name,
        UptimeSeconds = w.Uptime,
        Cpu = w.Cpu,
        Cpus = w.Cpus,
        MemoryBytes = w.Mem,
        MaxMemoryBytes = w.MaxMem,
        SwapBytes = w.Swap,
        MaxSwapBytes = w.MaxSwap,
        DiskBytes = w.Disk,
        MaxDiskBytes = w.MaxDisk,
        NetInBytes = w.NetIn,
        NetOutBytes = w.NetOut,
        DiskReadBytes = w.DiskRead,
        DiskWriteBytes = w.DiskWrite,
        Lock = NullIfEmpty(w.Lock),
        HaManaged = w.Ha?.Managed ?? false,
        Template = w.Template,
        Tags = LxcPropertyStrings.ParseTags(w.Tags),
        Pid = w.Pid,
    };

    public static PendingChange ToModel(this WirePending w) => new(w.Key!, w.Value, w.Pending, w.Delete);

    public static ContainerSnapshot ToModel(this WireSnapshot s) =>
        new(s.Name!, NullIfEmpty(s.Description), NullIfEmpty(s.Parent), FromUnixSeconds(s.SnapTime));

    public static RrdPoint ToModel(this WireRrdPoint w) => new()
    {
        Time = DateTimeOffset.FromUnixTimeSeconds((long)w.Time),
        Cpu = w.Cpu,
        MaxCpu = w.MaxCpu,
        MemoryBytes = w.Mem,
        MaxMemoryBytes = w.MaxMem,
        DiskBytes = w.Disk,
        MaxDiskBytes = w.MaxDisk,
        NetIn = w.NetIn,
        NetOut = w.NetOut,
        DiskRead = w.DiskRead,
        DiskWrite = w.DiskWrite,
    };

    public static ContainerInterface ToModel(this WireInterface i) =>
        new(i.Name!, NullIfEmpty(i.HardwareAddress) ?? NullIfEmpty(i.HwAddr), Addresses(i));

    public static ProxmoxTaskLogLine ToModel(this WireTaskLogLine l) => new(l.N, l.T ?? string.Empty);

    public static StorageInfo ToModel(this WireStorage s) => new()
    {
        Storage = s.Storage!,
        Type = s.Type,
        Content = (s.Content ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        Active = s.Active,
        Enabled = s.Enabled,
        Shared = s.Shared,
        TotalBytes = s.Total,
        UsedBytes = s.Used,
        AvailableBytes = s.Avail,
    };

    public static TemplateInfo ToTemplate(this WireStorageContent c, string node, string storage) => new()
    {
        VolId = c.VolId!,
        Name = c.VolId![(c.VolId!.LastIndexOf('/') + 1)..],
        Storage = storage,
        Node = node,
        SizeBytes = c.Size,
        Format = c.Format,
        CreatedAt = FromUnixSeconds(c.CTime),
    };

    private static List<ContainerIpAddress> Addresses(WireInterface i)
    {
        if (i.IpAddresses is { Count: > 0 })
        {
            return i.IpAddresses.Where(a => !string.IsNullOrEmpty(a.IpAddress))
                .Select(a => new ContainerIpAddress(a.IpAddress!, a.IpAddressType ?? (a.IpAddress!.Contains(':', StringComparison.Ordinal) ? "inet6" : "inet"), a.Prefix))
                .ToList();
        }

        var list = new List<ContainerIpAddress>();
        foreach (var (cidr, family) in new[] { (i.Inet, "inet"), (i.Inet6, "inet6") })
        {
            if (string.IsNullOrEmpty(cidr))
                continue;
            var slash = cidr.IndexOf('/', StringComparison.Ordinal);
            var prefix = slash > 0 && int.TryParse(cidr[(slash + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : 0;
            list.Add(new ContainerIpAddress(slash > 0 ? cidr[..slash] : cidr, family, prefix));
        }

        return list;
    }

    private static DateTimeOffset? FromUnixSeconds(long? seconds) => seconds is > 0 ? DateTimeOffset.FromUnixTimeSeconds(seconds.Value) : null;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
