using System.Text.Json.Serialization;
using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Webhooks.Commands.UpdateWebhook;

/// <summary>Changes only the fields given; <c>enabled: true</c> also re-enables a webhook the service disabled.</summary>
public sealed record UpdateWebhookCommand(
    string? Url = null,
    IReadOnlyList<string>? Events = null,
    string? Secret = null,
    bool? Enabled = null) : IAppCommand<WebhookDto>
{
    /// <summary>The webhook id, from the route.</summary>
    [JsonIgnore]
    public string Id { get; init; } = string.Empty;

    public static string RequiredScope => Domain.ApiKeys.Scopes.WebhooksAdmin;
}
