using FluentValidation;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.Containers;

/// <summary>Snapshot checks shared by the snapshot commands.</summary>
internal static class SnapshotGuard
{
    public static IRuleBuilderOptions<T, string?> SnapshotName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(ProxmoxSyntax.IsSnapshotName)
            .WithMessage("'{PropertyName}' must start with a letter, then 1–39 letters, digits, '-' or '_', and must not be 'current' or 'vzdump'.");

    /// <summary>404 <c>snapshot_not_found</c> before Proxmox is asked to act on a snapshot that does not exist; 409 when locked.</summary>
    public static async Task RequireAsync(ContainerCommandSteps steps, ClusterContainer container, string name, CancellationToken cancellationToken)
    {
        await steps.RequireStateAsync(container, mustBeRunning: null, "changed", cancellationToken);
        var snapshots = await steps.Gateway.ListSnapshotsAsync(container.Node, container.VmId, cancellationToken);
        if (!snapshots.Any(s => string.Equals(s.Name, name, StringComparison.Ordinal)))
        {
            throw new NotFoundException(ErrorCodes.SnapshotNotFound, $"Container {container.VmId} has no snapshot '{name}'.");
        }
    }
}
