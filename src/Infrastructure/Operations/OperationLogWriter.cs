using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Hosting;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Operations;

/// <summary>
/// Writes queued read-call rows in batches: a batch is what has queued up by the time the writer gets to it, plus what
/// arrives within <see cref="Linger"/> after its first row — so rows that come one at a time (a single client polling)
/// share a transaction instead of one commit each. On graceful shutdown (after the server stopped taking
/// requests) it lets the calls still in flight queue their rows (at most <see cref="CallsInFlightBound"/>), then drains
/// the queue completely before the host exits — once, and every stop call returns after it (see
/// <see cref="DrainingBackgroundService"/>).
/// </summary>
internal sealed partial class OperationLogWriter(
    OperationLogBuffer queue, IDbContextFactory<AppDbContext> dbFactory, ILogger<OperationLogWriter> logger) : DrainingBackgroundService
{
    public const int BatchSize = 500;

    /// <summary>How long a batch that is not full waits for more rows before it is written.</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(25);

    /// <summary>How long a graceful stop waits for calls in flight to queue their rows before the last drain.</summary>
    public static readonly TimeSpan CallsInFlightBound = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<OperationLog>(BatchSize);
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                Fill(batch);
                if (batch.Count < BatchSize)
                {
                    await Task.Delay(Linger, stoppingToken);
                    Fill(batch);
                }

                while (!await TryWriteAsync(batch))
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The rest (including a batch that failed to write) is written by StopAsync.
            if (batch.Count > 0)
            {
                await TryWriteAsync(batch);
            }
        }
    }

    protected override async Task StopOnceAsync(CancellationToken cancellationToken)
    {
        if (!await queue.WhenCallsFinishedAsync(CallsInFlightBound, cancellationToken))
        {
            LogCallsStillOpen(logger, queue.OpenCalls);
        }

        await StopLoopAsync(cancellationToken);
        var batch = new List<OperationLog>(BatchSize);
        var written = 0;
        while (true)
        {
            batch.Clear();
            Fill(batch);
            if (batch.Count == 0)
            {
                break;
            }

            if (!await TryWriteAsync(batch))
            {
                LogRowsLost(logger, batch.Count);
                break;
            }

            written += batch.Count;
        }

        if (written > 0)
        {
            LogDrained(logger, written);
        }
    }

    private void Fill(List<OperationLog> batch)
    {
        while (batch.Count < BatchSize && queue.Reader.TryRead(out var entry))
        {
            batch.Add(entry);
        }
    }

    private async Task<bool> TryWriteAsync(List<OperationLog> batch)
    {
        if (batch.Count == 0)
        {
            return true;
        }

        try
        {
            // Read rows are only ever inserted (nothing updates them, nobody needs their ids here): without change
            // tracking, a batch costs a fraction of SaveChanges (see AppendOnlyInsert).
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await AppendOnlyInsert.InsertAsync(db, batch, CancellationToken.None);
            return true;
        }
        catch (Exception ex) when (ex is DbException or DbUpdateException or InvalidOperationException || DatabaseFailures.IsUnavailable(ex))
        {
            LogWriteFailed(logger, ex, batch.Count);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Count} operation-log rows failed; retrying.")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Operation log drained on shutdown: {Count} rows written.")]
    private static partial void LogDrained(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutting down with {Count} calls still in flight; rows they queue from now on are not written.")]
    private static partial void LogCallsStillOpen(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Shutting down with {Count} operation-log rows that could not be written.")]
    private static partial void LogRowsLost(ILogger logger, int count);
}
