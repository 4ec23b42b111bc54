using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProxmoxLxc.WebApi.FunctionalTests.Containers.Writes;

/// <summary>HTTP helpers for the write-side tests.</summary>
internal static class WriteApi
{
    public const string Debian = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst";
    public const string Alpine = "local:vztmpl/alpine-3.20-default_20240908_amd64.tar.xz";
    public const string SshKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl admin@example";

    /// <summary>A valid create body; <paramref name="change"/> edits it.</summary>
    public static JsonObject CreateBody(string hostname, Action<JsonObject>? change = null)
    {
        var body = new JsonObject
        {
            ["hostname"] = hostname,
            ["template"] = Debian,
            ["cores"] = 1,
            ["memoryMiB"] = 512,
            ["swapMiB"] = 256,
            ["rootfs"] = new JsonObject { ["storage"] = "local-lvm", ["sizeGiB"] = 4 },
            ["networks"] = new JsonArray(new JsonObject
            {
                ["bridge"] = "vmbr0",
                ["ipv4"] = "10.0.0.50/24",
                ["gateway4"] = "10.0.0.1",
            }),
        };
        change?.Invoke(body);
        return body;
    }

    public static async Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string path, JsonNode? body = null,
        IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostAsync(this HttpClient client, string path, JsonNode? body = null, IDictionary<string, string>? headers = null) =>
        client.SendJsonAsync(HttpMethod.Post, path, body, headers);

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>Asserts a 202 with Location and returns the Operation.</summary>
    public static async Task<JsonElement> AcceptedAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), text);
        var operation = JsonSerializer.Deserialize<JsonElement>(text);
        var id = operation.GetProperty("id").GetInt64();
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/operations/{id}"));
            Assert.That(operation.GetProperty("status").GetString(), Is.EqualTo("running"));
            Assert.That(operation.GetProperty("taskId").GetString(), Does.StartWith("UPID:"));
        });
        return operation;
    }

    /// <summary>Polls <c>GET /operations/{id}</c> until the operation is no longer running.</summary>
    public static async Task<JsonElement> WaitForOperationAsync(this HttpClient client, long id, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            using var response = await client.GetAsync(new Uri($"/api/v1/operations/{id}", UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            var operation = JsonSerializer.Deserialize<JsonElement>(body);
            if (operation.GetProperty("status").GetString() != "running")
            {
                return operation;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Operation {id} still running after the timeout: {body}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Starts an operation and waits for it to succeed.</summary>
    public static async Task<JsonElement> RunAsync(this HttpClient client, HttpMethod method, string path, JsonNode? body = null)
    {
        using var response = await client.SendJsonAsync(method, path, body);
        var accepted = await response.AcceptedAsync();
        var done = await client.WaitForOperationAsync(accepted.GetProperty("id").GetInt64());
        Assert.That(done.GetProperty("status").GetString(), Is.EqualTo("succeeded"), done.ToString());
        return done;
    }
}
