namespace ProxmoxLxc.Domain.Idempotency;

/// <summary>
/// A claimed <c>Idempotency-Key</c>: one per (API key, key). The first request claims it with the hash of its
/// request; once its operation exists the record points at it (linked by the operation row's first write), and
/// repeats within the retention window return that operation instead of acting twice.
/// </summary>
public sealed class IdempotencyRecord
{
    /// <summary>How long a key is remembered.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    private IdempotencyRecord()
    {
        ApiKeyId = string.Empty;
        Key = string.Empty;
        RequestHash = string.Empty;
        Action = string.Empty;
    }

    public long Id { get; private set; }
    public string ApiKeyId { get; private set; }
    public string Key { get; private set; }
    /// <summary>SHA-256 (hex) of the action, target and canonical JSON of the request.</summary>
    public string RequestHash { get; private set; }
    public string Action { get; private set; }
    /// <summary>The operation the first request produced; null while that request is still running.</summary>
    public long? OperationId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public static IdempotencyRecord Claim(string apiKeyId, string key, string requestHash, string action, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKeyId);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(requestHash);
        return new IdempotencyRecord
        {
            ApiKeyId = apiKeyId,
            Key = key,
            RequestHash = requestHash,
            Action = action,
            CreatedAt = at,
        };
    }

    public bool IsExpired(DateTimeOffset now) => now - CreatedAt >= Retention;
}
