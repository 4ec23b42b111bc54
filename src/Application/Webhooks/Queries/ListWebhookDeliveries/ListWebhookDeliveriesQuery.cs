using ProxmoxLxc.Application.Common.Messaging;
using ProxmoxLxc.Application.Common.Models;

namespace ProxmoxLxc.Application.Webhooks.Queries.ListWebhookDeliveries;

/// <summary>A webhook's deliveries, newest first; the cursor is the last delivery id of the previous page.</summary>
public sealed record ListWebhookDeliveriesQuery(string Id, int? Limit = null, string? Cursor = null) : IAppQuery<Page<WebhookDeliveryDto>>
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static string RequiredScope => Domain.ApiKeys.Scopes.WebhooksAdmin;
}
