using ProxmoxLxc.Domain.Webhooks;

namespace ProxmoxLxc.Application.Webhooks;

/// <summary>A webhook as callers see it. Never contains the secret.</summary>
public sealed record WebhookDto(
    string Id,
    string Url,
    IReadOnlyList<string> Events,
    bool Enabled,
    string OwnerKeyId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DisabledAt,
    string? DisabledReason);

/// <summary>A webhook as created: the only time <see cref="Secret"/> (<c>whsec_</c> + base64) is shown.</summary>
public sealed record CreatedWebhookDto(string Secret, WebhookDto Webhook);

/// <summary>One message to a webhook and the outcome of its latest attempt.</summary>
public sealed record WebhookDeliveryDto(
    long Id,
    string MessageId,
    long? EventId,
    string Type,
    int Attempts,
    string Status,
    int? ResponseStatus,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? CompletedAt);

internal static class WebhookMapper
{
    public static WebhookDto ToDto(this Webhook webhook) => new(
        webhook.Id, webhook.Url, webhook.Events, webhook.Enabled, webhook.OwnerKeyId, webhook.CreatedAt, webhook.UpdatedAt,
        webhook.DisabledAt, webhook.DisabledReason);

    public static WebhookDeliveryDto ToDto(this WebhookDelivery delivery) => new(
        delivery.Id, delivery.MessageId, delivery.EventId, delivery.Type, delivery.Attempts, StatusName(delivery.Status),
        delivery.ResponseStatus, delivery.Error, delivery.CreatedAt, delivery.LastAttemptAt,
        delivery.Status == WebhookDeliveryStatus.Pending ? delivery.NextAttemptAt : null, delivery.CompletedAt);

    private static string StatusName(WebhookDeliveryStatus status) => status switch
    {
        WebhookDeliveryStatus.Pending => "pending",
        WebhookDeliveryStatus.Succeeded => "succeeded",
        _ => "failed",
    };
}
