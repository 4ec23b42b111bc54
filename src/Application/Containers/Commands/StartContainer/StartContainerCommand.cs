using System.Text.Json.Serialization;
using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Containers.Commands.StartContainer;

/// <summary>Start a stopped container.</summary>
public sealed record StartContainerCommand(int VmId) : IIdempotentCommand, ITargetsContainer
{
    [JsonIgnore]
    public string? IdempotencyKey { get; init; }

    public static string RequiredScope => Domain.ApiKeys.Scopes.ContainersPower;
}
