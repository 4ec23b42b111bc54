using System.Diagnostics.Metrics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ProxmoxEmulator;
using ProxmoxLxc.Infrastructure.Operations;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.Infrastructure.Proxmox;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;
using ProxmoxLxc.WebApi.Hosting;

namespace ProxmoxLxc.WebApi.FunctionalTests.Platform;

// Provider-independent (SQLite only, not in the provider matrix): per-instance budgets are counted in memory.
[TestFixture]
public sealed class RateLimitingTests
{
    [Test]
    public async Task Requests_OverThePerKeyBudget_Answer429WithRetryAfterAndAreLogged()
    {
        await using var factory = new ApiFactory();
        factory.Settings["RateLimiting:PermitsPerMinute"] = "3";
        using var client = factory.CreateAdminClient();

        for (var i = 0; i < 3; i++)
        {
            using var ok = await client.GetAsync(new Uri("/api/v1/keys", UriKind.Relative));
            Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var limited = await client.GetAsync(new Uri("/api/v1/keys", UriKind.Relative));
        var body = JsonDocument.Parse(await limited.Content.ReadAsStringAsync()).RootElement;

        Assert.Multiple(() =>
        {
            Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(limited.Headers.RetryAfter, Is.Not.Null);
            Assert.That(limited.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(body.GetProperty("code").GetString(), Is.EqualTo("rate_limited"));
        });

        // Another key has its own budget.
        var other = await CreateKeyWithoutSpendingAdminBudgetAsync(factory);
        Assert.That(other, Is.Not.Null);
    }

    private static async Task<HttpStatusCode?> CreateKeyWithoutSpendingAdminBudgetAsync(ApiFactory factory)
    {
        using var anonymous = factory.CreateClient("pxl_AAAAAAAAAAAA_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        using var response = await anonymous.GetAsync(new Uri("/api/v1/keys", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "an unknown key is judged by authentication, not by the admin's budget");
        return response.StatusCode;
    }
}

// Provider-independent (SQLite only, not in the provider matrix): metrics and hosting settings live in the process.
[TestFixture]
public sealed class MetricsAndHostingTests
{
    [Test]
    public async Task Metrics_AfterApiCalls_ExposePrometheusTextWithRequestAndProxmoxFigures()
    {
        await using var factory = new ApiFactory();
        using var client = factory.CreateAdminClient();
        using (await client.GetAsync(new Uri("/api/v1/keys", UriKind.Relative)))
        using (await client.GetAsync(new Uri("/health/ready", UriKind.Relative)))
        {
        }

        string text = string.Empty;
        for (var attempt = 0; attempt < 20 && !text.Contains("proxmoxlxc_operations_open", StringComparison.Ordinal); attempt++)
        {
            using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            text = await response.Content.ReadAsStringAsync();
            await Task.Delay(100);
        }

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("http_server_request_duration_seconds"));
            Assert.That(text, Does.Contain("http_route=\"api/v1/keys\""));
            Assert.That(text, Does.Contain("proxmoxlxc_operations_open"));
            Assert.That(text, Does.Contain("proxmox_calls_total"));
            Assert.That(text, Does.Contain("proxmox_call_duration_seconds"));
        });
    }

    [Test]
    public void CardinalityLimit_ContractStreamsKeepTheDefault_OthersGetTheSmallLimit()
    {
        using var kestrel = new Meter("Microsoft.AspNetCore.Server.Kestrel");
        using var hosting = new Meter("Microsoft.AspNetCore.Hosting");
        using var runtime = new Meter("System.Runtime");
        using var proxmox = new Meter(ProxmoxMetrics.MeterName);
        using var operations = new Meter(OperationMetrics.MeterName);

        Assert.Multiple(() =>
        {
            Assert.That(Telemetry.CardinalityLimit(hosting.CreateHistogram<double>("http.server.request.duration")), Is.Null);
            Assert.That(Telemetry.CardinalityLimit(proxmox.CreateCounter<long>("proxmox.calls")), Is.Null);
            Assert.That(Telemetry.CardinalityLimit(proxmox.CreateHistogram<double>("proxmox.call.duration")), Is.Null);
            Assert.That(Telemetry.CardinalityLimit(operations.CreateObservableGauge("proxmoxlxc.operations.open", () => 0)), Is.Null);
            Assert.That(Telemetry.CardinalityLimit(hosting.CreateUpDownCounter<long>("http.server.active_requests"))?.CardinalityLimit,
                Is.EqualTo(Telemetry.SmallStreamLimit));
            Assert.That(Telemetry.CardinalityLimit(kestrel.CreateUpDownCounter<long>("kestrel.active_connections"))?.CardinalityLimit,
                Is.EqualTo(Telemetry.SmallStreamLimit));
            Assert.That(Telemetry.CardinalityLimit(runtime.CreateCounter<long>("dotnet.gc.collections"))?.CardinalityLimit,
                Is.EqualTo(Telemetry.SmallStreamLimit));
        });
    }

    [Test]
    public async Task Metrics_HistogramUnderTheSmallLimit_KeepsItsAdvisedBuckets()
    {
        await using var factory = new ApiFactory();
        using var client = factory.CreateAdminClient();
        using (await client.GetAsync(new Uri("/api/v1/keys", UriKind.Relative)))
        {
        }

        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        var bounds = Regex.Matches(text, "aspnetcore_rate_limiting_request_lease_duration_seconds_bucket\\{[^}]*le=\"([^\"]+)\"")
            .Select(m => m.Groups[1].Value).Distinct().ToList();

        // ASP.NET Core advises seconds buckets for the lease duration; the view limits the points, not the buckets
        // (OpenTelemetry's own default would start at 0, 5, 10 … for seconds).
        Assert.That(bounds, Is.EqualTo(new[] { "0.005", "0.01", "0.025", "0.05", "0.075", "0.1", "0.25", "0.5", "0.75", "1", "2.5", "5", "7.5", "10", "+Inf" }));
    }

    [Test]
    public void RuntimeConfig_OfTheService_HasTheMemorySettingsTheBenchmarkMeasured()
    {
        // The service's own runtimeconfig.json (built next to the tests): what `dotnet ProxmoxLxc.WebApi.dll` runs with.
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ProxmoxLxc.WebApi.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Multiple(() =>
        {
            Assert.That(properties.GetProperty("System.GC.Server").GetBoolean(), Is.False);
            Assert.That(properties.GetProperty("System.GC.Concurrent").GetBoolean(), Is.True);
            Assert.That(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean(), Is.False);
            Assert.That(properties.GetProperty("System.GC.Gen0MaxBudget").GetInt64(), Is.EqualTo(6 * 1024 * 1024));
            Assert.That(properties.GetProperty("System.Runtime.TieredCompilation.CallCountThreshold").GetInt32(), Is.EqualTo(200));
            // The segments GC it names ships with the runtime (a missing GC library would stop the service at start).
            Assert.That(properties.GetProperty("System.GC.Name").GetString(), Is.EqualTo("libclrgc.so"));
            Assert.That(File.Exists(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "libclrgc.so")), Is.True);
        });
    }

    [Test]
    public async Task Start_HostedServices_EmulatorThenReadinessPrimeThenDatabase_AndTheFirstProbeIsPrimed()
    {
        await using var factory = new ApiFactory();
        using var client = factory.CreateClient();
        var hosted = factory.Services.GetServices<IHostedService>().ToList();
        var order = hosted.Select(s => s.GetType()).ToList();
        var emulator = factory.Services.GetRequiredService<ProxmoxEmulator.ProxmoxEmulatorServer>();
        await hosted.OfType<ProxmoxStartup>().Single().Prime; // the start waits for it 1 s at most; a busy machine may need longer
        var versionCallsAtStart = emulator.Journal.Entries.Count(e => e.Path.EndsWith("/version", StringComparison.Ordinal));

        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        var versionCallsAfterProbe = emulator.Journal.Entries.Count(e => e.Path.EndsWith("/version", StringComparison.Ordinal));

        Assert.Multiple(() =>
        {
            // The prime asks the bundled emulator once it listens, and while the database initializer runs.
            Assert.That(order.IndexOf(typeof(BundledEmulator.EmulatorHost)), Is.LessThan(order.IndexOf(typeof(ProxmoxStartup))));
            Assert.That(order.IndexOf(typeof(ProxmoxStartup)), Is.LessThan(order.IndexOf(typeof(DatabaseInitializer))));
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(versionCallsAtStart, Is.EqualTo(1), "primed once, successfully, at start");
            Assert.That(versionCallsAfterProbe, Is.EqualTo(1), "the first readiness probe used the primed answer");
        });
    }

    [Test]
    public async Task BundledEmulator_StartedOnAToolsEntryPoint_IsNotTakenForTheServiceHost()
    {
        // CI once saw the emulator start with no address: WebApplicationFactory's resolver, still listening while
        // the service started on its entry-point thread, had configured the emulator's host with a test server.
        using var listener = new EntryPointHostListener(builder => builder.ConfigureWebHost(web => web.UseTestServer()));
        using var certificate = EmulatorCertificate.Create();
        var emulator = new BundledEmulator.EmulatorHost(EmulatorOptions.DefaultSeed(), certificate);

        await Task.Run(async () =>
        {
            listener.EnterEntryPoint();
            await emulator.StartAsync(CancellationToken.None);
        });

        try
        {
            using var client = emulator.Server.CreateClient();
            using var version = await client.GetAsync(new Uri("version", UriKind.Relative));
            Assert.Multiple(() =>
            {
                Assert.That(listener.HostsConfigured, Is.Zero, "the emulator's host is not built on the entry point's context");
                Assert.That(emulator.Server.BaseUrl.Port, Is.Positive);
                Assert.That(version.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            });
        }
        finally
        {
            await emulator.StopAsync(CancellationToken.None);
        }
    }

    [Test]
    public void BundledEmulator_InProduction_IsRefused()
    {
        using var factory = new ApiFactory(new() { Environment = "Production" });
        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient().Dispose());
        Assert.That(error!.Message, Does.Contain("refused in Production"));
    }
}
