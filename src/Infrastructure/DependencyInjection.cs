using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Infrastructure.Leasing;
using ProxmoxLxc.Infrastructure.Events;
using ProxmoxLxc.Infrastructure.Operations;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.Infrastructure.Redis;
using ProxmoxLxc.Infrastructure.Security;
using ProxmoxLxc.Infrastructure.Webhooks;

namespace ProxmoxLxc.Infrastructure;

public static class DependencyInjection
{
    /// <summary>Persistence (provider by configuration), API-key security and the operation log.</summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.SectionName));
        var provider = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>()?.Provider ?? DatabaseProvider.Sqlite;
        var connectionString = ResolveConnectionString(configuration, provider, contentRoot);

        services.AddDbContextFactory<AppDbContext>(o => DbContextOptionsFactory.Configure(o, provider, connectionString));
        services.AddScoped<IApplicationDbContext>(sp => sp.GetRequiredService<AppDbContext>());
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IApiKeySecrets, ApiKeySecrets>();
        services.AddSingleton<LastUsedTracker>();
        services.AddSingleton<ApiKeyCache>();
        services.AddOptions<KeyCacheOptions>().Bind(configuration.GetSection(KeyCacheOptions.SectionName))
            .Validate(o => o.ChangePollInterval > TimeSpan.Zero, "KeyCache:ChangePollInterval must be positive.")
            .ValidateOnStart();
        services.AddSingleton<IApiKeyCache>(sp => sp.GetRequiredService<ApiKeyCache>());
        services.AddSingleton<IApiKeyAuthenticator, ApiKeyAuthenticator>();
        services.AddOptions<InstanceOptions>().Bind(configuration.GetSection(InstanceOptions.SectionName));
        services.AddSingleton<InstanceIdentity>();
        services.AddOptions<LeaseOptions>().Bind(configuration.GetSection(LeaseOptions.SectionName))
            .Validate(o => o.IsValid(), "Leases:RenewInterval must be positive and at most half of Leases:Duration.")
            .ValidateOnStart();
        services.AddSingleton<RowLeases>();
        services.AddSingleton<OperationLogBuffer>();
        services.AddSingleton<OperationTaskHandoff>();
        services.AddOptions<Application.Operations.OperationTrackingOptions>()
            .Bind(configuration.GetSection(Application.Operations.OperationTrackingOptions.SectionName));
        services.AddSingleton<OperationLogStore>();
        services.AddSingleton<IOperationLogStore>(sp => sp.GetRequiredService<OperationLogStore>());
        services.AddSingleton<OperationReconciler>();
        services.AddSingleton<IdempotencyClaims>();
        services.AddSingleton<IIdempotencyClaims>(sp => sp.GetRequiredService<IdempotencyClaims>());
        services.AddOptions<Application.Events.EventOptions>().Bind(configuration.GetSection(Application.Events.EventOptions.SectionName));
        services.AddSingleton<EventSignal>();
        services.AddSingleton<IEventLog, EventLog>();
        services.AddSingleton<Proxmox.IInventoryObserver, ContainerStateRecorder>();
        services.AddMetrics();
        services.AddSingleton<OperationMetrics>();
        services.TryAddScoped<IRequestContext, BackgroundRequestContext>();
        AddWebhooks(services, configuration, contentRoot);

        // Order matters: hosted services start in this order and stop in reverse, after the web server. The database
        // initializer's work runs in the background from the start (the web server starts meanwhile); the services after
        // it that use the database on their own wait for it (DatabaseBackgroundService), and requests wait at the web
        // server's start-up gate. The two draining writers only write what requests queued.
        services.AddSingleton<DatabaseInitializer>();
        services.AddSingleton<IDatabaseStartup>(sp => sp.GetRequiredService<DatabaseInitializer>());
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseInitializer>());
        services.AddHostedService<OperationLogWriter>();
        services.AddHostedService<OperationTaskFollower>();
        services.AddHostedService<BatchResumer>();
        services.AddHostedService<LastUsedFlusher>();
        services.AddHostedService<KeyChangeWatcher>();
        services.AddSharedRedis(configuration);
        services.AddHostedService<EventPruner>();
        services.AddHostedService<InventoryPoller>();
        services.AddHostedService<WebhookDispatcher>();
        return services;
    }

    /// <summary>
    /// With <c>RateLimiting:Redis</c>: the Redis connection (started with the host), the shared rate-limit windows and
    /// the <c>redis</c> readiness entry, which reports <see cref="Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded"/>
    /// (never unhealthy) while Redis is unreachable.
    /// </summary>
    private static void AddSharedRedis(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(RedisOptions.SectionName);
        services.AddOptions<RedisOptions>().Bind(section);
        if (section.Get<RedisOptions>() is not { Enabled: true })
        {
            return;
        }

        services.AddSingleton<RedisConnection>();
        services.AddHostedService(sp => sp.GetRequiredService<RedisConnection>());
        services.AddSingleton<RedisFixedWindow>();
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, ["ready"]);
    }

    private static void AddWebhooks(IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.SectionName));
        var keyFile = configuration.GetSection(WebhookOptions.SectionName).Get<WebhookOptions>()?.KeyFile;
        services.AddSingleton(new WebhookKeyFile(string.IsNullOrWhiteSpace(keyFile) ? Path.Combine(contentRoot, "data", "webhooks.key") : keyFile));
        services.AddSingleton<IWebhookSecretProtector, WebhookSecretProtector>();
        services.AddSingleton<WebhookTargetRules>();
        services.AddSingleton<IWebhookUrlPolicy, WebhookUrlPolicy>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookDispatchSignal>();
        services.AddSingleton<IWebhookDispatchSignal>(sp => sp.GetRequiredService<WebhookDispatchSignal>());
        services.AddSingleton<WebhookEventFeed>();
    }

    /// <summary><c>ConnectionStrings:Default</c>, or for SQLite a file under the app's <c>data</c> folder.</summary>
    public static string ResolveConnectionString(IConfiguration configuration, DatabaseProvider provider, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration.GetConnectionString("Default");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        if (provider != DatabaseProvider.Sqlite)
        {
            throw new InvalidOperationException($"Database:Provider is {provider} but ConnectionStrings:Default is not set.");
        }

        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(contentRoot, "data", "proxmoxlxc.db"),
            Cache = SqliteCacheMode.Default,
        }.ToString();
    }

    /// <summary>
    /// Starts the database's start-up work (<see cref="DatabaseInitializer"/>) now, on another thread, rather than when
    /// the host starts: the entry point calls it as soon as the host is built, so the work overlaps with mapping the
    /// endpoints and starting the other services.
    /// </summary>
    public static void BeginDatabaseStartup(this IServiceProvider services) =>
        _ = services.GetRequiredService<DatabaseInitializer>().Begin();

    /// <summary>Applies pending migrations (used by command-line verbs; the service does it at start-up).</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (db.Database.IsSqlite())
        {
            DbContextOptionsFactory.EnsureSqliteFolder(db.Database.GetConnectionString() ?? string.Empty);
        }

        // Takes its turn with instances starting on the same database.
        await using var turn = await StartupLock.AcquireAsync(db, cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }
}
