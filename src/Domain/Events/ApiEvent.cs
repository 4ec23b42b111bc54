namespace ProxmoxLxc.Domain.Events;

/// <summary>
/// One row of the durable event log (the outbox): something that happened, as the API tells its clients (server-sent
/// events, webhooks). Written in the same transaction as the change that causes it; never changed afterwards. Ids
/// increase in commit order per writer; readers page by id.
/// </summary>
public sealed class ApiEvent : IKeyedRecord
{
    private ApiEvent()
    {
        Type = string.Empty;
        Data = string.Empty;
    }

    public long Id { get; private set; }

    /// <summary>One of <see cref="EventTypes.All"/>.</summary>
    public string Type { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    /// <summary>The operation the event is about or that caused it.</summary>
    public long? OperationId { get; private set; }

    /// <summary>The key whose operation it is (visibility: own operations with <c>containers:read</c>).</summary>
    public string? KeyId { get; private set; }

    public int? VmId { get; private set; }

    public string? Node { get; private set; }

    /// <summary>The container's pool, when the writer knew it.</summary>
    public string? Pool { get; private set; }

    /// <summary>The public payload (JSON), exactly as clients receive it.</summary>
    public string Data { get; private set; }

    public static ApiEvent Create(string type, DateTimeOffset occurredAt, long? operationId, string? keyId, int? vmId, string? node,
        string? pool, string data)
    {
        if (!EventTypes.IsKnown(type))
        {
            throw new ArgumentException($"Unknown event type '{type}'.", nameof(type));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(data);
        return new ApiEvent
        {
            Type = type,
            OccurredAt = occurredAt,
            OperationId = operationId,
            KeyId = keyId,
            VmId = vmId,
            Node = node,
            Pool = pool,
            Data = data,
        };
    }
}
