using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Webhooks.Commands.CreateWebhook;

/// <summary>Registers a webhook owned by the calling key. <c>secret</c> is generated when absent; <c>enabled</c> defaults to true.</summary>
public sealed record CreateWebhookCommand(
    string Url,
    IReadOnlyList<string> Events,
    string? Secret = null,
    bool? Enabled = null) : IAppCommand<CreatedWebhookDto>
{
    public static string RequiredScope => Domain.ApiKeys.Scopes.WebhooksAdmin;
}
