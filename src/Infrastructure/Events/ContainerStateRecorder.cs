using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Application.Events;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.Infrastructure.Proxmox;

namespace ProxmoxLxc.Infrastructure.Events;

/// <summary>
/// Records the <c>container.state</c> changes the inventory view sees (<see cref="ContainerStateEvents.Between"/> its
/// previous and its new picture), so changes made outside this API reach event streams and webhooks. Every instance
/// compares its own pictures; <see cref="EventAppender"/> drops an event that repeats the last recorded state of its
/// container, so a change is recorded once however many instances saw it, and not again when this API's own
/// operation already recorded it. Costs a database write only when a status changed. A database that cannot take the
/// write loses those events (logged); the inventory read itself never fails because of it.
/// </summary>
internal sealed partial class ContainerStateRecorder(
    IDbContextFactory<AppDbContext> dbFactory, EventSignal signal, ILogger<ContainerStateRecorder> logger) : IInventoryObserver
{
    public async Task ViewReplacedAsync(InventoryView previous, InventoryView current)
    {
        if (ContainerStateEvents.Between(previous, current).Count == 0)
        {
            return;
        }

        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            var written = await db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(token);
                // Built again per attempt: a retried attempt must not re-add entities an aborted save already gave ids.
                var added = await EventAppender.AppendAsync(db, ContainerStateEvents.Between(previous, current), token);
                await db.SaveChangesAsync(token);
                await transaction.CommitAsync(token);
                return added;
            }, CancellationToken.None);
            if (written.Count > 0)
            {
                signal.Committed(written.Max(e => e.Id));
                LogRecorded(logger, written.Count);
            }
        }
        catch (Exception ex) when (ex is DbException or DbUpdateException or InvalidOperationException || DatabaseFailures.IsUnavailable(ex))
        {
            LogFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Recorded {Count} container state changes seen by the inventory view.")]
    private static partial void LogRecorded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the container state changes the inventory view saw; those events are lost.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
