using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Security;

/// <summary>
/// Makes key changes made through other instances (or the command line) take effect here within about
/// <see cref="PollInterval"/>: reads the <see cref="KeyChangeStamp"/> — one primary-key lookup per interval, never one
/// per request — and when it differs from the value seen last, drops every entry of <see cref="ApiKeyCache"/> (the
/// first read after start-up counts as a change). A load that raced with the drop is not kept (the cache's
/// generation check), so no key read before the change survives it. While the database cannot be read, the cache
/// keeps its entries (they still expire after <see cref="ApiKeyCache.MaxEntryAge"/>) and the watcher does not stop.
/// </summary>
internal sealed partial class KeyChangeWatcher(
    IDbContextFactory<AppDbContext> dbFactory, ApiKeyCache cache, ILogger<KeyChangeWatcher> logger) : BackgroundService
{
    /// <summary>How often the stamp is read: key changes elsewhere take effect here within this plus one query.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private Guid? _seen;
    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollInterval);
        try
        {
            do
            {
                await PollAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One read of the stamp; drops the cache when it changed.</summary>
    internal async Task PollAsync(CancellationToken cancellationToken)
    {
        Guid stamp;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            stamp = await db.KeyChangeStamps.AsNoTracking().Select(s => s.Value).SingleAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested &&
                                   (DatabaseFailures.IsUnavailable(ex) || ex is DbException or InvalidOperationException))
        {
            if (!_failing)
            {
                _failing = true;
                LogPollFailed(logger, ex);
            }

            return;
        }

        _failing = false;
        if (stamp != _seen)
        {
            cache.InvalidateAll();
            _seen = stamp;
            LogKeysChanged(logger, stamp);
        }
    }

    [LoggerMessage(EventId = 4210, Level = LogLevel.Warning,
        Message = "Could not read the key-change stamp; cached API keys are kept until it can be read again (or they expire)")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4211, Level = LogLevel.Debug, Message = "Key-change stamp is now {Stamp}: cached API keys dropped")]
    private static partial void LogKeysChanged(ILogger logger, Guid stamp);
}
