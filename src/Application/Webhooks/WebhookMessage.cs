using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProxmoxLxc.Application.Webhooks;

/// <summary>The one shape of a webhook message: body <c>{type, timestamp, data}</c> and its stable <c>webhook-id</c>.</summary>
public static class WebhookMessage
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Body(string type, DateTimeOffset timestamp, JsonNode? data) =>
        new JsonObject
        {
            ["type"] = type,
            ["timestamp"] = timestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffK", System.Globalization.CultureInfo.InvariantCulture),
            ["data"] = data,
        }.ToJsonString(Options);

    /// <summary>The <c>webhook-id</c> of event <paramref name="eventId"/> at webhook <paramref name="webhookId"/>: the same on every attempt.</summary>
    public static string IdFor(long eventId, string webhookId) => $"msg_{eventId}_{webhookId}";
}
