using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Application.Operations;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Leasing;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Operations;

/// <summary>
/// Follows Proxmox tasks of operations whose request has ended, to the end: exit status, warnings, error,
/// completion time and duration. Every instance on the database runs one; each operation is followed by exactly one
/// live instance, the holder of its row's lease (<see cref="RowLeases"/>): the instance whose call wrote the row keeps
/// the lease and follows the task after the call; a scan (at start-up, then every <c>Operations:ScanInterval</c>)
/// claims rows left <c>running</c> with a task whose lease is free — released at a graceful stop, or run out because
/// their instance died — and has <see cref="OperationReconciler"/> settle rows that never learned their task. Leases of
/// the rows followed here and of the calls still running here are renewed every <c>Leases:RenewInterval</c>; a row
/// whose lease was lost (taken over) is no longer followed here. Completion is conditional on the lease, so an
/// operation is completed once. A task that outlives its action's limit fails the operation with <c>proxmox_timeout</c>.
/// </summary>
internal sealed partial class OperationTaskFollower(
    OperationTaskHandoff queue,
    IDbContextFactory<AppDbContext> dbFactory,
    OperationLogStore store,
    OperationReconciler reconciler,
    IdempotencyClaims claims,
    RowLeases leases,
    IProxmoxGateway gateway,
    IOptions<OperationTrackingOptions> options,
    TimeProvider time,
    ILogger<OperationTaskFollower> logger,
    IDatabaseStartup database) : DatabaseBackgroundService(database)
{
    /// <summary>Longest single wait on Proxmox before the deadline is checked again.</summary>
    private static readonly TimeSpan WaitSlice = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<long, Following> _following = new();

    /// <summary>The service's stopping token (what ends every follow loop besides a lost lease).</summary>
    private CancellationToken _stopping;

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        LogInstance(logger, leases.Owner);
        var scanner = ScanLoopAsync(stoppingToken);
        var renewer = leases.RenewEveryIntervalAsync(RenewAsync, ex => LogRenewFailed(logger, ex), stoppingToken);
        try
        {
            await foreach (var id in queue.Reader.ReadAllAsync(stoppingToken))
            {
                Follow(id);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: unfinished rows stay running; their leases are released for the next start or another instance.
        }

        await scanner;
        await renewer;
        await Task.WhenAll(_following.Values.Select(f => f.Done));
    }

    /// <summary>
    /// One scan: claims the running rows with a task whose lease is free and follows them, then reconciles rows without
    /// a task. The background loop runs it at start-up and every <c>Operations:ScanInterval</c>.
    /// </summary>
    public async Task ScanAsync(CancellationToken cancellationToken)
    {
        List<long> claimed = [];
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var unfinished = db.OperationLogs.Where(o => o.Outcome == OperationOutcome.Running && o.TaskId != null);
            var ids = await leases.Free(unfinished).AsNoTracking()
                .OrderBy(o => o.Id)
                .Select(o => o.Id)
                .Take(1000)
                .ToListAsync(cancellationToken);
            foreach (var id in ids)
            {
                if (!_following.ContainsKey(id) && await leases.TryClaimAsync(unfinished, id, cancellationToken))
                {
                    claimed.Add(id);
                }
            }
        }

        if (claimed.Count > 0)
        {
            LogResuming(logger, claimed.Count, leases.Owner);
        }

        foreach (var id in claimed)
        {
            Follow(id);
        }

        // Calls that died (or lost their answer) between the dispatch and the UPID: find their task, or settle them.
        foreach (var id in await reconciler.ReconcileAsync(cancellationToken))
        {
            Follow(id);
        }
    }

    /// <summary>
    /// Renews the leases of the rows followed here, of the calls still running here and of their <c>Idempotency-Key</c>
    /// claims (<see cref="IdempotencyClaims"/>); stops following rows whose lease another instance has taken over.
    /// </summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        await claims.RenewAsync(cancellationToken);
        var followed = _following.Keys.ToList();
        var ids = followed.Union(store.CallLeases).ToList();
        if (ids.Count == 0)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var held = await leases.RenewAsync(db.OperationLogs, ids, cancellationToken);
        foreach (var id in followed.Where(id => !held.Contains(id)))
        {
            if (_following.TryGetValue(id, out var lost))
            {
                LogLeaseLost(logger, id, leases.Owner);
                try
                {
                    await lost.Lost.CancelAsync();
                }
                catch (ObjectDisposedException)
                {
                    // Its follow loop ended meanwhile.
                }
            }
        }
    }

    private async Task ScanLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ScanAsync(stoppingToken);
                await Task.Delay(options.Value.ScanInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException || DatabaseFailures.IsUnavailable(ex))
            {
                LogScanFailed(logger, ex);
                await Task.Delay(RetryDelay, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Whether this instance follows operation <paramref name="id"/> now (its handed-off task or one it took over).</summary>
    internal bool IsFollowing(long id) => _following.ContainsKey(id);

    private void Follow(long id)
    {
        var stoppingToken = _stopping;
        if (_following.ContainsKey(id))
        {
            return;
        }

        var gate = new TaskCompletionSource();
        var lost = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        if (!_following.TryAdd(id, new Following(gate.Task, lost)))
        {
            lost.Dispose();
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await FollowAsync(id, lost.Token);
            }
            catch (OperationCanceledException) when (lost.IsCancellationRequested)
            {
                if (stoppingToken.IsCancellationRequested)
                {
                    await ReleaseAsync(id);
                }
            }
            catch (Exception ex)
            {
                LogFollowFailed(logger, ex, id);
            }
            finally
            {
                _following.TryRemove(id, out _);
                lost.Dispose();
                gate.SetResult();
            }
        }, CancellationToken.None);
    }

    /// <summary>At a graceful stop: the row is free at once for the next start or another instance.</summary>
    private async Task ReleaseAsync(long id)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await leases.ReleaseAsync(db.OperationLogs, id);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException || DatabaseFailures.IsUnavailable(ex))
        {
            LogReleaseFailed(logger, ex, id);
        }
    }

    private async Task FollowAsync(long id, CancellationToken cancellationToken)
    {
        OperationLog? row;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            row = await db.OperationLogs.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
        }

        if (row is null || row.IsCompleted || row.TaskId is null)
        {
            return;
        }

        var limit = options.Value.LimitFor(row.Action);
        var deadline = (row.StartedAt ?? row.RequestedAt) + limit;
        if (!ProxmoxTaskId.TryParse(row.TaskId, out var task))
        {
            await CompleteAsync(row, OperationTaskEnd.Lost(), "task_not_found");
            return;
        }

        while (true)
        {
            var remaining = deadline - time.GetUtcNow();
            try
            {
                var status = await gateway.WaitForTaskAsync(task, remaining <= TimeSpan.Zero ? TimeSpan.Zero : remaining < WaitSlice ? remaining : WaitSlice, cancellationToken);
                if (!status.IsRunning)
                {
                    var log = status.Outcome == ProxmoxTaskOutcome.SucceededWithWarnings
                        ? await gateway.GetTaskLogTailAsync(task, OperationTaskEnd.LogLinesForWarnings, cancellationToken)
                        : null;
                    await CompleteAsync(row, OperationTaskEnd.Finished(status, log), status.ExitStatus ?? "?");
                    return;
                }
            }
            catch (NotFoundException)
            {
                await CompleteAsync(row, OperationTaskEnd.Lost(), "task_not_found");
                return;
            }
            catch (AppException ex)
            {
                // Proxmox unreachable or erroring: keep trying until the operation's limit.
                LogPollFailed(logger, id, ex.Code);
                await Task.Delay(RetryDelay, time, cancellationToken);
            }

            if (time.GetUtcNow() >= deadline)
            {
                await CompleteAsync(row, OperationTaskEnd.TimedOut(limit), "proxmox_timeout");
                return;
            }
        }
    }

    /// <summary>The one completion of a followed row: conditional on it still running and leased by this instance.</summary>
    private async Task CompleteAsync(OperationLog row, OperationTaskEnd end, string result)
    {
        if (await store.CompleteTaskAsync(row.Id, end, time))
        {
            LogFinished(logger, row.Id, row.Action, result, leases.Owner);
        }
        else
        {
            LogNotCompleted(logger, row.Id, leases.Owner);
        }
    }

    /// <summary>A row followed here: its follow loop, and the token that stops it (stop of the service, or lease lost).</summary>
    private sealed record Following(Task Done, CancellationTokenSource Lost);

    [LoggerMessage(Level = LogLevel.Information, Message = "Instance {InstanceId} follows operations (leases on their rows).")]
    private static partial void LogInstance(ILogger logger, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operation {OperationId}: instance {InstanceId} lost its lease (another instance took it over); no longer following it.")]
    private static partial void LogLeaseLost(ILogger logger, long operationId, string instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Operation {OperationId} was not completed by instance {InstanceId}: it had already ended or another instance holds it.")]
    private static partial void LogNotCompleted(ILogger logger, long operationId, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing operation leases failed; retrying.")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing the lease of operation {OperationId} at shutdown failed; it runs out on its own.")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, long operationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming {Count} unfinished operations with Proxmox tasks (claimed by instance {InstanceId}).")]
    private static partial void LogResuming(ILogger logger, int count, string instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Operation {OperationId} ({Action}) finished: {ExitStatus}; completed by instance {InstanceId}.")]
    private static partial void LogFinished(ILogger logger, long operationId, string action, string exitStatus, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling the task of operation {OperationId} failed ({Code}); retrying.")]
    private static partial void LogPollFailed(ILogger logger, long operationId, string code);

    [LoggerMessage(Level = LogLevel.Error, Message = "Following the task of operation {OperationId} failed.")]
    private static partial void LogFollowFailed(ILogger logger, Exception exception, long operationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for unfinished operations failed; retrying.")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);
}
