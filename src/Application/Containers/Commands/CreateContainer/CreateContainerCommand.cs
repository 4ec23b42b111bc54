using System.Text.Json.Serialization;
using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Containers.Commands.CreateContainer;

/// <summary>
/// Create a container from a template. Without <see cref="Node"/> it goes to the online node with the most free
/// memory that holds the template; without <see cref="VmId"/> it gets the next free id. <see cref="Password"/> and
/// <see cref="SshPublicKeys"/> reach Proxmox only: they are redacted from the operation log and never logged.
/// </summary>
public sealed record CreateContainerCommand : IIdempotentCommand
{
    public string? Node { get; init; }
    [JsonPropertyName("vmid")]
    public int? VmId { get; init; }
    public string? Hostname { get; init; }
    /// <summary>Template volume id, e.g. <c>local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst</c>.</summary>
    public string? Template { get; init; }
    public int? Cores { get; init; }
    /// <summary>CPU time limit in cores (0 = unlimited).</summary>
    public double? CpuLimit { get; init; }
    public int? CpuUnits { get; init; }
    public int? MemoryMiB { get; init; }
    public int? SwapMiB { get; init; }
    public RootFsInput? Rootfs { get; init; }
    public IReadOnlyList<NetworkInput>? Networks { get; init; }
    public IReadOnlyList<MountPointInput>? MountPoints { get; init; }
    /// <summary>Root password (at least 5 characters). Write-only.</summary>
    public string? Password { get; init; }
    /// <summary>OpenSSH public keys for root, one per entry. Write-only.</summary>
    public IReadOnlyList<string>? SshPublicKeys { get; init; }
    /// <summary>Default true.</summary>
    public bool? Unprivileged { get; init; }
    public FeaturesInput? Features { get; init; }
    public bool? OnBoot { get; init; }
    /// <summary>Start the container once it is created.</summary>
    public bool? Start { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public string? Pool { get; init; }
    public string? Description { get; init; }
    public string? Nameserver { get; init; }
    public string? SearchDomain { get; init; }

    [JsonIgnore]
    public string? IdempotencyKey { get; init; }

    public static string RequiredScope => Domain.ApiKeys.Scopes.ContainersWrite;
}
