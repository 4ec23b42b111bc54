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
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Operations;

/// <summary>
/// Writes operation-log rows: for the call's recorder (direct writes on a short-lived context of their own, bounded by
/// <see cref="DatabaseOptions.RowWriteTimeoutSeconds"/> and never by the caller's token; read rows through the batch
/// queue) and for the background worker, which completes a row after its call through the same
/// <see cref="OperationTaskEnd"/> the recorder is told. A database that cannot take a direct write in time raises
/// <see cref="DatabaseUnavailableException"/>. Knows which rows a call in this process still owns, so the reconciler
/// leaves them alone. Every write of a row also writes, in the same transaction, the events the change causes
/// (<see cref="OperationEvents"/>): the event log is the outbox, so a failed write writes neither.
/// </summary>
internal sealed partial class OperationLogStore(
    IDbContextFactory<AppDbContext> dbFactory,
    OperationLogBuffer queue,
    OperationTaskHandoff tasks,
    EventSignal events,
    IOptions<DatabaseOptions> options,
    ILogger<OperationLogStore> logger) : IOperationLogStore
{
    private readonly ConcurrentDictionary<long, byte> _ownedByCalls = new();

    public async Task InsertAsync(OperationLog row)
    {
        ArgumentNullException.ThrowIfNull(row);
        await WriteAsync(row, inserting: true);
        _ownedByCalls[row.Id] = 0;
    }

    public Task UpdateAsync(OperationLog row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return WriteAsync(row, inserting: false);
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

    public void CallEnded(long operationId) => _ownedByCalls.TryRemove(operationId, out _);

    /// <summary>True while the call that wrote this row is still running in this process.</summary>
    public bool IsOwnedByCall(long operationId) => _ownedByCalls.ContainsKey(operationId);

    /// <summary>Completes a row after its call ended, unless something else (a <c>Prefer: wait</c>) already did.</summary>
    public async Task CompleteTaskAsync(long operationId, OperationTaskEnd end, TimeProvider time)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var row = await db.OperationLogs.FirstOrDefaultAsync(o => o.Id == operationId, CancellationToken.None);
        if (row is null || row.IsCompleted)
        {
            return;
        }

        await SaveWithEventsAsync(db, row, () => end.ApplyTo(row, time.GetUtcNow()));
    }

    /// <summary>Changes a row the background worker owns (a reconciled row), unless it was completed meanwhile.</summary>
    public async Task ChangeAsync(long operationId, Action<OperationLog> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var row = await db.OperationLogs.FirstOrDefaultAsync(o => o.Id == operationId, CancellationToken.None);
        if (row is null || row.IsCompleted)
        {
            return;
        }

        await SaveWithEventsAsync(db, row, () => change(row));
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
    private async Task WriteAsync(OperationLog row, bool inserting)
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
                db.OperationLogs.Add(row);
                await db.SaveChangesAsync(token);
            }
            else
            {
                before = await db.OperationLogs.AsNoTracking().Where(o => o.Id == row.Id)
                    .Select(o => (OperationOutcome?)o.Outcome).FirstOrDefaultAsync(token);
                db.OperationLogs.Update(row);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database refused an operation-log write.")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);
}
