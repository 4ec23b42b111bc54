namespace ProxmoxLxc.Application.Nodes;

/// <summary>A cluster node and its use. <see cref="Cpu"/> in cores in use (0..<see cref="Cpus"/>); sizes in bytes.</summary>
public sealed record NodeDto
{
    public required string Node { get; init; }
    /// <summary><c>online</c>, <c>offline</c> or <c>unknown</c>.</summary>
    public required string Status { get; init; }
    public required double Cpus { get; init; }
    public required double Cpu { get; init; }
    public required long MemoryBytes { get; init; }
    public required long MaxMemoryBytes { get; init; }
    public required long DiskBytes { get; init; }
    public required long MaxDiskBytes { get; init; }
    public required long UptimeSeconds { get; init; }
}
