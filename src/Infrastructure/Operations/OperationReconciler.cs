using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Leasing;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.Infrastructure.Proxmox;

namespace ProxmoxLxc.Infrastructure.Operations;

/// <summary>
/// Settles mutating calls that ended without an answer: a row still <c>running</c> without a task, older than the
/// dispatch timeout and not leased by a live instance (the call holds its row's lease while it runs, on whichever
/// instance: the process died between the dispatch and Proxmox's answer, or the answer was lost). The row is claimed
/// first (<see cref="RowLeases"/>), so one instance reconciles it. The row names the container and its node (recorded before the dispatch); the task
/// is looked up in that node's task list (type, vmid, this service's own user, since the call began) and attached — one
/// task to one operation, also when two instances reconcile two lost rows of the same container at once — and
/// <see cref="OperationTaskFollower"/> follows it to its real outcome. When none matches the operation fails with
/// <c>outcome_unknown</c> and the container's current state. Nothing is ever dispatched again. Batch rows have no task
/// of their own and are left to the batch runner (their per-container rows are reconciled like any other).
/// </summary>
internal sealed partial class OperationReconciler(
    IDbContextFactory<AppDbContext> dbFactory,
    OperationLogStore store,
    RowLeases leases,
    IProxmoxGateway gateway,
    IClusterInventory inventory,
    IOptions<ProxmoxOptions> proxmox,
    TimeProvider time,
    ILogger<OperationReconciler> logger)
{
    /// <summary>How far before the call's start a Proxmox task may be stamped (clock skew between the hosts).</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Claims and reconciles the eligible rows; returns the operations that now have a task to follow (their leases
    /// held by this instance).
    /// </summary>
    public async Task<IReadOnlyList<long>> ReconcileAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - proxmox.Value.DispatchTimeout;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var eligible = db.OperationLogs.Where(o => o.Outcome == OperationOutcome.Running && o.TaskId == null && o.IsMutating && o.RequestedAt < cutoff
            && !o.Action.StartsWith(OperationLog.BatchActionPrefix));
        var rows = await leases.Free(eligible).AsNoTracking()
            .OrderBy(o => o.Id)
            .Take(100)
            .ToListAsync(cancellationToken);

        var attached = new List<long>();
        foreach (var row in rows)
        {
            if (!await leases.TryClaimAsync(eligible, row.Id, cancellationToken))
            {
                continue; // another instance claimed it first
            }

            try
            {
                if (await ReconcileAsync(row, cancellationToken))
                {
                    attached.Add(row.Id);
                }
            }
            catch (AppException ex)
            {
                // Proxmox cannot tell us now: the row stays as it is and is tried again at the next scan, by any instance.
                LogReconcileDeferred(logger, row.Id, ex.Code);
                await leases.ReleaseAsync(db.OperationLogs, row.Id);
            }
        }

        return attached;
    }

    private async Task<bool> ReconcileAsync(OperationLog row, CancellationToken cancellationToken)
    {
        if (row.VmId is not { } vmId || row.Node is not { } node)
        {
            // Every dispatch is preceded by the durable target, so this call never reached Proxmox.
            await FailAsync(row, "The service stopped before this call finished; nothing was sent to Proxmox.");
            return false;
        }

        if (ProxmoxTaskTypes.ForAction(row.Action) is { } type)
        {
            var since = (row.StartedAt ?? row.RequestedAt) - ClockSkew;
            var candidates = await gateway.FindOwnTasksAsync(node, vmId, type, since, cancellationToken);
            foreach (var task in await UnclaimedAsync(candidates, cancellationToken))
            {
                switch (await store.AttachTaskAsync(row.Id, task.Upid, task.Node))
                {
                    case TaskAttach.Attached:
                        LogAttached(logger, row.Id, row.Action, task.Upid);
                        return true;
                    case TaskAttach.NotHeld:
                        return false;
                    default:
                        continue; // another instance attached it to its own lost row meanwhile: try the next one
                }
            }
        }

        var state = await DescribeContainerAsync(vmId, cancellationToken);
        await FailAsync(row,
            $"The answer to this action was lost (the service stopped or the connection broke) and Proxmox lists no matching task; the action was not sent again. {state}");
        return false;
    }

    /// <summary>
    /// The candidates no other operation follows yet, oldest first. Only a first sifting: another instance may attach one
    /// of them before this one does, which the attach itself detects (<see cref="OperationLogStore.AttachTaskAsync"/>).
    /// </summary>
    private async Task<IReadOnlyList<ProxmoxTask>> UnclaimedAsync(IReadOnlyList<ProxmoxTask> candidates, CancellationToken cancellationToken)
    {
        if (candidates.Count == 0)
        {
            return [];
        }

        var upids = candidates.Select(t => t.Upid).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var claimed = await db.OperationLogs.AsNoTracking()
            .Where(o => o.TaskId != null && upids.Contains(o.TaskId))
            .Select(o => o.TaskId!)
            .ToListAsync(cancellationToken);
        return [.. candidates.Where(t => !claimed.Contains(t.Upid, StringComparer.Ordinal))];
    }

    private async Task<string> DescribeContainerAsync(int vmId, CancellationToken cancellationToken)
    {
        // A view fetched now (the container may have moved or gone since the call); it also freshens this instance's view.
        var container = (await inventory.RefreshAsync(time.GetUtcNow(), cancellationToken)).Find(vmId);
        if (container is null)
        {
            return $"Container {vmId} does not exist now.";
        }

        var status = await gateway.GetStatusAsync(container.Node, vmId, cancellationToken);
        return status.Lock is { } held
            ? $"Container {vmId} is now {status.Status} on node {container.Node} (locked: {held})."
            : $"Container {vmId} is now {status.Status} on node {container.Node}.";
    }

    private async Task FailAsync(OperationLog row, string message)
    {
        if (await store.ChangeAsync(row.Id, r => r.Fail(time.GetUtcNow(), ErrorCodes.OutcomeUnknown, message)))
        {
            LogOutcomeUnknown(logger, row.Id, row.Action);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Operation {OperationId} ({Action}) had lost its task; found and attached {Upid}.")]
    private static partial void LogAttached(ILogger logger, long operationId, string action, string upid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operation {OperationId} ({Action}) ended without an answer and without a matching Proxmox task: outcome_unknown.")]
    private static partial void LogOutcomeUnknown(ILogger logger, long operationId, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciling operation {OperationId} must wait: Proxmox answered {Code}.")]
    private static partial void LogReconcileDeferred(ILogger logger, long operationId, string code);
}
