using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Webhooks.Queries.GetWebhook;

public sealed record GetWebhookQuery(string Id) : IAppQuery<WebhookDto>
{
    public static string RequiredScope => Domain.ApiKeys.Scopes.WebhooksAdmin;
}
