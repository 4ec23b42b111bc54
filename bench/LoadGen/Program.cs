using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

// A small closed-loop load generator for bench/run.sh. Each row runs C concurrent clients for D seconds against the API
// or directly against the Proxmox emulator (the floor) and prints throughput, p50/p99, the ratio to the floor row, the
// Proxmox calls made per request (from the emulator's request counter) and the API server's RSS. Usage:
//   LoadGen <apiBase> <apiKey> <serverPid> <emulatorBase> <emulatorToken> <emulatorFingerprint> <seconds> <row>...
// A row is "label|api|emu|conns|path[|vmidFrom-vmidTo]": {vmid} and {node} in the path take the next id of the range
// (round robin, so successive requests hit different containers); path "create" posts a create+start with
// "Prefer: wait=60". Each row is measured after a warm-up at its own concurrency, until the API's JIT is quiet (one
// create per worker for the create row). A row whose label starts with "floor" becomes the floor for the rows after
// it. "CPU ms" is the API server's CPU time (user + system, /proc/<pid>/stat) per request of the row: unlike
// wall-clock latency it is not inflated by other processes competing for the cores. "alloc KB" is the managed memory
// the API allocated per request (the runtime's dotnet.gc.heap.total_allocated counter, read from the API's /metrics
// before and after the row).
if (args.Length < 8)
{
    await Console.Error.WriteLineAsync("usage: LoadGen <apiBase> <apiKey> <serverPid> <emulatorBase> <emulatorToken> <emulatorFingerprint> <seconds> <row>...");
    return 2;
}

var apiBase = new Uri(args[0]);
var apiKey = args[1];
var serverPid = int.Parse(args[2], CultureInfo.InvariantCulture);
var emulatorBase = new Uri(args[3]);
var emulatorToken = args[4];
var fingerprint = args[5].Replace(":", string.Empty, StringComparison.Ordinal);
var duration = TimeSpan.FromSeconds(double.Parse(args[6], CultureInfo.InvariantCulture));

// The emulator's certificate is self-signed: pinned by its SHA-256 fingerprint, as the service does.
var pinned = new SocketsHttpHandler
{
    MaxConnectionsPerServer = 256,
    SslOptions =
    {
        RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null
            && string.Equals(certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), fingerprint, StringComparison.OrdinalIgnoreCase),
    },
};
using var emulator = new HttpClient(pinned) { BaseAddress = emulatorBase, Timeout = TimeSpan.FromSeconds(60) };
emulator.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "PVEAPIToken=" + emulatorToken);
using var api = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = apiBase, Timeout = TimeSpan.FromSeconds(90) };
api.DefaultRequestHeaders.Add("X-API-Key", apiKey);

var nodeOf = await NodesAsync(emulator);
double? floor = null;
var created = 0;
Console.WriteLine($"{"row",-34} {"conns",5} {"req/s",8} {"p50 ms",8} {"p99 ms",8} {"/floor",7} {"pve/req",8} {"errors",6} {"RSS MiB",8} {"CPU ms",7} {"alloc KB",8}");
foreach (var spec in args[7..])
{
    var parts = spec.Split('|');
    var (label, target, conns, path) = (parts[0], parts[1], int.Parse(parts[2], CultureInfo.InvariantCulture), parts[3]);
    var ids = parts.Length > 4 ? Range(parts[4]) : [];
    var client = target == "emu" ? emulator : api;
    var next = -1;

    HttpRequestMessage Build()
    {
        if (path == "create")
        {
            var n = Interlocked.Increment(ref created);
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/containers") { Content = new StringContent(CreateBody($"bench{n}"), Encoding.UTF8, "application/json") };
            request.Headers.Add("Prefer", "wait=60");
            return request;
        }

        var url = path;
        if (ids.Length > 0)
        {
            var id = ids[(int)((uint)Interlocked.Increment(ref next) % (uint)ids.Length)];
            url = url.Replace("{vmid}", id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{node}", nodeOf.GetValueOrDefault(id, "pve1"), StringComparison.Ordinal);
        }

        return new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Relative));
    }

    // Warm-up, at the row's concurrency: its connections (the API's to Proxmox included) are open, and the API's JIT is
    // quiet (tier-1 code is compiled in the background after 30 calls): slices of 1 s until one compiles fewer than
    // 20 methods, 15 s at most. With 50 sequential requests instead, a 32-connection row measured its own TLS
    // handshakes, and the first rows after start the JIT.
    if (path == "create")
    {
        await RunAsync(conns, TimeSpan.Zero, minimumPerWorker: 1, latencies: null);
    }
    else
    {
        var warmUpUntil = Stopwatch.GetTimestamp() + 15 * Stopwatch.Frequency;
        var compiled = await JitCompiledMethodsAsync(api);
        while (true)
        {
            await RunAsync(conns, TimeSpan.FromSeconds(1), minimumPerWorker: 30, latencies: null);
            var now = await JitCompiledMethodsAsync(api);
            if (double.IsNaN(now) || now - compiled < 20 || Stopwatch.GetTimestamp() > warmUpUntil)
            {
                break;
            }

            compiled = now;
        }
    }

    var callsBefore = await ProxmoxCallsAsync(emulator);
    var allocatedBefore = await AllocatedBytesAsync(api);
    var cpuBefore = CpuSeconds(serverPid);
    var latencies = new List<double>[conns];
    var started = Stopwatch.GetTimestamp();
    var errors = await RunAsync(conns, duration, minimumPerWorker: 0, latencies);
    var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
    var cpuAfter = CpuSeconds(serverPid);
    var allocatedAfter = await AllocatedBytesAsync(api);
    var callsAfter = await ProxmoxCallsAsync(emulator);
    var all = latencies.SelectMany(l => l).Order().ToArray();
    double P(double q) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(q * all.Length))];
    var rps = all.Length / elapsed;
    if (label.StartsWith("floor", StringComparison.Ordinal))
    {
        floor = rps;
    }

    var ratio = floor is { } f && target == "api" ? (rps / f).ToString("P1", CultureInfo.InvariantCulture) : "-";
    var perRequest = target == "api" && all.Length > 0 ? ((callsAfter - callsBefore) / (double)all.Length).ToString("F2", CultureInfo.InvariantCulture) : "-";
    var cpu = target == "api" && all.Length > 0 ? (1000 * (cpuAfter - cpuBefore) / all.Length).ToString("F2", CultureInfo.InvariantCulture) : "-";
    var alloc = target == "api" && all.Length > 0 ? ((allocatedAfter - allocatedBefore) / 1024.0 / all.Length).ToString("F1", CultureInfo.InvariantCulture) : "-";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{label,-34} {conns,5} {rps,8:F0} {P(0.50),8:F2} {P(0.99),8:F2} {ratio,7} {perRequest,8} {errors,6} {RssMiB(serverPid),8:F0} {cpu,7} {alloc,8}"));

    // conns closed-loop workers for at least `length` and `minimumPerWorker` requests each; latencies per worker when
    // given. The number of failed answers.
    async Task<int> RunAsync(int workers, TimeSpan length, int minimumPerWorker, List<double>[]? latencies)
    {
        var failed = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var mine = latencies is null ? null : latencies[worker] = [];
            for (var sent = 0; sent < minimumPerWorker || Stopwatch.GetTimestamp() < stopAt; sent++)
            {
                var t0 = Stopwatch.GetTimestamp();
                using var response = await client.SendAsync(Build());
                await response.Content.ReadAsByteArrayAsync();
                mine?.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })));
        return failed;
    }
}

return 0;

static int[] Range(string text)
{
    var bounds = text.Split('-');
    var from = int.Parse(bounds[0], CultureInfo.InvariantCulture);
    var to = int.Parse(bounds[1], CultureInfo.InvariantCulture);
    return Enumerable.Range(from, to - from + 1).ToArray();
}

static string CreateBody(string hostname) => JsonSerializer.Serialize(new
{
    hostname,
    template = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
    cores = 1,
    memoryMiB = 512,
    swapMiB = 256,
    rootfs = new { storage = "local-lvm", sizeGiB = 4 },
    networks = new[] { new { bridge = "vmbr0", ipv4 = "dhcp" } },
    start = true,
});

static async Task<Dictionary<int, string>> NodesAsync(HttpClient emulator)
{
    using var document = JsonDocument.Parse(await emulator.GetStringAsync(new Uri("/api2/json/cluster/resources?type=vm", UriKind.Relative)));
    return document.RootElement.GetProperty("data").EnumerateArray()
        .ToDictionary(r => ReadInt(r.GetProperty("vmid")), r => r.GetProperty("node").GetString()!);
}

static int ReadInt(JsonElement e) => e.ValueKind == JsonValueKind.String ? int.Parse(e.GetString()!, CultureInfo.InvariantCulture) : e.GetInt32();

static async Task<long> ProxmoxCallsAsync(HttpClient emulator)
{
    using var document = JsonDocument.Parse(await emulator.GetStringAsync(new Uri("/_emulator/counts", UriKind.Relative)));
    return document.RootElement.GetProperty("data").GetProperty("total").GetInt64();
}

static Task<double> AllocatedBytesAsync(HttpClient api) => RuntimeCounterAsync(api, "dotnet_gc_heap_total_allocated");

static Task<double> JitCompiledMethodsAsync(HttpClient api) => RuntimeCounterAsync(api, "dotnet_jit_compiled_methods");

// The Prometheus exporter caches a scrape for 300 ms: wait that out so the figure is read now.
static async Task<double> RuntimeCounterAsync(HttpClient api, string name)
{
    await Task.Delay(400);
    var text = await api.GetStringAsync(new Uri("/metrics", UriKind.Relative));
    var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
    return line is null ? double.NaN : double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
}

// utime + stime of the process (fields 14 and 15 of /proc/<pid>/stat, after the parenthesised command name), seconds.
static double CpuSeconds(int pid)
{
    try
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
    catch (IOException)
    {
        return double.NaN;
    }
}

static double RssMiB(int pid)
{
    try
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
    catch (IOException)
    {
        return double.NaN;
    }
}
