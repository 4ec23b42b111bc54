using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Operations;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Operations;

/// <summary>
/// Writes operation-log rows: for the call's recorder (direct writes on a short-lived context of their own with
/// <see cref="CancellationToken.None"/>, read rows through the batch queue) and for the task follower, which completes a
/// row after its call through the same <see cref="OperationTaskEnd"/> the recorder is told.
/// </summary>
internal sealed class OperationLogStore(IDbContextFactory<AppDbContext> dbFactory, OperationLogBuffer queue, OperationTaskHandoff tasks)
    : IOperationLogStore
{
    public async Task InsertAsync(OperationLog row)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        db.OperationLogs.Add(row);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    public async Task UpdateAsync(OperationLog row)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        db.OperationLogs.Update(row);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    public ValueTask QueueAsync(OperationLog row) => queue.EnqueueAsync(row);

    public void FollowTask(long operationId) => tasks.Enqueue(operationId);

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
}
