using System.Collections.Concurrent;
using System.Globalization;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.RunBatchAction;

/// <summary>
/// Carries a batch out in the background: at most <see cref="BatchProgress.MaxParallel"/> per-container operations in
/// flight (dispatched and not yet ended). Each one is the single-container command sent through the mediator in a scope
/// of its own, as the batch's caller (<see cref="DetachedCall"/>): same scope, restriction, pre-checks and operation
/// row as the single call, its request id <c>batch-{batchId}-{vmid}</c> linking it to the batch. It waits for the
/// task like <c>Prefer: wait</c> does, then (once the follower owns the row) re-reads the row until it ended. The
/// batch row (sole writer: this runner) is rewritten after each item change and succeeds once every item ended.
/// </summary>
internal sealed partial class BatchRunner(IServiceScopeFactory scopes, IOperationLogStore store, TimeProvider time, ILogger<BatchRunner> logger)
{
    private static readonly TimeSpan EndPoll = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<long, Task> _running = new();

    /// <summary>Starts the batch the call just handed over (not bound to the call: a client hanging up stops nothing).</summary>
    public void Start(OperationDto batch, BatchActionCommand command, CallerIdentity caller)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using (ExecutionContext.SuppressFlow())
        {
            _running[batch.Id] = Task.Run(() => RunAsync(batch.Id, batch.ClientAddress, command, caller));
        }
    }

    private async Task RunAsync(long batchId, string? clientAddress, BatchActionCommand command, CallerIdentity caller)
    {
        try
        {
            var row = await ReadAsync(batchId) ?? throw new InvalidOperationException($"Batch {batchId} was not written.");
            var progress = BatchProgress.FromJson(row.Changes) ?? throw new InvalidOperationException($"Batch {batchId} has no items.");
            var items = progress.Items.ToArray();
            using var write = new SemaphoreSlim(1, 1);
            using var gate = new SemaphoreSlim(progress.MaxParallel, progress.MaxParallel);

            async Task UpdateAsync(int index, BatchItemDto item)
            {
                await write.WaitAsync();
                try
                {
                    items[index] = item;
                    row.RecordChanges(new BatchProgress(progress.MaxParallel, items).ToJson());
                    await store.UpdateAsync(row);
                }
                finally
                {
                    write.Release();
                }
            }

            await Task.WhenAll(items.Select((item, index) => item.IsEnded
                ? Task.CompletedTask
                : RunItemAsync(item, gate, changed => UpdateAsync(index, changed), new ChildCall(batchId, clientAddress, command, caller))));

            await write.WaitAsync();
            try
            {
                row.Succeed(time.GetUtcNow());
                await store.UpdateAsync(row);
            }
            finally
            {
                write.Release();
            }
        }
        catch (Exception ex)
        {
            // The row stays running with its items as last written; a restart continues it.
            LogBatchStopped(logger, batchId, ex);
        }
        finally
        {
            _running.TryRemove(batchId, out _);
        }
    }

    private async Task RunItemAsync(BatchItemDto item, SemaphoreSlim gate, Func<BatchItemDto, Task> update, ChildCall call)
    {
        await gate.WaitAsync();
        try
        {
            // Durable before the dispatch: after a crash this item may have reached Proxmox (its row says so).
            await update(item with { Status = "running" });
            var child = await DispatchAsync(item.VmId, call);
            await update(ItemOf(item.VmId, child));
            while (child.Status == "running" && child.Id != 0)
            {
                await Task.Delay(EndPoll, time);
                child = (await ReadAsync(child.Id))?.ToDto() ?? child;
            }

            await update(ItemOf(item.VmId, child));
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The single-container call, made as the batch's caller; answers the child operation as its call ended.</summary>
    private async Task<OperationDto> DispatchAsync(int vmId, ChildCall call)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        services.GetRequiredService<DetachedCall>().Begin(call.Caller, call.RequestFor(vmId));
        var recorder = services.GetRequiredService<IOperationRecorder>();
        recorder.Received();
        CallEnd end;
        try
        {
            var started = await services.GetRequiredService<ISender>().Send(call.Command.ForContainer(vmId), CancellationToken.None);
            var waited = await services.GetRequiredService<IOperationWaiter>().WaitAsync(started, OperationTrackingOptions.MaxPreferWait, CancellationToken.None);
            end = new CallEnd(waited.Status == "running" ? 202 : 200, OperationOutcome.Succeeded);
        }
        catch (AppException ex)
        {
            end = new CallEnd(ex.StatusCode, ex.StatusCode < 500 ? OperationOutcome.Rejected : OperationOutcome.Failed, ex.Code, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogChildFailed(logger, vmId, ex);
            end = new CallEnd(500, OperationOutcome.Failed, ErrorCodes.InternalError, "An unexpected error occurred.");
        }

        await recorder.EndAsync(end);
        return recorder.Current;
    }

    /// <summary>
    /// The item as its operation now is. A container locked by another task is, for the batch, one not in a state to
    /// act on: <c>container_state_conflict</c> (its own operation keeps the precise <c>container_locked</c>).
    /// </summary>
    private static BatchItemDto ItemOf(int vmId, OperationDto child)
    {
        var error = child.Error is { Code: ErrorCodes.ContainerLocked } locked
            ? locked with { Code = ErrorCodes.ContainerStateConflict }
            : child.Error;
        return new BatchItemDto(vmId, child.Id == 0 ? null : child.Id, child.Status, error);
    }

    private async Task<OperationLog?> ReadAsync(long operationId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        return await db.OperationLogs.AsNoTracking().FirstOrDefaultAsync(o => o.Id == operationId, CancellationToken.None);
    }

    private sealed record ChildCall(long BatchId, string? ClientAddress, BatchActionCommand Command, CallerIdentity Caller)
    {
        public ChildRequest RequestFor(int vmId) => new ChildRequest(
            string.Create(CultureInfo.InvariantCulture, $"batch-{BatchId}-{vmId}"),
            "POST",
            string.Create(CultureInfo.InvariantCulture, $"/api/v1/containers/{vmId}/{Command.Verb()}"),
            ClientAddress);
    }

    private sealed record ChildRequest(string RequestId, string Method, string Path, string? ClientAddress) : IRequestContext;

    [LoggerMessage(Level = LogLevel.Error, Message = "Batch {BatchId} stopped before its end; it stays running until a restart continues it.")]
    private static partial void LogBatchStopped(ILogger logger, long batchId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The batch's action on container {VmId} failed unexpectedly.")]
    private static partial void LogChildFailed(ILogger logger, int vmId, Exception exception);
}
