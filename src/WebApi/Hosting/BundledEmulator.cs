#if BUNDLED_EMULATOR
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using ProxmoxEmulator;
#endif

namespace ProxmoxLxc.WebApi.Hosting;

/// <summary>
/// Development convenience: with <c>Proxmox:Emulator:Enabled=true</c> the service hosts the bundled Proxmox VE
/// emulator on a loopback HTTPS port and points the gateway at it (API token + certificate fingerprint pinning,
/// the production wiring). Refused in Production. The emulator is compiled in only where the build bundles it
/// (<c>BUNDLED_EMULATOR</c>: build, run and test; not <c>dotnet publish</c>, see the project file).
/// </summary>
/// <remarks>
/// The port and certificate are chosen while the service is configured, but the emulator only starts as the
/// first hosted service: building a second host before the service's own would confuse tools that capture the
/// first host built in the process (WebApplicationFactory, NSwag's document generator).
/// </remarks>
internal static class BundledEmulator
{
    public static void AddIfEnabled(WebApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue<bool>("Proxmox:Emulator:Enabled"))
        {
            return;
        }

        if (builder.Environment.IsProduction())
        {
            throw new InvalidOperationException(
                "Proxmox:Emulator:Enabled=true is refused in Production: configure a real cluster (Proxmox:BaseUrl and credentials).");
        }

#if BUNDLED_EMULATOR
        var options = EmulatorOptions.DefaultSeed();
        options.Port = FreeLoopbackPort();
        if (builder.Configuration.GetValue<TimeSpan?>("Proxmox:Emulator:TaskDuration") is { } duration)
        {
            options.DefaultTaskDuration = duration;
        }

        var certificate = EmulatorCertificate.Create();
        var fingerprint = EmulatorCertificate.Fingerprint(certificate);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Proxmox:BaseUrl"] = $"https://127.0.0.1:{options.Port}/",
            ["Proxmox:TokenId"] = EmulatorOptions.DefaultTokenId,
            ["Proxmox:TokenSecret"] = EmulatorOptions.DefaultTokenSecret,
            ["Proxmox:Username"] = null,
            ["Proxmox:Password"] = null,
            ["Proxmox:CertificateFingerprint"] = fingerprint,
            ["Proxmox:SkipCertificateValidation"] = "false",
        });
        var host = new EmulatorHost(options, certificate);
        builder.Services.AddSingleton(host);
        builder.Services.AddHostedService(_ => host);
        builder.Services.AddSingleton(_ => host.Server);
#else
        throw new InvalidOperationException(
            "Proxmox:Emulator:Enabled=true, but this build leaves the bundled emulator out (dotnet publish): configure a real cluster, or run with 'dotnet run'.");
#endif
    }

#if BUNDLED_EMULATOR

    /// <summary>
    /// A free loopback port outside the kernel's ephemeral range (32768+), chosen at random: asking the kernel for
    /// port 0 and releasing it lets two hosts starting together receive the same port.
    /// </summary>
    private static int FreeLoopbackPort()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var port = System.Security.Cryptography.RandomNumberGenerator.GetInt32(20000, 32000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use: try another.
            }
        }

        throw new InvalidOperationException("No free loopback port for the bundled Proxmox emulator.");
    }

    /// <summary>Runs the emulator for the lifetime of the service.</summary>
    internal sealed class EmulatorHost(EmulatorOptions options, X509Certificate2 certificate) : IHostedService
    {
        private ProxmoxEmulatorServer? _server;

        public ProxmoxEmulatorServer Server =>
            _server ?? throw new InvalidOperationException("The bundled Proxmox emulator has not started yet.");

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            // The emulator's host is built on a clean execution context. Tools that build the service's host through its
            // entry point (WebApplicationFactory, dotnet-ef) tell "their" host's build events apart by an AsyncLocal
            // set on the entry-point thread, and this start runs on that thread: a tool still subscribed at this
            // moment would take the emulator's build for the service's and configure it (a test server in place of
            // Kestrel, so the emulator would have no address).
            Task<ProxmoxEmulatorServer> start;
            using (ExecutionContext.SuppressFlow())
            {
                start = Task.Run(() => ProxmoxEmulatorServer.StartAsync(options, certificate, cancellationToken), cancellationToken);
            }

            _server = await start;
            await Console.Out.WriteLineAsync(
                $"Proxmox VE emulator: {_server.BaseUrl} (certificate SHA-256 {_server.CertificateFingerprint}); the gateway is pointed at it.");
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
                _server = null;
            }
        }
    }
#endif
}
