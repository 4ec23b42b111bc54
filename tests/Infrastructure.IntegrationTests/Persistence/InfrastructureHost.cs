using ProxmoxLxc.Application;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Moq;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Persistence;

/// <summary>The real infrastructure registrations on a fresh SQLite file, migrated by the real initializer.</summary>
internal sealed class InfrastructureHost : IAsyncDisposable
{
    public const string AdminKey = "pxl_BootAdmin001_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "proxmoxlxc-infra-tests", Guid.NewGuid().ToString("N"));

    private InfrastructureHost(CallerIdentity? caller, TimeProvider? time)
    {
        Directory.CreateDirectory(_folder);
        DatabasePath = Path.Combine(_folder, "test.db");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Default"] = ConnectionString,
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

        services.AddInfrastructure(configuration, _folder);
        // The task follower (a hosted service) needs a gateway; these tests never reach Proxmox.
        services.AddSingleton(new Mock<ProxmoxLxc.Application.Common.Proxmox.IProxmoxGateway>(MockBehavior.Strict).Object);
        var currentCaller = new Mock<ICurrentCaller>();
        currentCaller.SetupGet(c => c.Caller).Returns(caller);
        services.TryAddScoped(_ => currentCaller.Object);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public string DatabasePath { get; }

    public string ConnectionString => $"Data Source={DatabasePath};Pooling=False";

    public ServiceProvider Services { get; }

    public T HostedService<T>() where T : IHostedService => Services.GetServices<IHostedService>().OfType<T>().Single();

    public AppDbContext NewContext() => new(DbContextOptionsFactory.Create(DatabaseProvider.Sqlite, ConnectionString));

    public static async Task<InfrastructureHost> StartAsync(CallerIdentity? caller = null, TimeProvider? time = null)
    {
        var host = new InfrastructureHost(caller, time);
        await host.HostedService<DatabaseInitializer>().StartAsync(CancellationToken.None);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp file is harmless.
        }
    }
}

internal sealed class ManualTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
