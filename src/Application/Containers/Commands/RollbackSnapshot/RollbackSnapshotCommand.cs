using System.Text.Json.Serialization;
using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Containers.Commands.RollbackSnapshot;

/// <summary>Roll the container back to the snapshot <paramref name="Name"/> (a running container is stopped by Proxmox).</summary>
public sealed record RollbackSnapshotCommand(int VmId, string Name) : IIdempotentCommand, ITargetsContainer
{
    [JsonIgnore]
    public string? IdempotencyKey { get; init; }

    public static string RequiredScope => Domain.ApiKeys.Scopes.ContainersWrite;
}
