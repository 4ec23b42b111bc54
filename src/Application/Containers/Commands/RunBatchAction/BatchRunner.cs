using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Mediator;
using ProxmoxLxc.Application.Common.Auditing;
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
/// At start-up and on every scan <see cref="ResumeAsync"/> continues the batches no live instance runs (their row lease
/// ran out: an earlier process or a dead instance left them; claimed by one conditional update): undispatched items are
/// dispatched, an item marked dispatched is linked to its row (found by request id) and awaited — the reconciler settles
/// a row whose answer was lost — or, without a row, dispatched (its row is written before anything reaches Proxmox).
/// </summary>
public sealed partial class BatchRunner(IServiceScopeFactory scopes, IOperationLogStore store, TimeProvider time, ILogger<BatchRunner> logger)
{
    private static readonly TimeSpan EndPoll = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<long, Task> _running = new();

    private static readonly Type[] CommandTypes =
    [
        typeof(BatchStartCommand), typeof(BatchStopCommand), typeof(BatchShutdownCommand),
        typeof(BatchRebootCommand), typeof(BatchSuspendCommand), typeof(BatchResumeCommand),
    ];

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>Starts the batch the call just handed over (not bound to the call: a client hanging up stops nothing).</summary>
    public void Start(OperationDto batch, BatchActionCommand command, CallerIdentity caller)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Start(batch.Id, batch.ClientAddress, command, caller);
    }

    /// <summary>
    /// Continues every batch still running in the database that no live instance holds (claimed first). A batch whose key
    /// is no longer active, or whose request cannot be read back, ends its undispatched items as rejected.
    /// </summary>
    public async Task ResumeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        var rows = await db.OperationLogs.AsNoTracking()
            .Where(o => o.Outcome == OperationOutcome.Running && o.Action.StartsWith(OperationLog.BatchActionPrefix))
            .OrderBy(o => o.Id)
            .ToListAsync(cancellationToken);
        foreach (var row in rows.Where(r => !_running.ContainsKey(r.Id)))
        {
            if (!await store.ClaimAsync(row.Id))
            {
                continue; // a live instance still runs it (its lease is held), or another one claimed it first
            }

            var key = row.KeyId is null ? null : await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == row.KeyId, cancellationToken);
            var command = CommandOf(row);
            LogResuming(logger, row.Id);
            if (key is not null && key.IsActive(time.GetUtcNow()) && command is not null)
            {
                Start(row.Id, row.ClientAddress, command, CallerIdentity.Of(key));
            }
            else
            {
                Start(row.Id, row.ClientAddress, null, null);
            }
        }
    }

    private void Start(long batchId, string? clientAddress, BatchActionCommand? command, CallerIdentity? caller)
    {
        using (ExecutionContext.SuppressFlow())
        {
            _running[batchId] = Task.Run(() => RunAsync(batchId, clientAddress, command, caller));
        }
    }

    private static BatchActionCommand? CommandOf(OperationLog row)
    {
        var type = CommandTypes.FirstOrDefault(t => AuditParameters.ActionOf(t) == row.Action);
        try
        {
            return type is null || row.Parameters is null ? null : JsonSerializer.Deserialize(row.Parameters, type, JsonOptions) as BatchActionCommand;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task RunAsync(long batchId, string? clientAddress, BatchActionCommand? command, CallerIdentity? caller)
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

            var call = command is null || caller is null ? null : new ChildCall(batchId, clientAddress, command, caller);
            await Task.WhenAll(items.Select((item, index) => item.IsEnded
                ? Task.CompletedTask
                : RunItemAsync(item, gate, changed => UpdateAsync(index, changed), batchId, call)));

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
            // The row stays running with its items as last written; once its lease runs out an instance continues it.
            LogBatchStopped(logger, batchId, ex);
        }
        finally
        {
            _running.TryRemove(batchId, out _);
            store.CallEnded(batchId); // the lease runs out unless renewed: a live instance may then continue the batch
        }
    }

    private async Task RunItemAsync(BatchItemDto item, SemaphoreSlim gate, Func<BatchItemDto, Task> update, long batchId, ChildCall? call)
    {
        await gate.WaitAsync();
        try
        {
            // An item marked dispatched by an earlier process: its own row, when it was written, tells the rest.
            var child = item.Status == BatchItemDto.Pending ? null : await FindChildAsync(batchId, item);
            if (child is null && call is null)
            {
                await update(item with { Status = "rejected", Error = new OperationErrorDto(ErrorCodes.Unauthenticated, AbandonedMessage) });
                return;
            }

            if (child is null)
            {
                // Durable before the dispatch: after a crash this item may have reached Proxmox (its row says so).
                await update(item with { Status = "running" });
                child = await DispatchAsync(item.VmId, call!);
            }

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

    private const string AbandonedMessage = "The key that started this batch is no longer active; the container was not acted on.";

    private async Task<OperationDto?> FindChildAsync(long batchId, BatchItemDto item)
    {
        if (item.OperationId is { } id)
        {
            return (await ReadAsync(id))?.ToDto();
        }

        var requestId = ChildCall.RequestIdOf(batchId, item.VmId);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        var row = await db.OperationLogs.AsNoTracking().Where(o => o.RequestId == requestId).OrderBy(o => o.Id).FirstOrDefaultAsync(CancellationToken.None);
        return row?.ToDto();
    }

    private async Task<OperationLog?> ReadAsync(long operationId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        return await db.OperationLogs.AsNoTracking().FirstOrDefaultAsync(o => o.Id == operationId, CancellationToken.None);
    }

    private sealed record ChildCall(long BatchId, string? ClientAddress, BatchActionCommand Command, CallerIdentity Caller)
    {
        public static string RequestIdOf(long batchId, int vmId) => string.Create(CultureInfo.InvariantCulture, $"batch-{batchId}-{vmId}");

        public ChildRequest RequestFor(int vmId) => new(
            RequestIdOf(BatchId, vmId),
            "POST",
            string.Create(CultureInfo.InvariantCulture, $"/api/v1/containers/{vmId}/{Command.Verb()}"),
            ClientAddress);
    }

    private sealed record ChildRequest(string RequestId, string Method, string Path, string? ClientAddress) : IRequestContext;

    [LoggerMessage(Level = LogLevel.Error, Message = "Batch {BatchId} stopped before its end; it stays running until a restart continues it.")]
    private static partial void LogBatchStopped(ILogger logger, long batchId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Continuing batch {BatchId} left running by an earlier process.")]
    private static partial void LogResuming(ILogger logger, long batchId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The batch's action on container {VmId} failed unexpectedly.")]
    private static partial void LogChildFailed(ILogger logger, int vmId, Exception exception);
}
