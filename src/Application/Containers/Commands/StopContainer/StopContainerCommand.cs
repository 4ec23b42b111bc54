using System.Text.Json.Serialization;
using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Containers.Commands.StopContainer;

/// <summary>Stop a running container at once (like pulling the plug).</summary>
public sealed record StopContainerCommand(int VmId) : IIdempotentCommand, ITargetsContainer
{
    [JsonIgnore]
    public string? IdempotencyKey { get; init; }

    public static string RequiredScope => Domain.ApiKeys.Scopes.ContainersPower;
}
