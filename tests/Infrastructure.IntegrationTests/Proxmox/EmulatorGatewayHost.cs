using Microsoft.Extensions.DependencyInjection;
using ProxmoxEmulator;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Proxmox;

/// <summary>A clock tests can move forward (shared shape for the emulator and the gateway).</summary>
internal sealed class ShiftableTimeProvider : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}

/// <summary>One emulator over real HTTPS on loopback plus a gateway wired by AddProxmoxGateway.</summary>
internal sealed class EmulatorGatewayHost : IAsyncDisposable
{
    private EmulatorGatewayHost(ProxmoxEmulatorServer server, GatewayTestHost gateway)
    {
        Server = server;
        Host = gateway;
    }

    public ProxmoxEmulatorServer Server { get; }

    public GatewayTestHost Host { get; }

    public IProxmoxGateway Gateway => Host.Gateway;

    public static async Task<EmulatorGatewayHost> StartAsync(
        EmulatorOptions? emulatorOptions = null,
        Action<Dictionary<string, string?>, ProxmoxEmulatorServer>? tweak = null,
        Action<IServiceCollection>? configure = null)
    {
        var server = await ProxmoxEmulatorServer.StartAsync(emulatorOptions ?? EmulatorOptions.DefaultSeed());
        var settings = GatewayTestHost.FastSettings(server.BaseUrl.ToString().TrimEnd('/'));
        settings["Proxmox:TokenId"] = EmulatorOptions.DefaultTokenId;
        settings["Proxmox:TokenSecret"] = EmulatorOptions.DefaultTokenSecret;
        settings["Proxmox:CertificateFingerprint"] = server.CertificateFingerprint;
        tweak?.Invoke(settings, server);
        return new EmulatorGatewayHost(server, GatewayTestHost.Create(settings, null, configure));
    }

    public static void UseTicketAuth(Dictionary<string, string?> settings)
    {
        settings.Remove("Proxmox:TokenId");
        settings.Remove("Proxmox:TokenSecret");
        settings["Proxmox:Username"] = "root@pam";
        settings["Proxmox:Password"] = EmulatorOptions.DefaultPassword;
    }

    public async ValueTask DisposeAsync()
    {
        Host.Dispose();
        await Server.DisposeAsync();
    }
}
