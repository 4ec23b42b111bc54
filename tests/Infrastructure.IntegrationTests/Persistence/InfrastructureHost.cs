using ProxmoxLxc.Application;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Moq;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.TestDatabases;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Persistence;

/// <summary>The real infrastructure registrations on a fresh database of one provider, migrated by the real initializer.</summary>
internal sealed class InfrastructureHost : IAsyncDisposable
{
    public const string AdminKey = "pxl_BootAdmin001_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

    private readonly TestDatabase _database;
    private readonly bool _ownsDatabase;

    private InfrastructureHost(TestDatabase database, bool ownsDatabase, CallerIdentity? caller, TimeProvider? time,
        Action<IServiceCollection>? configure = null)
    {
        _database = database;
        _ownsDatabase = ownsDatabase;
        var provider = database.Provider;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider.ToString(),
            ["ConnectionStrings:Default"] = _database.ConnectionString,
            ["Bootstrap:AdminKey"] = AdminKey,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddApplication(); // the operation recorder; first, so that a given clock replaces the system one
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddInfrastructure(configuration, Path.GetTempPath());
        // The task follower and the reconciler (hosted services) need a gateway and the inventory; these tests never reach Proxmox.
        services.AddSingleton(new Mock<ProxmoxLxc.Application.Common.Proxmox.IProxmoxGateway>(MockBehavior.Strict).Object);
        services.AddSingleton(new Mock<ProxmoxLxc.Application.Common.Proxmox.IClusterInventory>(MockBehavior.Strict).Object);
        var currentCaller = new Mock<ICurrentCaller>();
        currentCaller.SetupGet(c => c.Caller).Returns(caller);
        services.TryAddScoped(_ => currentCaller.Object);
        configure?.Invoke(services);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public ServiceProvider Services { get; }

    public T HostedService<T>() where T : IHostedService => Services.GetServices<IHostedService>().OfType<T>().Single();

    public AppDbContext NewContext() => _database.NewContext();

    /// <summary>
    /// A host on a database the test owns (several hosts may share it, like instances of the service), with
    /// <paramref name="configure"/> adding test services; not started: <see cref="InitializeAsync"/> migrates and seeds.
    /// </summary>
    public static InfrastructureHost On(TestDatabase database, Action<IServiceCollection>? configure = null) =>
        new(database, ownsDatabase: false, caller: null, time: null, configure);

    /// <summary>What the service does before it accepts requests: migrations and the bootstrap key.</summary>
    public Task InitializeAsync() => HostedService<DatabaseInitializer>().Begin();

    public static async Task<InfrastructureHost> StartAsync(DatabaseProvider provider, CallerIdentity? caller = null, TimeProvider? time = null)
    {
        var host = new InfrastructureHost(TestDatabase.Create(provider), ownsDatabase: true, caller, time);
        try
        {
            await host.InitializeAsync();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (_ownsDatabase)
        {
            _database.Dispose();
        }
    }
}

/// <summary>
/// A persistence fixture that runs once per database provider (SQLite and PostgreSQL): the same test code proves the
/// provider-specific translation of every query it exercises.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public abstract class ProviderMatrixFixture(DatabaseProvider provider)
{
    protected DatabaseProvider Provider { get; } = provider;

    internal Task<InfrastructureHost> StartHostAsync(CallerIdentity? caller = null, TimeProvider? time = null) =>
        InfrastructureHost.StartAsync(Provider, caller, time);
}

internal static class TestCallers
{
    /// <summary>An unrestricted admin caller, for handlers that scope what they return by the current caller.</summary>
    public static ICurrentCaller Admin()
    {
        var caller = new Mock<ICurrentCaller>();
        caller.SetupGet(c => c.Caller).Returns(new CallerIdentity("testAdmin001", "admin",
            ProxmoxLxc.Domain.ApiKeys.Scopes.Expand([ProxmoxLxc.Domain.ApiKeys.Scopes.Admin]), ProxmoxLxc.Domain.ApiKeys.KeyRestriction.None));
        return caller.Object;
    }
}

internal sealed class ManualTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
