using System.Threading.Channels;
using ProxmoxLxc.Domain.Operations;

namespace ProxmoxLxc.Infrastructure.Operations;

/// <summary>
/// Bounded queue of finished read-call rows. When full, writers wait (back-pressure) rather than
/// drop: the audit trail loses nothing. Also counts the calls received whose rows are not yet written or queued, so the
/// writer's last drain on a graceful stop comes after them.
/// </summary>
public sealed class OperationLogBuffer
{
    private int _openCalls;

    public const int Capacity = 10_000;

    private readonly Channel<OperationLog> _channel = Channel.CreateBounded<OperationLog>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    public ChannelReader<OperationLog> Reader => _channel.Reader;

    public ValueTask EnqueueAsync(OperationLog entry) =>
        _channel.Writer.TryWrite(entry) ? ValueTask.CompletedTask : _channel.Writer.WriteAsync(entry, CancellationToken.None);

    /// <summary>Calls received whose rows are not yet written or queued.</summary>
    public int OpenCalls => Volatile.Read(ref _openCalls);

    public void CallReceived() => Interlocked.Increment(ref _openCalls);

    public void CallFinished() => Interlocked.Decrement(ref _openCalls);

    /// <summary>
    /// Waits until every call received has written or queued its row, at most <paramref name="bound"/> (a call that
    /// hangs must not hold the stop forever); true when none is left open.
    /// </summary>
    public async Task<bool> WhenCallsFinishedAsync(TimeSpan bound, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (OpenCalls > 0)
        {
            if (waited.Elapsed >= bound || cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), CancellationToken.None);
        }

        return true;
    }
}
