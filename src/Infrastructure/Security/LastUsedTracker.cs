using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProxmoxLxc.Infrastructure.Hosting;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Security;

/// <summary>
/// Remembers when each key was last used, in memory; <see cref="LastUsedFlusher"/> writes the values
/// every few seconds and on shutdown (once, however often the host is stopped), so authentication never writes to the
/// database.
/// </summary>
public sealed class LastUsedTracker
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _pending = new(StringComparer.Ordinal);

    public void Touch(string keyId, DateTimeOffset at) =>
        _pending.AddOrUpdate(keyId, at, (_, old) => at > old ? at : old);

    /// <summary>Takes the pending values (each key once, latest time).</summary>
    public IReadOnlyList<KeyValuePair<string, DateTimeOffset>> Drain()
    {
        var taken = new List<KeyValuePair<string, DateTimeOffset>>();
        foreach (var keyId in _pending.Keys)
        {
            if (_pending.TryRemove(keyId, out var at))
            {
                taken.Add(new(keyId, at));
            }
        }

        return taken;
    }
}

internal sealed partial class LastUsedFlusher(
    LastUsedTracker tracker, IServiceScopeFactory scopes, ILogger<LastUsedFlusher> logger) : DrainingBackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    protected override async Task StopOnceAsync(CancellationToken cancellationToken)
    {
        await StopLoopAsync(cancellationToken);
        await FlushAsync(CancellationToken.None);
    }

    internal async Task FlushAsync(CancellationToken cancellationToken)
    {
        var pending = tracker.Drain();
        if (pending.Count == 0)
        {
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var ids = pending.Select(p => p.Key).ToList();
            var keys = await db.ApiKeys.Where(k => ids.Contains(k.Id)).ToListAsync(cancellationToken);
            foreach (var key in keys)
            {
                key.MarkUsed(pending.First(p => p.Key == key.Id).Value);
            }

            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException)
        {
            LogFlushFailed(logger, ex);
            foreach (var (keyId, at) in pending)
            {
                tracker.Touch(keyId, at);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record API key last-use times; will retry.")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}
