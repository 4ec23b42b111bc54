using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace ProxmoxLxc.Faults.Tests.Support;

/// <summary>
/// The built service as a child process with Production settings on a SQLite file that survives restarts, talking to
/// the standalone emulator (token auth, pinned fingerprint). Timeouts are short so that "older than the dispatch
/// timeout" and "the read deadline" are reached within seconds.
/// </summary>
public sealed class ServiceUnderTest : IAsyncDisposable
{
    public const string AdminKey = "pxl_FaultAdmin01_Zq8Wm3Kt6Yb1Nc4Vx7Rp0Ls5Hd2Gf9Ja6Ue3Io8Ty1Q";
    public const int ReadTimeoutSeconds = 5;
    public const int DispatchTimeoutSeconds = 3;

    private readonly EmulatorProcess _emulator;
    private readonly int _port = ChildProcess.FreeLoopbackPort();
    private ChildProcess? _process;

    public ServiceUnderTest(EmulatorProcess emulator)
    {
        _emulator = emulator;
        BaseAddress = new Uri($"http://127.0.0.1:{_port}/");
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Add("X-API-Key", AdminKey);
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public string DatabasePath { get; } = Path.Combine(Path.GetTempPath(), $"proxmoxlxc-faults-{Guid.NewGuid():N}.db");

    public string Output => _process?.Output ?? string.Empty;

    /// <summary>Starts (or restarts, on the same database and port) the service and waits until it answers.</summary>
    public async Task StartAsync()
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Default"] = $"Data Source={DatabasePath};Pooling=False",
            ["Database__Provider"] = "Sqlite",
            ["Bootstrap__AdminKey"] = AdminKey,
            ["Proxmox__BaseUrl"] = _emulator.BaseAddress.ToString().TrimEnd('/'),
            ["Proxmox__TokenId"] = _emulator.TokenId,
            ["Proxmox__TokenSecret"] = _emulator.TokenSecret,
            ["Proxmox__CertificateFingerprint"] = _emulator.Fingerprint,
            ["Proxmox__Emulator__Enabled"] = "false",
            ["Proxmox__ReadTimeoutSeconds"] = ReadTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Proxmox__DispatchTimeoutSeconds"] = DispatchTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Proxmox__AttemptTimeout"] = "00:00:05",
            ["Proxmox__RetryBaseDelay"] = "00:00:00.050",
            ["Proxmox__RetryMaxDelay"] = "00:00:00.200",
            // The circuit breaker is not under test here: keep it from opening on the injected failures.
            ["Proxmox__BreakerMinimumThroughput"] = "1000",
            ["Proxmox__TaskPollInitialDelay"] = "00:00:00.100",
            ["Proxmox__TaskPollMaxDelay"] = "00:00:00.300",
            ["Proxmox__HealthCacheDuration"] = "00:00:00.500",
            ["Operations__ScanInterval"] = "00:00:00.500",
            // A killed instance's leases run out quickly, so the restarted one takes its operations over within seconds.
            ["Leases__Duration"] = "00:00:03",
            ["Leases__RenewInterval"] = "00:00:00.500",
            ["RateLimiting__PermitsPerMinute"] = "0",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        _process = ChildProcess.Start(ChildProcess.Metadata("WebApiAssembly"), ["--urls", BaseAddress.ToString().TrimEnd('/')], environment);
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Poll.UntilAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new AssertionException($"The service exited with {_process.ExitCode}:\n{_process.Output}");
            }

            try
            {
                using var response = await probe.GetAsync(new Uri(BaseAddress, "health/live"));
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return false; // not listening yet, or too busy starting to answer within the probe's timeout
            }
        }, TimeSpan.FromSeconds(120), "the service to answer /health/live", () => Output);
    }

    /// <summary>SIGKILL, then start again on the same database.</summary>
    public async Task KillAndRestartAsync()
    {
        await _process!.KillAsync();
        await StartAsync();
    }

    public ChildProcess Process => _process ?? throw new InvalidOperationException("Not started.");

    /// <summary>The operations of an action on a container, newest first.</summary>
    public async Task<IReadOnlyList<JsonNode>> OperationsAsync(int vmid, string action)
    {
        var page = await Client.GetFromJsonAsync<JsonObject>($"api/v1/operations?vmid={vmid}&action={action}&limit=50");
        return [.. page!["items"]!.AsArray().Select(o => o!)];
    }

    /// <summary>Waits until the single operation of <paramref name="action"/> on the container has ended.</summary>
    public Task<JsonNode> FinishedOperationAsync(int vmid, string action, TimeSpan timeout) =>
        Poll.UntilAsync(async () =>
        {
            var operations = await OperationsAsync(vmid, action);
            Assert.That(operations, Has.Count.LessThanOrEqualTo(1), $"one {action} operation");
            return operations.Count == 1 && operations[0]["status"]!.GetValue<string>() != "running" ? operations[0] : null;
        }, timeout, $"the {action} operation on {vmid} to end", () => Output);

    /// <summary>Opens the service's SQLite file directly (for locking it, or reading rows).</summary>
    public SqliteConnection OpenDatabase()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        foreach (var suffix in (string[])["", "-wal", "-shm", "-journal"])
        {
            try
            {
                File.Delete(DatabasePath + suffix);
            }
            catch (IOException)
            {
            }
        }
    }
}
