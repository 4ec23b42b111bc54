namespace ProxmoxLxc.Domain.Operations;

/// <summary>
/// One row of the operation log: one API call, and — for calls that start a Proxmox task — that task
/// until it ends. Parameters are stored already redacted.
/// </summary>
public sealed class OperationLog : IKeyedRecord
{
    private OperationLog()
    {
        Action = string.Empty;
        RequestId = string.Empty;
        Method = string.Empty;
        Path = string.Empty;
    }

    public long Id { get; private set; }
    public string RequestId { get; private set; }
    public string? KeyId { get; private set; }
    public string? KeyName { get; private set; }
    public string Action { get; private set; }
    public bool IsMutating { get; private set; }
    public string Method { get; private set; }
    public string Path { get; private set; }
    public int? VmId { get; private set; }
    public string? Node { get; private set; }
    public string? Parameters { get; private set; }
    public OperationOutcome Outcome { get; private set; }
    public int? HttpStatus { get; private set; }
    public string? ErrorCode { get; private set; }
    public string? Error { get; private set; }
    public string? TaskId { get; private set; }
    public string? ExitStatus { get; private set; }
    public string? Warnings { get; private set; }
    public string? Changes { get; private set; }
    public string? ClientAddress { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public long? DurationMs { get; private set; }

    public static OperationLog Begin(string requestId, string method, string path, string? clientAddress, DateTimeOffset requestedAt) =>
        new()
        {
            RequestId = requestId,
            Method = method,
            Path = path,
            ClientAddress = clientAddress,
            RequestedAt = ToMicroseconds(requestedAt),
            Action = "http.request",
            Outcome = OperationOutcome.Running,
        };

    public bool IsCompleted => CompletedAt is not null;

    public void SetCaller(string? keyId, string? keyName)
    {
        KeyId = keyId;
        KeyName = keyName;
    }

    public void Describe(string action, bool isMutating, string? parameters, int? vmId, string? node)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        Action = action;
        IsMutating = isMutating;
        Parameters = parameters;
        VmId = vmId ?? VmId;
        Node = node ?? Node;
    }

    public void SetTarget(int? vmId, string? node)
    {
        VmId = vmId ?? VmId;
        Node = node ?? Node;
    }

    public void MarkStarted(DateTimeOffset at) => StartedAt ??= ToMicroseconds(at);

    /// <summary>Links the Proxmox task that carries on after the call returned; the row stays running.</summary>
    public void AttachTask(string taskId, string? node)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskId);
        EnsureNotCompleted();
        TaskId = taskId;
        Node = node ?? Node;
        Outcome = OperationOutcome.Running;
    }

    public void RecordChanges(string changes) => Changes = changes;

    public void Succeed(DateTimeOffset at, string? exitStatus = null, string? warnings = null)
    {
        EnsureNotCompleted();
        Outcome = OperationOutcome.Succeeded;
        ExitStatus = exitStatus ?? ExitStatus;
        Warnings = warnings ?? Warnings;
        Complete(at);
    }

    public void Fail(DateTimeOffset at, string errorCode, string error, string? exitStatus = null)
    {
        EnsureNotCompleted();
        Outcome = OperationOutcome.Failed;
        ErrorCode = errorCode;
        Error = error;
        ExitStatus = exitStatus ?? ExitStatus;
        Complete(at);
    }

    public void Reject(DateTimeOffset at, string errorCode, string error)
    {
        EnsureNotCompleted();
        Outcome = OperationOutcome.Rejected;
        ErrorCode = errorCode;
        Error = error;
        Complete(at);
    }

    public void SetHttpStatus(int status) => HttpStatus = status;

    /// <summary>An operation ends once: a second outcome would rewrite history.</summary>
    private void EnsureNotCompleted()
    {
        if (IsCompleted)
        {
            throw new InvalidOperationException($"Operation {Id} has already ended ({Outcome}).");
        }
    }

    /// <summary>
    /// Times are kept to the microsecond, the finest every provider stores (PostgreSQL), so an operation rendered from
    /// memory (an event's payload) and read back from the database are the same.
    /// </summary>
    private static DateTimeOffset ToMicroseconds(DateTimeOffset at) => at.AddTicks(-(at.Ticks % TimeSpan.TicksPerMicrosecond));

    private void Complete(DateTimeOffset at)
    {
        at = ToMicroseconds(at);
        CompletedAt = at;
        DurationMs = (long)Math.Max(0, (at - RequestedAt).TotalMilliseconds);
    }
}
