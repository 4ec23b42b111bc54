using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ProxmoxLxc.Faults.Tests.Support;

/// <summary>
/// The standalone Proxmox VE emulator (tools/ProxmoxEmulator.Host) in its own process, so it outlives every service
/// process a test kills. Faults and the request journal through its control API; state through its Proxmox API.
/// </summary>
public sealed partial class EmulatorProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly HttpClient _http;

    private EmulatorProcess(ChildProcess process, Uri baseAddress, string fingerprint)
    {
        _process = process;
        BaseAddress = baseAddress;
        Fingerprint = fingerprint;
        _http = new HttpClient(new SocketsHttpHandler
        {
            // The emulator's certificate is self-signed: pin the fingerprint it printed, as the service does.
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null
                    && string.Equals(Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData())), fingerprint.Replace(":", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase),
            },
        })
        { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public string Fingerprint { get; private set; }

    public string TokenId { get; private set; } = string.Empty;

    public string TokenSecret { get; private set; } = string.Empty;

    public string Output => _process.Output;

    /// <summary>Starts the emulator with task durations per type (e.g. <c>vzstart</c> → 3 s).</summary>
    public static async Task<EmulatorProcess> StartAsync(IReadOnlyDictionary<string, TimeSpan>? taskDurations = null)
    {
        var port = ChildProcess.FreeLoopbackPort();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Emulator__DefaultTaskDuration"] = "00:00:00.300",
        };
        foreach (var (type, duration) in taskDurations ?? new Dictionary<string, TimeSpan>())
        {
            environment[$"Emulator__TaskDurations__{type}"] = duration.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var type in (string[])["vzcreate", "vzclone", "vzstart", "vzstop", "vzdestroy"])
        {
            environment.TryAdd($"Emulator__TaskDurations__{type}", "00:00:00.300");
        }

        var process = ChildProcess.Start(ChildProcess.Metadata("EmulatorAssembly"), ["--urls", $"https://127.0.0.1:{port}"], environment);
        var fingerprint = await Poll.UntilAsync(
            () => Task.FromResult(FingerprintLine().Match(process.Output) is { Success: true } m ? m.Groups[1].Value : null),
            TimeSpan.FromSeconds(60), "the emulator to start", () => process.Output);
        var emulator = new EmulatorProcess(process, new Uri($"https://127.0.0.1:{port}/"), fingerprint);
        var info = await emulator.ControlAsync(HttpMethod.Get, "info");
        emulator.TokenId = info["tokens"]![0]!["tokenid"]!.GetValue<string>();
        emulator.TokenSecret = info["tokens"]![0]!["secret"]!.GetValue<string>();
        return emulator;
    }

    /// <summary>Adds a fault rule (<c>kind</c> latency|error|drop|reply-delay|reply-drop|down|up|task-warnings…).</summary>
    public Task AddFaultAsync(object rule) => ControlAsync(HttpMethod.Post, "faults", rule);

    /// <summary>The active request rules (a count-limited rule disappears once it has been used up).</summary>
    public async Task<JsonArray> FaultRulesAsync() => (await ControlAsync(HttpMethod.Get, "faults"))["rules"]!.AsArray();

    /// <summary>Removes every fault (and brings the emulator back up).</summary>
    public Task ClearFaultsAsync() => ControlAsync(HttpMethod.Delete, "faults");

    /// <summary>Sets (or, null, clears) a container's config lock, as a backup job would (<c>POST /_emulator/lock</c>).</summary>
    public Task SetLockAsync(int vmid, string? lockValue) => ControlAsync(HttpMethod.Post, "lock", new { vmid, @lock = lockValue });

    /// <summary>Starts or stops a container behind the API's back (<c>POST /_emulator/power</c>; no task).</summary>
    public Task SetRunningAsync(int vmid, bool running) => ControlAsync(HttpMethod.Post, "power", new { vmid, running });

    /// <summary>Empties the journal.</summary>
    public Task ResetJournalAsync() => ControlAsync(HttpMethod.Delete, "journal");

    /// <summary>The journal entries (method, path, status, fault) in arrival order.</summary>
    public async Task<IReadOnlyList<JsonNode>> JournalAsync() =>
        [.. (await ControlAsync(HttpMethod.Get, "journal"))["entries"]!.AsArray().Select(e => e!)];

    /// <summary>How many requests with this method reached this API path (below <c>/api2/json</c>).</summary>
    public async Task<int> CountAsync(string method, string path) =>
        (await JournalAsync()).Count(e => e["method"]!.GetValue<string>() == method && e["path"]!.GetValue<string>() == path);

    /// <summary>A GET on the Proxmox API with the emulator's token (journaled like any API call).</summary>
    public async Task<JsonNode?> ApiGetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api2/json/" + path);
        request.Headers.TryAddWithoutValidation("Authorization", $"PVEAPIToken={TokenId}={TokenSecret}");
        using var response = await _http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"emulator GET {path}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["data"];
    }

    /// <summary>The container's live status as Proxmox reports it (<c>running</c>/<c>stopped</c>).</summary>
    public async Task<string> ContainerStatusAsync(string node, int vmid) =>
        (await ApiGetAsync($"nodes/{node}/lxc/{vmid}/status/current"))!["status"]!.GetValue<string>();

    /// <summary>The node's tasks of a type for a container (running and finished).</summary>
    public async Task<IReadOnlyList<JsonNode>> TasksAsync(string node, int vmid, string type) =>
        [.. (await ApiGetAsync($"nodes/{node}/tasks?source=all&vmid={vmid}&typefilter={type}"))!.AsArray().Select(t => t!)];

    private async Task<JsonNode> ControlAsync(HttpMethod method, string what, object? body = null)
    {
        using var request = new HttpRequestMessage(method, "_emulator/" + what) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await _http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"emulator control {method} {what}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["data"] ?? new JsonObject();
    }

    [GeneratedRegex("Certificate SHA-256 fingerprint: ([0-9A-Fa-f:]+)")]
    private static partial Regex FingerprintLine();

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
    }
}
