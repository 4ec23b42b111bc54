using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ProxmoxEmulator;
using ProxmoxLxc.Application.Common.Exceptions;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Proxmox;

/// <summary>Ticket authentication against the emulator: login, CSRF, renewal after 1 h, re-login after expiry.</summary>
[TestFixture]
public sealed class GatewayTicketAuthTests
{
    private readonly ShiftableTimeProvider _emulatorClock = new();
    private readonly ShiftableTimeProvider _gatewayClock = new();
    private EmulatorGatewayHost _env = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var options = EmulatorOptions.DefaultSeed();
        options.TimeProvider = _emulatorClock;
        _env = await EmulatorGatewayHost.StartAsync(options, (s, _) => EmulatorGatewayHost.UseTicketAuth(s),
            services => services.AddSingleton<TimeProvider>(_gatewayClock));
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _env.DisposeAsync();

    [SetUp]
    public void ResetJournal() => _env.Server.Journal.Reset();

    [TearDown]
    public void NoSchemaViolations() => Assert.That(_env.Server.Journal.SchemaViolations, Is.Empty);

    [Test]
    public async Task TicketAuth_ReadAndWrite_UseTicketAndCsrf()
    {
        await _env.Gateway.GetVersionAsync(CancellationToken.None);
        var task = await _env.Gateway.StartAsync("pve1", 102, CancellationToken.None);
        var status = await _env.Gateway.WaitForTaskAsync(task, TimeSpan.FromSeconds(10), CancellationToken.None);
        await _env.Gateway.WaitForTaskAsync(await _env.Gateway.StopAsync("pve1", 102, CancellationToken.None), TimeSpan.FromSeconds(10), CancellationToken.None);

        var entries = _env.Server.Journal.Entries;
        Assert.Multiple(() =>
        {
            Assert.That(status.IsSuccess, Is.True, status.Error);
            Assert.That(task.User, Is.EqualTo("root@pam"));
            Assert.That(entries.Where(e => e.Path != "/access/ticket").Select(e => e.Auth), Is.All.EqualTo(AuthKind.Ticket));
            Assert.That(entries.Where(e => e.Status == 401), Is.Empty);
        });
    }

    [Test]
    public async Task TicketAuth_TicketOlderThanOneHour_RenewedWithTicket()
    {
        await _env.Gateway.GetVersionAsync(CancellationToken.None);
        var logins = _env.Server.Journal.Count("POST", "/access/ticket");

        _gatewayClock.Offset += TimeSpan.FromMinutes(61);
        _emulatorClock.Offset += TimeSpan.FromMinutes(61);
        await _env.Gateway.GetVersionAsync(CancellationToken.None);

        Assert.That(_env.Server.Journal.Count("POST", "/access/ticket") - logins, Is.EqualTo(1));
        Assert.That(_env.Server.Journal.Entries.Where(e => e.Status == 401), Is.Empty);
    }

    [Test]
    public async Task TicketAuth_TicketExpiredAtServer_TransparentReLogin()
    {
        await _env.Gateway.GetVersionAsync(CancellationToken.None);
        var logins = _env.Server.Journal.Count("POST", "/access/ticket");

        _emulatorClock.Offset += TimeSpan.FromHours(3); // only the server's clock: the gateway still thinks its ticket is fresh
        var version = await _env.Gateway.GetVersionAsync(CancellationToken.None);

        Assert.That(version.Version, Is.Not.Empty);
        Assert.That(_env.Server.Journal.Count("POST", "/access/ticket") - logins, Is.EqualTo(1));
    }

    [Test]
    public async Task RawClient_WriteWithTicketButWithoutCsrf_Refused401()
    {
        using var client = _env.Server.CreateClient(withToken: false);
        using var login = await client.PostAsync("access/ticket", new FormUrlEncodedContent(
            [new("username", "root@pam"), new("password", EmulatorOptions.DefaultPassword)]));
        var json = System.Text.Json.JsonDocument.Parse(await login.Content.ReadAsStringAsync());
        var ticket = json.RootElement.GetProperty("data").GetProperty("ticket").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Post, "nodes/pve1/lxc/102/status/start");
        request.Headers.TryAddWithoutValidation("Cookie", "PVEAuthCookie=" + Uri.EscapeDataString(ticket));
        request.Content = new FormUrlEncodedContent([]);

        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.ReasonPhrase, Does.Contain("csrf"));
    }

    [Test]
    public async Task TicketAuth_WrongPassword_ProxmoxErrorWithoutSecret()
    {
        await using var env = await EmulatorGatewayHost.StartAsync(tweak: (s, _) =>
        {
            EmulatorGatewayHost.UseTicketAuth(s);
            s["Proxmox:Password"] = "definitely-wrong-pw";
        });

        var ex = Assert.ThrowsAsync<ProxmoxErrorException>(() => env.Gateway.GetVersionAsync(CancellationToken.None));

        Assert.That(ex!.StatusCode, Is.EqualTo(502));
        Assert.That(ex.ToString(), Does.Not.Contain("definitely-wrong-pw"));
    }
}

/// <summary>Token auth failures and TLS pinning against the emulator's self-signed certificate.</summary>
[TestFixture]
public sealed class GatewayTokenAndTlsTests
{
    [Test]
    public async Task TokenAuth_ValidToken_JournalShowsToken()
    {
        await using var env = await EmulatorGatewayHost.StartAsync();

        await env.Gateway.GetClusterResourcesAsync(CancellationToken.None);

        Assert.That(env.Server.Journal.Entries.Single().Auth, Is.EqualTo(AuthKind.Token));
        Assert.That(env.Server.Journal.Entries.Single().User, Is.EqualTo(EmulatorOptions.DefaultTokenId));
    }

    [Test]
    public async Task TokenAuth_WrongSecret_ProxmoxErrorMisconfigured()
    {
        await using var env = await EmulatorGatewayHost.StartAsync(tweak: (s, _) => s["Proxmox:TokenSecret"] = "00000000-0000-0000-0000-000000000000");

        var ex = Assert.ThrowsAsync<ProxmoxErrorException>(() => env.Gateway.GetVersionAsync(CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(502));
            Assert.That(ex.Message, Does.Contain("credentials"));
            Assert.That(ex.ToString(), Does.Not.Contain("00000000-0000"));
        });
    }

    [Test]
    public async Task Tls_PinnedFingerprintPlainLowercaseHex_Accepted()
    {
        await using var env = await EmulatorGatewayHost.StartAsync(tweak: (s, server) =>
            s["Proxmox:CertificateFingerprint"] = server.CertificateFingerprint.Replace(":", "", StringComparison.Ordinal).ToLowerInvariant());

        Assert.That((await env.Gateway.GetVersionAsync(CancellationToken.None)).Version, Is.Not.Empty);
    }

    [Test]
    public async Task Tls_PinnedFingerprintWithLocalhostName_HostnameIgnored()
    {
        await using var env = await EmulatorGatewayHost.StartAsync(tweak: (s, server) =>
            s["Proxmox:BaseUrl"] = $"https://localhost:{server.BaseUrl.Port}");

        Assert.That((await env.Gateway.GetVersionAsync(CancellationToken.None)).Version, Is.Not.Empty);
    }

    [Test]
    public async Task Tls_WrongFingerprint_RefusedAsUnavailable()
    {
        await using var env = await EmulatorGatewayHost.StartAsync(tweak: (s, _) =>
            s["Proxmox:CertificateFingerprint"] = string.Join(':', Enumerable.Repeat("AB", 32)));

        var ex = Assert.ThrowsAsync<ProxmoxUnavailableException>(() => env.Gateway.GetVersionAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("certificate"));
        Assert.That(env.Server.Journal.TotalCount, Is.Zero, "no request may be sent over an untrusted connection");
    }

    [Test]
    public async Task Tls_SystemTrustSelfSigned_Refused()
    {
        await using var env = await EmulatorGatewayHost.StartAsync(tweak: (s, _) => s.Remove("Proxmox:CertificateFingerprint"));

        Assert.ThrowsAsync<ProxmoxUnavailableException>(() => env.Gateway.GetVersionAsync(CancellationToken.None));
    }

    [Test]
    public async Task Tls_SkipValidation_Accepted()
    {
        await using var env = await EmulatorGatewayHost.StartAsync(tweak: (s, _) =>
        {
            s.Remove("Proxmox:CertificateFingerprint");
            s["Proxmox:SkipCertificateValidation"] = "true";
        });

        Assert.That((await env.Gateway.GetVersionAsync(CancellationToken.None)).Version, Is.Not.Empty);
    }
}

/// <summary>Circuit breaker and health check against an emulator that goes down.</summary>
[TestFixture]
public sealed class GatewayOutageTests
{
    [Test]
    public async Task CircuitBreaker_RepeatedFailures_NextCallFailsFast()
    {
        await using var env = await EmulatorGatewayHost.StartAsync(tweak: (s, _) =>
        {
            s["Proxmox:MaxRetries"] = "0";
            s["Proxmox:BreakerMinimumThroughput"] = "5";
            s["Proxmox:BreakerFailureRatio"] = "0.5";
            s["Proxmox:BreakerBreakDuration"] = "00:00:30";
        });
        // Connections dropped after the request arrived (journaled): five failures (the minimum throughput, all failed)
        // open the circuit.
        env.Server.Faults.DropConnections();
        for (var i = 0; i < 6; i++)
            Assert.ThrowsAsync<ProxmoxUnavailableException>(() => env.Gateway.GetVersionAsync(CancellationToken.None));
        var reached = env.Server.Journal.TotalCount;

        var ex = Assert.ThrowsAsync<ProxmoxUnavailableException>(() => env.Gateway.GetClusterResourcesAsync(CancellationToken.None));

        // Failing fast = failing without a request to Proxmox (deterministic, unlike a time bound).
        Assert.Multiple(() =>
        {
            Assert.That(reached, Is.EqualTo(5), "the failures that opened the circuit reached the emulator, the sixth did not");
            Assert.That(ex!.Message, Does.Contain("circuit open"));
            Assert.That(ex.RetryAfter, Is.GreaterThan(TimeSpan.Zero));
            Assert.That(env.Server.Journal.TotalCount, Is.EqualTo(reached), "the call with the circuit open never reached Proxmox");
        });
    }

    [Test]
    public async Task EmulatorDown_Get_RetriedThenUnavailable()
    {
        await using var env = await EmulatorGatewayHost.StartAsync(tweak: (s, _) => s["Proxmox:MaxRetries"] = "2");
        env.Server.Faults.Down = true;

        Assert.ThrowsAsync<ProxmoxUnavailableException>(() => env.Gateway.GetVersionAsync(CancellationToken.None));
    }

    [Test]
    public async Task HealthCheck_UpThenDown_HealthyThenCachedThenUnhealthy()
    {
        await using var env = await EmulatorGatewayHost.StartAsync(tweak: (s, _) => s["Proxmox:HealthCacheDuration"] = "00:00:00.300");
        var health = env.Host.Provider.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>();

        var up = await health.CheckHealthAsync(r => r.Tags.Contains("ready"));
        env.Server.Faults.Down = true;
        var cached = await health.CheckHealthAsync(r => r.Tags.Contains("ready"));
        await Task.Delay(400);
        var down = await health.CheckHealthAsync(r => r.Tags.Contains("ready"));

        Assert.Multiple(() =>
        {
            Assert.That(up.Entries["proxmox"].Status, Is.EqualTo(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy));
            Assert.That(cached.Entries["proxmox"].Status, Is.EqualTo(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy));
            Assert.That(down.Entries["proxmox"].Status, Is.EqualTo(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy));
        });
    }
}
