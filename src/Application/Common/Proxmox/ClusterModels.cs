namespace ProxmoxLxc.Application.Common.Proxmox;

public sealed record ProxmoxVersion(string Version, string? Release, string? RepoId);

/// <summary>One <c>GET /cluster/resources</c> answer, split into LXC containers and nodes (QEMU guests are dropped).</summary>
public sealed record ClusterResources(IReadOnlyList<ClusterContainer> Containers, IReadOnlyList<ClusterNode> Nodes)
{
    /// <summary>Every guest id in use: containers and QEMU VMs (a new container cannot take either).</summary>
    public IReadOnlySet<int> UsedVmIds { get; init; } = new HashSet<int>();

    /// <summary>Resource pools (<c>type: pool</c> entries). Empty when there are none, or when the Proxmox version does
    /// not list pools here (before PVE 8.1): then existence cannot be decided from this answer.</summary>
    public IReadOnlyList<string> Pools { get; init; } = [];
}

/// <summary>An LXC container as seen in the cluster resource list. Sizes in bytes, times in seconds.</summary>
public sealed record ClusterContainer
{
    public required int VmId { get; init; }
    public required string Node { get; init; }
    /// <summary><c>running</c>, <c>stopped</c> or <c>unknown</c> (no RRD data yet).</summary>
    public required string Status { get; init; }
    public string? Name { get; init; }
    public bool Template { get; init; }
    public double Cpu { get; init; }
    public double MaxCpu { get; init; }
    public long MemoryBytes { get; init; }
    public long MaxMemoryBytes { get; init; }
    public long DiskBytes { get; init; }
    public long MaxDiskBytes { get; init; }
    public long UptimeSeconds { get; init; }
    public long NetInBytes { get; init; }
    public long NetOutBytes { get; init; }
    public long DiskReadBytes { get; init; }
    public long DiskWriteBytes { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? Pool { get; init; }
    public string? Lock { get; init; }
    public string? HaState { get; init; }
}

public sealed record ClusterNode
{
    public required string Node { get; init; }
    /// <summary><c>online</c>, <c>offline</c> or <c>unknown</c>.</summary>
    public required string Status { get; init; }
    public double Cpu { get; init; }
    public double MaxCpu { get; init; }
    public long MemoryBytes { get; init; }
    public long MaxMemoryBytes { get; init; }
    public long DiskBytes { get; init; }
    public long MaxDiskBytes { get; init; }
    public long UptimeSeconds { get; init; }
}

/// <summary>An entry of <c>GET /nodes</c>.</summary>
public sealed record NodeInfo
{
    public required string Node { get; init; }
    public required string Status { get; init; }
    public double Cpu { get; init; }
    public double MaxCpu { get; init; }
    public long MemoryBytes { get; init; }
    public long MaxMemoryBytes { get; init; }
    public long UptimeSeconds { get; init; }
    public string? SslFingerprint { get; init; }
}

public sealed record StorageInfo
{
    public required string Storage { get; init; }
    public string? Type { get; init; }
    public IReadOnlyList<string> Content { get; init; } = [];
    public bool Active { get; init; }
    public bool Enabled { get; init; }
    public bool Shared { get; init; }
    public long TotalBytes { get; init; }
    public long UsedBytes { get; init; }
    public long AvailableBytes { get; init; }
}

/// <summary>A container template (<c>vztmpl</c> content) on a storage.</summary>
public sealed record TemplateInfo
{
    /// <summary>Volume id, e.g. <c>local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst</c>.</summary>
    public required string VolId { get; init; }
    /// <summary>File name part of the volume id.</summary>
    public required string Name { get; init; }
    public required string Storage { get; init; }
    public required string Node { get; init; }
    public long SizeBytes { get; init; }
    public string? Format { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
}
