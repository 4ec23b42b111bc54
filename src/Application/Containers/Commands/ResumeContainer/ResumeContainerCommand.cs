using System.Text.Json.Serialization;
using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Containers.Commands.ResumeContainer;

/// <summary>Thaw a suspended container.</summary>
public sealed record ResumeContainerCommand(int VmId) : IIdempotentCommand, ITargetsContainer
{
    [JsonIgnore]
    public string? IdempotencyKey { get; init; }

    public static string RequiredScope => Domain.ApiKeys.Scopes.ContainersPower;
}
