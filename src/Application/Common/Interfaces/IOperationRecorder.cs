using ProxmoxLxc.Domain.Operations;

namespace ProxmoxLxc.Application.Common.Interfaces;

/// <summary>
/// Owns the operation-log row of the current request. Mutating work saves it durably (own database
/// context, never the caller's cancellation token); read calls are queued and written in batches.
/// </summary>
public interface IOperationRecorder
{
    /// <summary>The row of this request, created on first use.</summary>
    OperationLog Entry { get; }

    /// <summary>True once the row has been written to the database.</summary>
    bool IsPersisted { get; }

    /// <summary>Inserts or updates the row now, durably.</summary>
    Task SaveAsync();

    /// <summary>Ends the request: sets the HTTP status and writes the row (queued for reads, direct once persisted).</summary>
    Task FinishAsync(int httpStatus);
}
