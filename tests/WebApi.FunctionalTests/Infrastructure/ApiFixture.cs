using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

/// <summary>
/// A fixture with an API instance of its own (database and emulator included), shared by its tests and disposed when
/// they have run. NUnit runs this base's one-time set-up before a derived fixture's (which seeds and creates clients)
/// and its tear-down after the derived one's. Override <see cref="CreateFactory"/> for other options or settings.
/// A provider-matrix fixture (an NUnit fixture source over <see cref="TestDatabase.Providers"/>) passes the
/// <paramref name="provider"/> it got: its instance runs on that database.
/// </summary>
public abstract class ApiFixture(DatabaseProvider provider = DatabaseProvider.Sqlite)
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

    /// <summary>The database provider of this fixture's instance.</summary>
    protected DatabaseProvider Provider => provider;

    protected virtual ApiFactory CreateFactory() => new(new() { Database = TestDatabase.Create(provider) });
}
