using ProxmoxLxc.Client;

namespace ProxmoxLxc.EndToEnd.Tests.Support;

/// <summary>
/// A fixture with a service process of its own (bundled emulator) on the given database provider
/// (<see cref="ServiceProcess.Providers"/>), started once and stopped after its tests.
/// </summary>
public abstract class ServiceFixture(string provider = ServiceProcess.Sqlite)
{
    private ServiceProcess? _service;
    private ProxmoxLxcClientFactory? _admin;

    protected ServiceProcess Service => _service ?? throw new InvalidOperationException("The service has not started.");

    /// <summary>Clients that send the bootstrap admin key (created on first use, disposed with the fixture).</summary>
    protected ProxmoxLxcClientFactory Admin => _admin ??= Service.Clients();

    [OneTimeSetUp]
    public async Task StartServiceAsync() => _service = await ServiceProcess.StartAsync(provider);

    [OneTimeTearDown]
    public async Task StopServiceAsync()
    {
        _admin?.Dispose();
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }
}
