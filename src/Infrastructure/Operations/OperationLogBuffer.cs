using System.Threading.Channels;
using ProxmoxLxc.Domain.Operations;

namespace ProxmoxLxc.Infrastructure.Operations;

/// <summary>
/// Bounded queue of finished read-call rows. When full, writers wait (back-pressure) rather than
/// drop: the audit trail loses nothing.
/// </summary>
public sealed class OperationLogBuffer
{
    public const int Capacity = 10_000;

    private readonly Channel<OperationLog> _channel = Channel.CreateBounded<OperationLog>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    public ChannelReader<OperationLog> Reader => _channel.Reader;

    public ValueTask EnqueueAsync(OperationLog entry) =>
        _channel.Writer.TryWrite(entry) ? ValueTask.CompletedTask : _channel.Writer.WriteAsync(entry, CancellationToken.None);
}
