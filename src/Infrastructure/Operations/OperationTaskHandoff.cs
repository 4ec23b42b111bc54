using System.Threading.Channels;

namespace ProxmoxLxc.Infrastructure.Operations;

/// <summary>Hands finished requests' unfinished operations to <see cref="OperationTaskFollower"/>.</summary>
public sealed class OperationTaskHandoff
{
    private readonly Channel<long> _channel = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });

    internal ChannelReader<long> Reader => _channel.Reader;

    /// <summary>Follow the task of this operation (its request has ended and written the row).</summary>
    public void Enqueue(long operationId) => _channel.Writer.TryWrite(operationId);
}
