using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Webhooks.Commands.TestWebhook;

/// <summary>Queues a <c>webhook.test</c> message to this webhook; it is delivered like any event (signed, retried, in order).</summary>
public sealed record TestWebhookCommand(string Id) : IAppCommand<WebhookDeliveryDto>
{
    public static string RequiredScope => Domain.ApiKeys.Scopes.WebhooksAdmin;
}
