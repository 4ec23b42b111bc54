using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Operations;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Operations;

/// <summary>
/// Writes operation-log rows: for the call's recorder (direct writes on a short-lived context of their own, bounded by
/// <see cref="DatabaseOptions.RowWriteTimeoutSeconds"/> and never by the caller's token; read rows through the batch
/// queue) and for the background worker, which completes a row after its call through the same
/// <see cref="OperationTaskEnd"/> the recorder is told. A database that cannot take a direct write in time raises
/// <see cref="DatabaseUnavailableException"/>. Knows which rows a call in this process still owns, so the reconciler
/// leaves them alone.
/// </summary>
internal sealed partial class OperationLogStore(
    IDbContextFactory<AppDbContext> dbFactory,
    OperationLogBuffer queue,
    OperationTaskHandoff tasks,
    IOptions<DatabaseOptions> options,
    ILogger<OperationLogStore> logger) : IOperationLogStore
{
    private readonly ConcurrentDictionary<long, byte> _ownedByCalls = new();

    public async Task InsertAsync(OperationLog row)
    {
        ArgumentNullException.ThrowIfNull(row);
        await WriteAsync(db => db.OperationLogs.Add(row));
        _ownedByCalls[row.Id] = 0;
    }

    public Task UpdateAsync(OperationLog row) => WriteAsync(db => db.OperationLogs.Update(row));

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

        end.ApplyTo(row, time.GetUtcNow());
        await db.SaveChangesAsync(CancellationToken.None);
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

        change(row);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private Task WriteAsync(Action<AppDbContext> change) => BoundedAsync(async (db, token) =>
    {
        change(db);
        await db.SaveChangesAsync(token);
    });

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
