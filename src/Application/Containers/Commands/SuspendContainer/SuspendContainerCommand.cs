using System.Text.Json.Serialization;
using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Containers.Commands.SuspendContainer;

/// <summary>Freeze a running container.</summary>
public sealed record SuspendContainerCommand(int VmId) : IIdempotentCommand, ITargetsContainer
{
    [JsonIgnore]
    public string? IdempotencyKey { get; init; }

    public static string RequiredScope => Domain.ApiKeys.Scopes.ContainersPower;
}
