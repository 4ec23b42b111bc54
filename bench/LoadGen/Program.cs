using System.Diagnostics;
using System.Globalization;

// A small closed-loop load generator: C concurrent clients call one URL for D seconds and the
// figures (throughput, latency percentiles, errors, server memory) are printed. Usage:
//   LoadGen <baseUrl> <apiKey> <serverPid> <seconds> <concurrency> <path> [<path> ...]
if (args.Length < 6)
{
    await Console.Error.WriteLineAsync("usage: LoadGen <baseUrl> <apiKey> <serverPid> <seconds> <concurrency> <path>...");
    return 2;
}

var baseUrl = new Uri(args[0]);
var apiKey = args[1];
var serverPid = int.Parse(args[2], CultureInfo.InvariantCulture);
var duration = TimeSpan.FromSeconds(int.Parse(args[3], CultureInfo.InvariantCulture));
var concurrency = int.Parse(args[4], CultureInfo.InvariantCulture);

using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
http.DefaultRequestHeaders.Add("X-API-Key", apiKey);

Console.WriteLine($"{"endpoint",-48} {"req/s",8} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"errors",7} {"server RSS MiB",15}");
foreach (var path in args[5..])
{
    // Warm-up: JIT, connection pool, caches.
    for (var i = 0; i < 20; i++)
    {
        using var warm = await http.GetAsync(new Uri(path, UriKind.Relative));
    }

    var latencies = new List<double>[concurrency];
    var errors = 0;
    var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    var started = Stopwatch.GetTimestamp();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
    {
        var mine = latencies[worker] = [];
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            var t0 = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            await response.Content.ReadAsByteArrayAsync();
            mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref errors);
            }
        }
    }));
    var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
    var all = latencies.SelectMany(l => l).Order().ToArray();
    double P(double q) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(q * all.Length))];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{Shorten(path),-48} {all.Length / elapsed,8:F0} {P(0.50),8:F1} {P(0.95),8:F1} {P(0.99),8:F1} {errors,7} {RssMiB(serverPid),15:F0}"));
}

return 0;

static string Shorten(string path) => path.Length <= 48 ? path : path[..45] + "...";

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
