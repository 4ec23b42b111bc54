using ProxmoxLxc.Domain.Events;
namespace ProxmoxLxc.Domain.Webhooks;

/// <summary>
/// An endpoint that receives events of the key that registered it (its owner). The signing secret is kept only
/// encrypted (<see cref="SecretCipher"/>); <see cref="LastEventId"/> is the delivery cursor in the event log. Which
/// instance delivers to it is a lease kept in the persistence layer (one instance at a time).
/// </summary>
public sealed class Webhook
{
    /// <summary>Why a webhook was disabled by the service (a caller's PATCH sets none).</summary>
    public const string DisabledGone = "endpoint_gone";

    public const string DisabledFailing = "failing";

    private Webhook()
    {
        Id = string.Empty;
        OwnerKeyId = string.Empty;
        Url = string.Empty;
        EventList = string.Empty;
        SecretCipher = [];
    }

    public string Id { get; private set; }

    /// <summary>The key that made it: it sees only what this key may see now.</summary>
    public string OwnerKeyId { get; private set; }

    public string Url { get; private set; }

    /// <summary>Space-separated subscribed event types as stored.</summary>
    public string EventList { get; private set; }

    /// <summary>The signing secret's bytes, encrypted (authenticated) with the service's webhook key.</summary>
    public byte[] SecretCipher { get; private set; }

    public bool Enabled { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? DisabledAt { get; private set; }
    public string? DisabledReason { get; private set; }

    /// <summary>The last event of the log that was handed to this endpoint (delivered or queued) or skipped as not for it.</summary>
    public long LastEventId { get; private set; }

    /// <summary>Start of the current run of failed attempts; null after a success.</summary>
    public DateTimeOffset? FailingSince { get; private set; }

    public IReadOnlyList<string> Events => EventList.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public bool Subscribes(string type) => Events.Contains(type, StringComparer.Ordinal);

    public static Webhook Register(string id, string ownerKeyId, string url, IEnumerable<string> events, byte[] secretCipher,
        bool enabled, long lastEventId, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerKeyId);
        var webhook = new Webhook
        {
            Id = id,
            OwnerKeyId = ownerKeyId,
            CreatedAt = now,
            UpdatedAt = now,
            LastEventId = lastEventId,
        };
        webhook.ChangeUrl(url, now);
        webhook.Subscribe(events, now);
        webhook.ReplaceSecret(secretCipher, now);
        webhook.SetEnabled(enabled, now);
        return webhook;
    }

    public void ChangeUrl(string url, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        Url = url;
        UpdatedAt = now;
    }

    public void Subscribe(IEnumerable<string> events, DateTimeOffset now)
    {
        var list = events.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (list.Count == 0 || !list.All(EventTypes.IsKnown))
        {
            throw new ArgumentException("A webhook needs at least one known event type.", nameof(events));
        }

        EventList = string.Join(' ', list);
        UpdatedAt = now;
    }

    public void ReplaceSecret(byte[] secretCipher, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(secretCipher);
        SecretCipher = secretCipher;
        UpdatedAt = now;
    }

    /// <summary>Enabling (again) clears the service's reason and the failure run.</summary>
    public void SetEnabled(bool enabled, DateTimeOffset now)
    {
        if (enabled == Enabled && enabled)
        {
            return;
        }

        Enabled = enabled;
        UpdatedAt = now;
        if (enabled)
        {
            DisabledAt = null;
            DisabledReason = null;
            FailingSince = null;
        }
        else
        {
            DisabledAt = now;
        }
    }

    public void RecordSuccess() => FailingSince = null;

    /// <summary>Records a failed attempt; true when failures have lasted <paramref name="disableAfter"/> and the webhook is now disabled.</summary>
    public bool RecordFailure(DateTimeOffset now, TimeSpan disableAfter)
    {
        FailingSince ??= now;
        if (now - FailingSince.Value < disableAfter)
        {
            return false;
        }

        DisableBecause(DisabledFailing, now);
        return true;
    }

    /// <summary>Disabled by the service (the endpoint answered 410, or failed for too long).</summary>
    public void DisableBecause(string reason, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Enabled = false;
        DisabledAt = now;
        DisabledReason = reason;
        UpdatedAt = now;
    }

    public void AdvanceCursor(long eventId)
    {
        if (eventId > LastEventId)
        {
            LastEventId = eventId;
        }
    }
}
