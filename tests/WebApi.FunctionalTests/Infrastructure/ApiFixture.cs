namespace ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

/// <summary>
/// A fixture with an API instance of its own (database and emulator included), shared by its tests and disposed when
/// they have run. NUnit runs this base's one-time set-up before a derived fixture's (which seeds and creates clients)
/// and its tear-down after the derived one's. Override <see cref="CreateFactory"/> for other options or settings.
/// </summary>
public abstract class ApiFixture
{
    private ApiFactory? _factory;

    protected ApiFactory Factory => _factory ?? throw new InvalidOperationException("The fixture has not started.");

    [OneTimeSetUp]
    public void CreateApi() => _factory = CreateFactory();

    [OneTimeTearDown]
    public async Task StopApiAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    protected virtual ApiFactory CreateFactory() => new();
}
