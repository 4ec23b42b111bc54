using ProxmoxEmulator;

namespace ProxmoxLxc.WebApi.Infrastructure;

/// <summary>
/// Development convenience: with <c>Proxmox:Emulator:Enabled=true</c> the service hosts the bundled Proxmox VE
/// emulator on a loopback HTTPS port and points the gateway at it (API token + certificate fingerprint pinning,
/// the production wiring). Refused in Production.
/// </summary>
internal static partial class BundledEmulator
{
    public static async Task<ProxmoxEmulatorServer?> StartIfEnabledAsync(WebApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue<bool>("Proxmox:Emulator:Enabled"))
        {
            return null;
        }

        if (builder.Environment.IsProduction())
        {
            throw new InvalidOperationException(
                "Proxmox:Emulator:Enabled=true is refused in Production: configure a real cluster (Proxmox:BaseUrl and credentials).");
        }

        var options = EmulatorOptions.DefaultSeed();
        if (builder.Configuration.GetValue<TimeSpan?>("Proxmox:Emulator:TaskDuration") is { } duration)
        {
            options.DefaultTaskDuration = duration;
        }

        var server = await ProxmoxEmulatorServer.StartAsync(options);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Proxmox:BaseUrl"] = server.BaseUrl.ToString(),
            ["Proxmox:TokenId"] = EmulatorOptions.DefaultTokenId,
            ["Proxmox:TokenSecret"] = EmulatorOptions.DefaultTokenSecret,
            ["Proxmox:Username"] = null,
            ["Proxmox:Password"] = null,
            ["Proxmox:CertificateFingerprint"] = server.CertificateFingerprint,
            ["Proxmox:SkipCertificateValidation"] = "false",
        });
        builder.Services.AddSingleton(server);
        builder.Services.AddHostedService<EmulatorLifetime>();
        await Console.Out.WriteLineAsync(
            $"Proxmox VE emulator: {server.BaseUrl} (certificate SHA-256 {server.CertificateFingerprint}); the gateway is pointed at it.");
        return server;
    }

    /// <summary>Stops the emulator when the service stops.</summary>
    private sealed class EmulatorLifetime(ProxmoxEmulatorServer server) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StopAsync(CancellationToken cancellationToken) => await server.DisposeAsync();
    }
}
