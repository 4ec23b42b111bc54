using ProxmoxLxc.Domain.Operations;

namespace ProxmoxLxc.Application.Common.Interfaces;

/// <summary>
/// Where the recorder writes operation-log rows. Direct writes use a database context of their own and
/// <see cref="CancellationToken.None"/>, so a caller hanging up never erases or half-writes a row.
/// </summary>
public interface IOperationLogStore
{
    /// <summary>
    /// Inserts the row now, durably (its id is set afterwards). Direct writes wait a bounded time; a database that cannot
    /// take them raises <see cref="Exceptions.DatabaseUnavailableException"/>. With <paramref name="idempotencyClaimId"/>
    /// (the call runs under an <c>Idempotency-Key</c>) the claim is linked to the row in the same transaction; a claim this
    /// instance no longer holds (taken over by a retry) writes nothing and raises a 409
    /// <c>idempotency_key_in_progress</c> <see cref="Exceptions.ConflictException"/>.
    /// </summary>
    Task InsertAsync(OperationLog row, long? idempotencyClaimId);

    /// <summary>
    /// Makes sure the database can take a write now, without writing (SQLite: takes and releases the write lock; a
    /// server database: connects), bounded like a direct write; raises
    /// <see cref="Exceptions.DatabaseUnavailableException"/> otherwise.
    /// </summary>
    Task EnsureWritableAsync();

    /// <summary>Updates a written row now, durably.</summary>
    Task UpdateAsync(OperationLog row);

    /// <summary>Queues a finished read-call row for the batch writer (waits when the queue is full; loses nothing).</summary>
    ValueTask QueueAsync(OperationLog row);

    /// <summary>Hands an operation whose call ended with its task still running to the background worker.</summary>
    void FollowTask(long operationId);

    /// <summary>
    /// Claims a running row that no live instance holds (its lease ran out, was released, or it never had one) for work
    /// in this process, which then holds it — renewed like a call's own row — until <see cref="CallEnded"/>: true when
    /// this instance now holds it.
    /// </summary>
    Task<bool> ClaimAsync(long operationId);

    /// <summary>The call that wrote this row has ended: from now on only the background worker may settle the row.</summary>
    void CallEnded(long operationId);
}
