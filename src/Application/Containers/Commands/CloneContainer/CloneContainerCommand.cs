using System.Text.Json.Serialization;
using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Containers.Commands.CloneContainer;

/// <summary>
/// Clone a container to <see cref="NewVmId"/> (default: the next free id). <see cref="Full"/> copies the disks
/// (a linked clone needs a template); the clone stays in the source's pool.
/// </summary>
public sealed record CloneContainerCommand(
    [property: JsonPropertyName("newVmid")] int? NewVmId = null,
    string? Hostname = null,
    bool Full = false,
    string? TargetNode = null,
    string? TargetStorage = null) : IIdempotentCommand, ITargetsContainer
{
    /// <summary>The source container, from the route.</summary>
    [JsonIgnore]
    public int VmId { get; init; }

    [JsonIgnore]
    public string? IdempotencyKey { get; init; }

    public static string RequiredScope => Domain.ApiKeys.Scopes.ContainersWrite;
}
