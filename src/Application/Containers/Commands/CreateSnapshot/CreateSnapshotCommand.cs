using System.Text.Json.Serialization;
using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Containers.Commands.CreateSnapshot;

/// <summary>Take a snapshot named <see cref="Name"/> (a letter, then 1–39 letters, digits, '-' or '_'; not <c>current</c>/<c>vzdump</c>).</summary>
public sealed record CreateSnapshotCommand(string? Name = null, string? Description = null) : IIdempotentCommand, ITargetsContainer
{
    /// <summary>From the route.</summary>
    [JsonIgnore]
    public int VmId { get; init; }

    [JsonIgnore]
    public string? IdempotencyKey { get; init; }

    public static string RequiredScope => Domain.ApiKeys.Scopes.ContainersWrite;
}
