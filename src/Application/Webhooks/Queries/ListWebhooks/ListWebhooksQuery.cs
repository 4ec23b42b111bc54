using ProxmoxLxc.Application.Common.Messaging;
using ProxmoxLxc.Application.Common.Models;

namespace ProxmoxLxc.Application.Webhooks.Queries.ListWebhooks;

/// <summary>The caller's webhooks (and those of keys it manages), ordered by id; the cursor is the last id of the previous page.</summary>
public sealed record ListWebhooksQuery(int? Limit = null, string? Cursor = null) : IAppQuery<Page<WebhookDto>>
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static string RequiredScope => Domain.ApiKeys.Scopes.WebhooksAdmin;
}
