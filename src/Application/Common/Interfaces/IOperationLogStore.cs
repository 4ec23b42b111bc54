using ProxmoxLxc.Domain.Operations;

namespace ProxmoxLxc.Application.Common.Interfaces;

/// <summary>
/// Where the recorder writes operation-log rows. Direct writes use a database context of their own and
/// <see cref="CancellationToken.None"/>, so a caller hanging up never erases or half-writes a row.
/// </summary>
public interface IOperationLogStore
{
    /// <summary>Inserts the row now, durably (its id is set afterwards).</summary>
    Task InsertAsync(OperationLog row);

    /// <summary>Updates a written row now, durably.</summary>
    Task UpdateAsync(OperationLog row);

    /// <summary>Queues a finished read-call row for the batch writer (waits when the queue is full; loses nothing).</summary>
    ValueTask QueueAsync(OperationLog row);

    /// <summary>Hands an operation whose call ended with its task still running to the background worker.</summary>
    void FollowTask(long operationId);
}
