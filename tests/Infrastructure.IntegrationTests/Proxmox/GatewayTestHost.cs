using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Infrastructure.Proxmox;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Proxmox;

/// <summary>Builds the gateway exactly as production does (AddProxmoxGateway), optionally with a fake primary handler.</summary>
internal sealed class GatewayTestHost : IDisposable
{
    private GatewayTestHost(ServiceProvider provider) => Provider = provider;

    public ServiceProvider Provider { get; }

    public IProxmoxGateway Gateway => Provider.GetRequiredService<IProxmoxGateway>();

    public static Dictionary<string, string?> FastSettings(string baseUrl = "https://pve.test:8006") => new()
    {
        ["Proxmox:BaseUrl"] = baseUrl,
        ["Proxmox:TokenId"] = "root@pam!ci",
        ["Proxmox:TokenSecret"] = "11111111-2222-3333-4444-555555555555",
        ["Proxmox:AttemptTimeout"] = "00:00:05",
        ["Proxmox:ReadTimeoutSeconds"] = "20",
        ["Proxmox:DispatchTimeoutSeconds"] = "20",
        ["Proxmox:MaxRetries"] = "3",
        ["Proxmox:RetryBaseDelay"] = "00:00:00.010",
        ["Proxmox:RetryMaxDelay"] = "00:00:00.050",
        ["Proxmox:BreakerMinimumThroughput"] = "100",
        ["Proxmox:TaskPollInitialDelay"] = "00:00:00.020",
        ["Proxmox:TaskPollMaxDelay"] = "00:00:00.100",
    };

    public static GatewayTestHost Create(Dictionary<string, string?> settings, HttpMessageHandler? primaryHandler = null, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddProxmoxGateway(configuration);
        if (primaryHandler is not null)
        {
            services.AddHttpClient(ProxmoxApiClient.HttpClientName)
                .ConfigurePrimaryHttpMessageHandler(() => primaryHandler);
        }

        configure?.Invoke(services);
        return new GatewayTestHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
    }

    public static GatewayTestHost Create(Func<FakeProxmoxHandler.Recorded, HttpResponseMessage> responder, out FakeProxmoxHandler handler,
        Action<Dictionary<string, string?>>? tweak = null)
    {
        handler = new FakeProxmoxHandler(responder);
        var settings = FastSettings();
        tweak?.Invoke(settings);
        return Create(settings, handler);
    }

    public void Dispose() => Provider.Dispose();
}
