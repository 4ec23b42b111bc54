using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Events;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Events;

/// <summary>Deletes events older than <see cref="EventOptions.RetentionDays"/>, at start and every <see cref="EventOptions.PruneInterval"/>.</summary>
internal sealed partial class EventPruner(
    IDbContextFactory<AppDbContext> dbFactory, IOptions<EventOptions> options, TimeProvider time, ILogger<EventPruner> logger, IDatabaseStartup database) : DatabaseBackgroundService(database)
{
    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PruneInterval, time);
        try
        {
            do
            {
                await PruneAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; the next start prunes again.
        }
    }

    /// <summary>Deletes the events older than the retention; returns how many.</summary>
    internal async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(options.Value.RetentionDays);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var deleted = await db.Events.Where(e => e.OccurredAt < cutoff).ExecuteDeleteAsync(cancellationToken);
            if (deleted > 0)
            {
                LogPruned(logger, deleted, options.Value.RetentionDays);
            }

            return deleted;
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or DbUpdateException || DatabaseFailures.IsUnavailable(ex))
        {
            // The database is away; the next round tries again.
            LogPruneFailed(logger, ex);
            return 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} events older than {Days} days.")]
    private static partial void LogPruned(ILogger logger, int count, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning old events failed; retrying at the next interval.")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
