using System.Text.Json.Serialization;
using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Containers.Commands.RebootContainer;

/// <summary>Reboot a running container (pending configuration changes apply); <see cref="TimeoutSeconds"/> bounds the shutdown part.</summary>
public sealed record RebootContainerCommand(int? TimeoutSeconds = null) : IIdempotentCommand, ITargetsContainer
{
    /// <summary>From the route.</summary>
    [JsonIgnore]
    public int VmId { get; init; }

    [JsonIgnore]
    public string? IdempotencyKey { get; init; }

    public static string RequiredScope => Domain.ApiKeys.Scopes.ContainersPower;
}
