using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Security;

/// <summary>
/// Makes key changes made through other instances (or the command line) take effect here within about
/// <see cref="KeyCacheOptions.ChangePollInterval"/>: reads the <see cref="KeyChangeStamp"/> — one primary-key lookup per interval, never one
/// per request — and when it differs from the value seen last, drops every entry of <see cref="ApiKeyCache"/> (the
/// first read after start-up counts as a change). A load that raced with the drop is not kept (the cache's
/// generation check), so no key read before the change survives it. While the database cannot be read, the cache
/// keeps its entries (they still expire after <see cref="ApiKeyCache.MaxEntryAge"/>) and the watcher does not stop.
/// </summary>
internal sealed partial class KeyChangeWatcher(
    IDbContextFactory<AppDbContext> dbFactory,
    ApiKeyCache cache,
    IOptions<KeyCacheOptions> options,
    TimeProvider time,
    ILogger<KeyChangeWatcher> logger,
    IDatabaseStartup database) : DatabaseBackgroundService(database)
{
    private Guid? _seen;
    private bool _failing;

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ChangePollInterval, time);
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
