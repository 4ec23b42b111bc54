using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Application.Operations;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Operations;

/// <summary>
/// Follows Proxmox tasks of operations whose request has ended, to the end: exit status, warnings, error,
/// completion time and duration. At start-up it resumes every row left <c>running</c> with a task (e.g. after a
/// restart), then periodically picks up orphans (rows nobody in this process follows). A task that outlives its
/// action's limit fails the operation with <c>proxmox_timeout</c>.
/// </summary>
internal sealed partial class OperationTaskFollower(
    OperationTaskHandoff queue,
    IDbContextFactory<AppDbContext> dbFactory,
    OperationLogStore store,
    IProxmoxGateway gateway,
    IOptions<OperationTrackingOptions> options,
    TimeProvider time,
    ILogger<OperationTaskFollower> logger) : BackgroundService
{
    /// <summary>Longest single wait on Proxmox before the deadline is checked again.</summary>
    private static readonly TimeSpan WaitSlice = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<long, Task> _following = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var scanner = ScanLoopAsync(stoppingToken);
        try
        {
            await foreach (var id in queue.Reader.ReadAllAsync(stoppingToken))
            {
                Follow(id, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: unfinished rows stay running and are resumed at the next start.
        }

        await scanner;
        await Task.WhenAll(_following.Values);
    }

    private async Task ScanLoopAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var first = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // At start-up every unfinished row is resumed; later only rows older than any live request could be.
                var cutoff = first ? DateTimeOffset.MaxValue : time.GetUtcNow() - settings.OrphanAge;
                await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
                var ids = await db.OperationLogs.AsNoTracking()
                    .Where(o => o.Outcome == OperationOutcome.Running && o.TaskId != null && o.RequestedAt < cutoff)
                    .OrderBy(o => o.Id)
                    .Select(o => o.Id)
                    .Take(1000)
                    .ToListAsync(stoppingToken);
                if (first && ids.Count > 0)
                {
                    LogResuming(logger, ids.Count);
                }

                foreach (var id in ids)
                {
                    Follow(id, stoppingToken);
                }

                first = false;
                await Task.Delay(settings.ScanInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
            {
                LogScanFailed(logger, ex);
                await Task.Delay(RetryDelay, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private void Follow(long id, CancellationToken stoppingToken)
    {
        if (_following.ContainsKey(id))
        {
            return;
        }

        var gate = new TaskCompletionSource();
        if (!_following.TryAdd(id, gate.Task))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await FollowAsync(id, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                LogFollowFailed(logger, ex, id);
            }
            finally
            {
                _following.TryRemove(id, out _);
                gate.SetResult();
            }
        }, CancellationToken.None);
    }

    private async Task FollowAsync(long id, CancellationToken stoppingToken)
    {
        OperationLog? row;
        await using (var db = await dbFactory.CreateDbContextAsync(stoppingToken))
        {
            row = await db.OperationLogs.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, stoppingToken);
        }

        if (row is null || row.IsCompleted || row.TaskId is null)
        {
            return;
        }

        var limit = options.Value.LimitFor(row.Action);
        var deadline = (row.StartedAt ?? row.RequestedAt) + limit;
        if (!ProxmoxTaskId.TryParse(row.TaskId, out var task))
        {
            await store.CompleteTaskAsync(id, OperationTaskEnd.Lost(), time);
            return;
        }

        while (true)
        {
            var remaining = deadline - time.GetUtcNow();
            try
            {
                var status = await gateway.WaitForTaskAsync(task, remaining <= TimeSpan.Zero ? TimeSpan.Zero : remaining < WaitSlice ? remaining : WaitSlice, stoppingToken);
                if (!status.IsRunning)
                {
                    var log = status.Outcome == ProxmoxTaskOutcome.SucceededWithWarnings
                        ? await gateway.GetTaskLogTailAsync(task, OperationTaskEnd.LogLinesForWarnings, stoppingToken)
                        : null;
                    await store.CompleteTaskAsync(id, OperationTaskEnd.Finished(status, log), time);
                    LogFinished(logger, id, row.Action, status.ExitStatus ?? "?");
                    return;
                }
            }
            catch (NotFoundException)
            {
                await store.CompleteTaskAsync(id, OperationTaskEnd.Lost(), time);
                return;
            }
            catch (AppException ex)
            {
                // Proxmox unreachable or erroring: keep trying until the operation's limit.
                LogPollFailed(logger, id, ex.Code);
                await Task.Delay(RetryDelay, time, stoppingToken);
            }

            if (time.GetUtcNow() >= deadline)
            {
                await store.CompleteTaskAsync(id, OperationTaskEnd.TimedOut(limit), time);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming {Count} unfinished operations with Proxmox tasks.")]
    private static partial void LogResuming(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Operation {OperationId} ({Action}) finished: {ExitStatus}.")]
    private static partial void LogFinished(ILogger logger, long operationId, string action, string exitStatus);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling the task of operation {OperationId} failed ({Code}); retrying.")]
    private static partial void LogPollFailed(ILogger logger, long operationId, string code);

    [LoggerMessage(Level = LogLevel.Error, Message = "Following the task of operation {OperationId} failed.")]
    private static partial void LogFollowFailed(ILogger logger, Exception exception, long operationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for unfinished operations failed; retrying.")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);
}
