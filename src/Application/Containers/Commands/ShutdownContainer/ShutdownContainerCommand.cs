using System.Text.Json.Serialization;
using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Containers.Commands.ShutdownContainer;

/// <summary>
/// Ask a running container to shut down cleanly, waiting up to <see cref="TimeoutSeconds"/> (Proxmox default 60);
/// with <see cref="ForceStop"/> it is stopped hard when the time runs out.
/// </summary>
public sealed record ShutdownContainerCommand(int? TimeoutSeconds = null, bool ForceStop = false) : IIdempotentCommand, ITargetsContainer
{
    /// <summary>From the route.</summary>
    [JsonIgnore]
    public int VmId { get; init; }

    [JsonIgnore]
    public string? IdempotencyKey { get; init; }

    public static string RequiredScope => Domain.ApiKeys.Scopes.ContainersPower;
}
