using System.Text.Json.Serialization;
using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Containers.Commands.UpdateContainerConfig;

/// <summary>
/// Change only the fields given; <see cref="Delete"/> lists API fields to remove (<c>cpuLimit</c>, <c>nameserver</c>,
/// <c>networks[1]</c>…). With <see cref="IfMatch"/> (the <c>If-Match</c> header, the digest from <c>ETag</c>) a
/// configuration changed meanwhile is refused with 412. Changes Proxmox cannot apply to a running container stay
/// pending until the next reboot (listed in the answer).
/// </summary>
public sealed record UpdateContainerConfigCommand : IAppCommand<ContainerDetailDto>, ITargetsContainer
{
    public int? Cores { get; init; }
    public double? CpuLimit { get; init; }
    public int? CpuUnits { get; init; }
    public int? MemoryMiB { get; init; }
    public int? SwapMiB { get; init; }
    /// <summary>Interfaces to set; each replaces <c>net[index]</c> (index defaults to the position in the list).</summary>
    public IReadOnlyList<NetworkInput>? Networks { get; init; }
    public bool? OnBoot { get; init; }
    /// <summary>The complete new tag list (empty removes every tag).</summary>
    public IReadOnlyList<string>? Tags { get; init; }
    public string? Description { get; init; }
    public string? Nameserver { get; init; }
    public string? SearchDomain { get; init; }
    /// <summary>API fields to remove.</summary>
    public IReadOnlyList<string>? Delete { get; init; }

    /// <summary>From the route.</summary>
    [JsonIgnore]
    public int VmId { get; init; }

    /// <summary>The <c>If-Match</c> header.</summary>
    [JsonIgnore]
    public string? IfMatch { get; init; }

    public static string RequiredScope => Domain.ApiKeys.Scopes.ContainersWrite;
}
