using System.Text.Json.Serialization;
using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Containers.Commands.ResizeContainerDisk;

/// <summary>
/// Grow a disk (<c>rootfs</c> or <c>mpN</c>): either to <see cref="SizeGiB"/> (absolute, larger than now) or by
/// <see cref="GrowGiB"/> — exactly one of them. Disks never shrink (422).
/// </summary>
public sealed record ResizeContainerDiskCommand(string? Disk = null, decimal? SizeGiB = null, decimal? GrowGiB = null) : IIdempotentCommand, ITargetsContainer
{
    /// <summary>From the route.</summary>
    [JsonIgnore]
    public int VmId { get; init; }

    [JsonIgnore]
    public string? IdempotencyKey { get; init; }

    public static string RequiredScope => Domain.ApiKeys.Scopes.ContainersWrite;
}
