namespace ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

/// <summary>
/// A fixture with an API instance of its own (database and emulator included), shared by its tests and disposed
/// when they have run. Override <see cref="CreateFactory"/> for other options or settings.
/// </summary>
public abstract class ApiFixture
{
    private ApiFactory? _factory;

    protected ApiFactory Factory => _factory ?? throw new InvalidOperationException("The fixture has not started.");

    [OneTimeSetUp]
    public async Task StartApiAsync()
    {
        _factory = CreateFactory();
        await OnStartedAsync();
    }

    [OneTimeTearDown]
    public async Task StopApiAsync()
    {
        await OnStoppingAsync();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    protected virtual ApiFactory CreateFactory() => new();

    /// <summary>Seeding and shared clients, once the factory exists.</summary>
    protected virtual Task OnStartedAsync() => Task.CompletedTask;

    /// <summary>Releases what <see cref="OnStartedAsync"/> created, before the factory goes.</summary>
    protected virtual Task OnStoppingAsync() => Task.CompletedTask;
}
