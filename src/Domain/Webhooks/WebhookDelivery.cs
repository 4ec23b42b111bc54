namespace ProxmoxLxc.Domain.Webhooks;

public enum WebhookDeliveryStatus
{
    /// <summary>Waiting for its (next) attempt.</summary>
    Pending = 0,

    Succeeded = 1,

    /// <summary>Given up: the webhook was disabled (410, or failures for too long) or deleted its endpoint.</summary>
    Failed = 2,
}

/// <summary>
/// One message to one webhook and its attempts. The body and the message id are fixed when it is queued, so every
/// retry sends the same bytes under the same <c>webhook-id</c>; only the timestamp and signature differ per attempt.
/// </summary>
public sealed class WebhookDelivery
{
    private WebhookDelivery()
    {
        WebhookId = string.Empty;
        MessageId = string.Empty;
        Type = string.Empty;
        Body = string.Empty;
    }

    public long Id { get; private set; }
    public string WebhookId { get; private set; }

    /// <summary>The event of the log it carries; null for a test message.</summary>
    public long? EventId { get; private set; }

    /// <summary>The <c>webhook-id</c> header: the same on every attempt.</summary>
    public string MessageId { get; private set; }

    public string Type { get; private set; }

    /// <summary>The JSON body {type, timestamp, data} as sent.</summary>
    public string Body { get; private set; }

    public WebhookDeliveryStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public int? ResponseStatus { get; private set; }

    /// <summary>What went wrong on the last attempt (never a secret).</summary>
    public string? Error { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public DateTimeOffset? LastAttemptAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }

    public static WebhookDelivery Queue(string webhookId, long? eventId, string messageId, string type, string body, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(webhookId);
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentNullException.ThrowIfNull(body);
        return new WebhookDelivery
        {
            WebhookId = webhookId,
            EventId = eventId,
            MessageId = messageId,
            Type = type,
            Body = body,
            Status = WebhookDeliveryStatus.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
        };
    }

    public void Succeed(int responseStatus, DateTimeOffset now)
    {
        Attempts++;
        LastAttemptAt = now;
        ResponseStatus = responseStatus;
        Error = null;
        Status = WebhookDeliveryStatus.Succeeded;
        CompletedAt = now;
    }

    /// <summary>A failed attempt; the next one is due at <paramref name="nextAttemptAt"/>.</summary>
    public void Fail(int? responseStatus, string error, DateTimeOffset now, DateTimeOffset nextAttemptAt)
    {
        Attempts++;
        LastAttemptAt = now;
        ResponseStatus = responseStatus;
        Error = error;
        NextAttemptAt = nextAttemptAt;
    }

    /// <summary>No more attempts (the webhook was disabled).</summary>
    public void GiveUp(DateTimeOffset now)
    {
        Status = WebhookDeliveryStatus.Failed;
        CompletedAt = now;
    }
}
