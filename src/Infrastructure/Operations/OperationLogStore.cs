using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Events;
using ProxmoxLxc.Application.Operations;
using ProxmoxLxc.Domain.Events;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Events;
using ProxmoxLxc.Infrastructure.Leasing;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Operations;

/// <summary>
/// Writes operation-log rows: for the call's recorder (direct writes on a short-lived context of their own, bounded by
/// <see cref="DatabaseOptions.RowWriteTimeoutSeconds"/> and never by the caller's token; read rows through the batch
/// queue) and for the background worker, which completes a row after its call through the same
/// <see cref="OperationTaskEnd"/> the recorder is told. A database that cannot take a direct write in time raises
/// <see cref="DatabaseUnavailableException"/>. A call's row is leased to this instance from its first write (see
/// <see cref="RowLeases"/>; the task follower renews the leases of the calls still running here, <see cref="CallLeases"/>),
/// and a call under an <c>Idempotency-Key</c> links its claim in the transaction of that first write (see
/// <see cref="IdempotencyClaims"/>),
/// so no instance's reconciler takes it for orphaned; every later write — the call's, the follower's, the reconciler's
/// — is conditional on the row still running and leased by this instance. Every write of a row also writes, in the same
/// transaction, the events the change causes (<see cref="OperationEvents"/>): the event log is the outbox, so a failed
/// write writes neither.
/// </summary>
internal sealed partial class OperationLogStore(
    IDbContextFactory<AppDbContext> dbFactory,
    OperationLogBuffer queue,
    OperationTaskHandoff tasks,
    RowLeases leases,
    IdempotencyClaims claims,
    EventSignal events,
    IOptions<DatabaseOptions> options,
    ILogger<OperationLogStore> logger) : IOperationLogStore
{
    private readonly ConcurrentDictionary<long, byte> _heldByCalls = new();

    /// <summary>The rows of calls still running in this process (their leases are renewed by the task follower).</summary>
    public ICollection<long> CallLeases => _heldByCalls.Keys;

    public async Task InsertAsync(OperationLog row, long? idempotencyClaimId)
    {
        ArgumentNullException.ThrowIfNull(row);
        await WriteAsync(row, inserting: true, idempotencyClaimId);
        _heldByCalls[row.Id] = 0;
    }

    public async Task UpdateAsync(OperationLog row)
    {
        ArgumentNullException.ThrowIfNull(row);
        try
        {
            await WriteAsync(row, inserting: false, idempotencyClaimId: null);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            // Only after this instance could not renew the lease for its whole length (e.g. the database was away).
            LogCallLeaseLost(logger, ex, row.Id, leases.Owner);
            throw new DatabaseUnavailableException("Another instance has taken over this operation; try again shortly.", ex);
        }
    }

    public async Task<bool> ClaimAsync(long operationId)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var running = db.OperationLogs.Where(o => o.Outcome == OperationOutcome.Running);
        if (!await leases.TryClaimAsync(running, operationId, CancellationToken.None))
        {
            return false;
        }

        _heldByCalls[operationId] = 0;
        return true;
    }

    public Task EnsureWritableAsync() => BoundedAsync(async (db, token) =>
    {
        if (!await DatabaseProbe.CanWriteAsync(db, token))
        {
            throw new DatabaseUnavailableException("The database refuses connections; try again shortly.");
        }
    });

    public ValueTask QueueAsync(OperationLog row) => queue.EnqueueAsync(row);

    public void FollowTask(long operationId) => tasks.Enqueue(operationId);

    public void CallEnded(long operationId) => _heldByCalls.TryRemove(operationId, out _);

    /// <summary>
    /// Completes a row after its call ended — only while it is still running and leased by this instance (one
    /// conditional update): true when this instance completed it.
    /// </summary>
    public Task<bool> CompleteTaskAsync(long operationId, OperationTaskEnd end, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(end);
        ArgumentNullException.ThrowIfNull(time);
        return ChangeAsync(operationId, row => end.ApplyTo(row, time.GetUtcNow()));
    }

    /// <summary>
    /// Changes a row the background worker holds (a reconciled or followed row) — only while it is still running and
    /// leased by this instance (one conditional update): true when the change was written.
    /// </summary>
    public async Task<bool> ChangeAsync(long operationId, Action<OperationLog> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var row = await db.OperationLogs.FirstOrDefaultAsync(o => o.Id == operationId, CancellationToken.None);
        if (row is null || row.IsCompleted || !leases.IsHeld(db.Entry(row)))
        {
            return false;
        }

        try
        {
            await SaveWithEventsAsync(db, row, () => change(row));
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Completed or taken over by another instance between the read and the write.
            return false;
        }
    }

    /// <summary>
    /// Attaches a Proxmox task found for a lost row the background worker holds (the reconciler). Atomic across instances:
    /// the unique index on the task column lets one operation follow a task, so when another instance attached the same
    /// task to another row first, this write fails and <see cref="TaskAttach.TaskTaken"/> says so.
    /// </summary>
    public async Task<TaskAttach> AttachTaskAsync(long operationId, string upid, string node)
    {
        try
        {
            return await ChangeAsync(operationId, r => r.AttachTask(upid, node)) ? TaskAttach.Attached : TaskAttach.NotHeld;
        }
        catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException)
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            if (!await db.OperationLogs.AnyAsync(o => o.TaskId == upid && o.Id != operationId, CancellationToken.None))
            {
                throw;
            }

            LogTaskTaken(logger, operationId, upid);
            return TaskAttach.TaskTaken;
        }
    }

    /// <summary>Changes a row the background worker loaded and writes it with the events the change causes, in one transaction.</summary>
    private async Task SaveWithEventsAsync(AppDbContext db, OperationLog row, Action change)
    {
        var before = row.Outcome;
        change();
        var caused = OperationEvents.For(row, before);
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            await EventAppender.AppendAsync(db, caused, token);
            await db.SaveChangesAsync(token);
            await transaction.CommitAsync(token);
        }, CancellationToken.None);
        Committed(caused);
    }

    /// <summary>
    /// The recorder's direct write: the row (inserted, or updated from its last written outcome) and the events the
    /// change causes, in one transaction. An inserted row is saved first inside it, because an operation event carries
    /// the operation's id.
    /// </summary>
    private async Task WriteAsync(OperationLog row, bool inserting, long? idempotencyClaimId)
    {
        IReadOnlyList<ApiEvent> written = [];
        await BoundedAsync(async (db, bound) => written = await db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            OperationOutcome? before = null;
            if (inserting)
            {
                // A retried attempt starts again from an unsaved row (the failed attempt's id was rolled back).
                db.Entry(row).Property(o => o.Id).CurrentValue = 0;
                leases.Stamp(db.OperationLogs.Add(row));
                await db.SaveChangesAsync(token);
                if (idempotencyClaimId is { } claim && !await claims.LinkAsync(db, claim, row.Id, token))
                {
                    // Rolled back with the transaction: this request's claim ran out and a retry runs the request now.
                    throw new ConflictException(ErrorCodes.IdempotencyKeyInProgress,
                        "This request's Idempotency-Key was taken over by a retry after its claim ran out; the retry acts for it.");
                }
            }
            else
            {
                before = await db.OperationLogs.AsNoTracking().Where(o => o.Id == row.Id)
                    .Select(o => (OperationOutcome?)o.Outcome).FirstOrDefaultAsync(token);
                var entry = db.OperationLogs.Update(row);
                leases.RequireHeld(entry);
                entry.Property(o => o.Outcome).OriginalValue = OperationOutcome.Running;
            }

            var caused = OperationEvents.For(row, before);
            await EventAppender.AppendAsync(db, caused, token);
            await db.SaveChangesAsync(token);
            await transaction.CommitAsync(token);
            return caused;
        }, bound));
        Committed(written);
    }

    private void Committed(IReadOnlyList<ApiEvent> written)
    {
        if (written.Count > 0)
        {
            events.Committed(written.Max(e => e.Id));
        }
    }


    /// <summary>Runs database work on a fresh context that gives up after the row-write timeout.</summary>
    private async Task BoundedAsync(Func<AppDbContext, CancellationToken, Task> work)
    {
        var timeout = TimeSpan.FromSeconds(options.Value.RowWriteTimeoutSeconds);
        using var bound = new CancellationTokenSource(timeout + timeout);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(bound.Token);
            DbContextOptionsFactory.LimitWaits(db.Database, timeout);
            await work(db, bound.Token);
        }
        catch (OperationCanceledException ex) when (bound.IsCancellationRequested)
        {
            LogUnavailable(logger, ex);
            throw new DatabaseUnavailableException("The database did not accept the operation-log write in time; try again shortly.", ex);
        }
        catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
        {
            LogUnavailable(logger, ex);
            throw new DatabaseUnavailableException("The database is unavailable (locked by another writer, down or refusing); try again shortly.", ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operation {OperationId}: instance {InstanceId} no longer holds its lease; the call's write was refused.")]
    private static partial void LogCallLeaseLost(ILogger logger, Exception exception, long operationId, string instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Operation {OperationId}: task {Upid} is already followed by another operation; not attached.")]
    private static partial void LogTaskTaken(ILogger logger, long operationId, string upid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database refused an operation-log write.")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);
}

/// <summary>What became of <see cref="OperationLogStore.AttachTaskAsync"/>.</summary>
internal enum TaskAttach
{
    /// <summary>The row now follows the task.</summary>
    Attached,

    /// <summary>The row is no longer running or no longer held by this instance: nothing was written.</summary>
    NotHeld,

    /// <summary>Another operation follows that task already: nothing was written.</summary>
    TaskTaken,
}
