using Moq;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Operations;
using ProxmoxLxc.Domain.Operations;

namespace ProxmoxLxc.Application.UnitTests.Common;

/// <summary>An operation-log store that remembers every direct write (with the outcome at that moment) and the row written.</summary>
internal sealed class RecordingOperationLogStore(Action<OperationLog>? onWrite = null) : IOperationLogStore
{
    /// <summary>When set, every direct write throws it (a database that cannot take the write).</summary>
    public Exception? FailWritesWith { get; set; }

    /// <summary>Operations whose call told the store it ended.</summary>
    public List<long> Ended { get; } = [];

    /// <summary>The outcome of the row at each direct write, in order.</summary>
    public List<OperationOutcome> Writes { get; } = [];

    public List<long> Followed { get; } = [];

    /// <summary>The row the recorder wrote or queued (null before the first).</summary>
    public OperationLog? Row { get; private set; }

    public bool Queued { get; private set; }

    /// <summary>A real recorder on this store for a request <c>req-1</c> from the given caller.</summary>
    public IOperationRecorder NewRecorder(ICurrentCaller caller, TimeProvider time, string path = "/api/v1/test")
    {
        var request = new Mock<IRequestContext>();
        request.SetupGet(r => r.RequestId).Returns("req-1");
        request.SetupGet(r => r.Method).Returns("POST");
        request.SetupGet(r => r.Path).Returns(path);
        request.SetupGet(r => r.ClientAddress).Returns("127.0.0.1");
        return new OperationRecorder(this, request.Object, caller, time);
    }

    /// <summary>The Idempotency-Key claim of each insert (null: none linked), in order.</summary>
    public List<long?> InsertClaims { get; } = [];

    public Task InsertAsync(OperationLog row, long? idempotencyClaimId)
    {
        InsertClaims.Add(idempotencyClaimId);
        return WriteAsync(row);
    }

    public Task UpdateAsync(OperationLog row) => WriteAsync(row);

    /// <summary>How often the recorder made sure the database can take a write.</summary>
    public int Probes { get; private set; }

    public Task EnsureWritableAsync()
    {
        Probes++;
        return FailWritesWith is { } failure ? Task.FromException(failure) : Task.CompletedTask;
    }

    public ValueTask QueueAsync(OperationLog row)
    {
        Row = row;
        Queued = true;
        return ValueTask.CompletedTask;
    }

    public void FollowTask(long operationId) => Followed.Add(operationId);

    /// <summary>Operations this process claimed (the fake grants every claim).</summary>
    public List<long> Claimed { get; } = [];

    public Task<bool> ClaimAsync(long operationId)
    {
        Claimed.Add(operationId);
        return Task.FromResult(true);
    }

    public void CallEnded(long operationId) => Ended.Add(operationId);

    /// <summary>Calls received and not yet finished (0 after every complete call).</summary>
    public int OpenCalls { get; private set; }

    public void CallReceived() => OpenCalls++;

    public void CallFinished() => OpenCalls--;

    private Task WriteAsync(OperationLog row)
    {
        if (FailWritesWith is { } failure)
        {
            return Task.FromException(failure);
        }

        Row = row;
        Writes.Add(row.Outcome);
        onWrite?.Invoke(row);
        return Task.CompletedTask;
    }
}
