using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ProxmoxLxc.WebApi.FunctionalTests.Webhooks;

/// <summary>Calls of the webhook endpoints shared by the webhook tests.</summary>
internal static class WebhookApi
{
    public static readonly string[] OnlyDisabled = ["webhook.disabled"];

    /// <summary>
    /// Registers a webhook (201 expected) and returns its id and the secret shown once. By default it subscribes to
    /// <c>webhook.disabled</c> only, so that the operation events of the test's own calls do not reach it.
    /// </summary>
    public static async Task<(string Id, string Secret)> CreateWebhookAsync(this HttpClient client, Uri url, string[]? events = null, string? secret = null)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/webhooks", new { url, events = events ?? OnlyDisabled, secret });
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), text);
        using var document = JsonDocument.Parse(text);
        return (document.RootElement.GetProperty("webhook").GetProperty("id").GetString()!, document.RootElement.GetProperty("secret").GetString()!);
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Deletes every webhook the client sees (between tests: no endpoint of a finished test keeps being retried).</summary>
    public static async Task DeleteAllWebhooksAsync(this HttpClient client)
    {
        foreach (var webhook in (await client.GetJsonAsync("/api/v1/webhooks?limit=200")).GetProperty("items").EnumerateArray())
        {
            using var response = await client.DeleteAsync($"/api/v1/webhooks/{webhook.Str("id")}");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
    }

    /// <summary>Queues a webhook.test message (201) and returns the delivery.</summary>
    public static async Task<JsonElement> SendTestAsync(this HttpClient client, string webhookId)
    {
        using var response = await client.PostAsync($"/api/v1/webhooks/{webhookId}/test", null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), text);
        Assert.That(response.Headers.Location?.ToString(), Does.EndWith($"/api/v1/webhooks/{webhookId}/deliveries"));
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static async Task<List<JsonElement>> DeliveriesAsync(this HttpClient client, string webhookId) =>
        [.. (await client.GetJsonAsync($"/api/v1/webhooks/{webhookId}/deliveries")).GetProperty("items").EnumerateArray()];

    /// <summary>Reads the delivery until <paramref name="done"/> holds (up to 20 s of real time) and returns it.</summary>
    public static async Task<JsonElement> WaitForDeliveryAsync(this HttpClient client, string webhookId, long deliveryId, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var delivery = (await client.DeliveriesAsync(webhookId)).Single(d => d.GetProperty("id").GetInt64() == deliveryId);
            if (done(delivery))
            {
                return delivery;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Delivery {deliveryId} of webhook {webhookId} did not get there within 20 s: {delivery.GetRawText()}");
            }

            await Task.Delay(100);
        }
    }

    public static long Id(this JsonElement element) => element.GetProperty("id").GetInt64();

    public static string Str(this JsonElement element, string name) => element.GetProperty(name).GetString()!;
}
