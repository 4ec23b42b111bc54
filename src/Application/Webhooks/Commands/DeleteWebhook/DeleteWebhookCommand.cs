using Mediator;
using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Webhooks.Commands.DeleteWebhook;

/// <summary>Deletes a webhook and its delivery history; nothing more is sent to it.</summary>
public sealed record DeleteWebhookCommand(string Id) : IAppCommand<Unit>
{
    public static string RequiredScope => Domain.ApiKeys.Scopes.WebhooksAdmin;
}
