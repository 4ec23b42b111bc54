using System.Net;
using System.Text.Json.Nodes;
using ProxmoxEmulator;

[assembly: Parallelizable(ParallelScope.Fixtures)]

namespace ProxmoxLxc.ProxmoxEmulator.Tests;

/// <summary>A clock that can be moved forward (ticket expiry) while timers stay real.</summary>
public sealed class ShiftableTimeProvider : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}

/// <summary>Starts a fresh emulator (default seed, 20 ms tasks) for every test.</summary>
public abstract class EmulatorTestBase
{
    protected ProxmoxEmulatorServer Server { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    protected ShiftableTimeProvider Clock { get; } = new();

    protected virtual void Configure(EmulatorOptions options)
    {
    }

    [SetUp]
    public async Task StartEmulatorAsync()
    {
        var options = new EmulatorOptions { DefaultTaskDuration = TimeSpan.FromMilliseconds(20), TimeProvider = Clock };
        Configure(options);
        Server = await ProxmoxEmulatorServer.StartAsync(options);
        Client = Server.CreateClient();
    }

    [TearDown]
    public async Task StopEmulatorAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }

    protected static FormUrlEncodedContent Form(params (string Key, string Value)[] values) =>
        new(values.Select(v => new KeyValuePair<string, string>(v.Key, v.Value)));

    protected static async Task<JsonNode?> BodyAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    protected async Task<(HttpResponseMessage Response, JsonNode? Body)> SendAsync(HttpMethod method, string path, HttpContent? content = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = content };
        var response = await (client ?? Client).SendAsync(request);
        return (response, await BodyAsync(response));
    }

    protected async Task<JsonNode?> GetDataAsync(string path)
    {
        var (response, body) = await SendAsync(HttpMethod.Get, path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), response.ReasonPhrase);
        return body?["data"];
    }

    /// <summary>Sends a request that must return a UPID and waits for the task; returns the final task status.</summary>
    protected async Task<JsonObject> RunTaskAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        var (response, body) = await SendAsync(method, path, content);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), response.ReasonPhrase);
        var upid = body!["data"]!.GetValue<string>();
        return await WaitTaskAsync(upid);
    }

    protected async Task<JsonObject> WaitTaskAsync(string upid)
    {
        var node = upid.Split(':')[1];
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var status = (await GetDataAsync($"nodes/{node}/tasks/{Uri.EscapeDataString(upid)}/status"))!.AsObject();
            if (status["status"]!.GetValue<string>() == "stopped")
                return status;
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "task did not finish");
            await Task.Delay(5);
        }
    }
}
