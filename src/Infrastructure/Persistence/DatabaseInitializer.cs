using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.ApiKeys;

namespace ProxmoxLxc.Infrastructure.Persistence;

/// <summary>
/// The database's start-up work: applies migrations, then seeds the first admin key when the key table is empty — from
/// <c>Bootstrap:AdminKey</c>, or generated and printed once to the console. Instances starting at once on one PostgreSQL
/// database do this one after the other (<see cref="StartupLock"/>).
/// </summary>
/// <remarks>
/// The work runs in the background from <see cref="Begin"/> — called as soon as the host is built, or at the latest when
/// the host starts — so that the web server and the other services start meanwhile, on the other core, instead of after
/// it. What uses the database before the work is done waits for it (<see cref="IDatabaseStartup"/>): the background
/// services through <see cref="DatabaseBackgroundService"/>, requests at the web server's start-up gate, the
/// <c>database</c> readiness entry reports unhealthy until then. The host's start completes only once the work is done
/// (<see cref="StartedAsync"/>), and fails with it.
/// </remarks>
internal sealed partial class DatabaseInitializer(
    IServiceScopeFactory scopes,
    IOptions<DatabaseOptions> options,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<DatabaseInitializer> logger) : IHostedLifecycleService, IDatabaseStartup, IDisposable
{
    public const string BootstrapKeyName = "bootstrap-admin";

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource<bool> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _work;

    public bool IsReady => _done.Task is { IsCompletedSuccessfully: true, Result: true };

    public Task<bool> WaitAsync(CancellationToken cancellationToken) => _done.Task.WaitAsync(cancellationToken);

    /// <summary>Starts the work in the background unless it started already; the task it returns ends with the work.</summary>
    public Task Begin()
    {
        lock (_gate)
        {
            return _work ??= Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _ = Begin();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The host has started every service and the web server: its start completes (or fails) with the work.</summary>
    public Task StartedAsync(CancellationToken cancellationToken) => Begin().WaitAsync(cancellationToken);

    /// <summary>A stop while the work runs cancels it and waits for it to end (a migration rolls back its transaction).</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        Task? work;
        lock (_gate)
        {
            work = _work;
        }

        if (work is not null)
        {
            await work.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _stopping.Dispose();

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await InitializeAsync(cancellationToken);
        }
        catch
        {
            _done.TrySetResult(false);
            throw;
        }

        _done.TrySetResult(true);
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // Instances starting together on one server database take turns: one migrates and seeds, the others find it done.
        await using var turn = await StartupLock.AcquireAsync(db, cancellationToken);
        if (options.Value.MigrateOnStartup)
        {
            if (db.Database.IsSqlite())
            {
                DbContextOptionsFactory.EnsureSqliteFolder(db.Database.GetConnectionString() ?? string.Empty);
            }

            await db.Database.MigrateAsync(cancellationToken);
        }

        await BootstrapAdminKeyAsync(db, scope.ServiceProvider.GetRequiredService<IApiKeySecrets>(), cancellationToken);
    }

    private async Task BootstrapAdminKeyAsync(AppDbContext db, IApiKeySecrets secrets, CancellationToken ct)
    {
        if (await db.ApiKeys.AnyAsync(ct))
        {
            return;
        }

        var configured = configuration["Bootstrap:AdminKey"];
        GeneratedApiKey key;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!secrets.TryParse(configured.Trim(), out var keyId, out var secret))
            {
                throw new InvalidOperationException("Bootstrap:AdminKey is not a valid key (expected pxl_<12 base62>_<43 base62>).");
            }

            key = new GeneratedApiKey(keyId, configured.Trim(), secrets.Hash(secret));
        }
        else
        {
            key = secrets.Generate();
        }

        db.ApiKeys.Add(ApiKey.Issue(key.KeyId, BootstrapKeyName, key.SecretHash, [Scopes.Admin], KeyRestriction.None,
            expiresAt: null, time.GetUtcNow(), createdBy: "bootstrap"));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another instance starting on the same empty database seeded the configured key first.
            db.ChangeTracker.Clear();
            if (!await db.ApiKeys.AnyAsync(ct))
            {
                throw;
            }

            LogSeededElsewhere(logger);
            return;
        }

        if (string.IsNullOrWhiteSpace(configured))
        {
            // Printed to the console once, on purpose, and never to the log pipeline.
            await Console.Out.WriteLineAsync(
                $"""

                 ================================================================
                  ProxmoxLxc: no API key existed, so an admin key was created.
                  It is shown only now; store it safely:

                    X-API-Key: {key.Plaintext}

                 ================================================================

                """);
        }

        LogBootstrapped(logger, key.KeyId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created the bootstrap admin key {KeyId}.")]
    private static partial void LogBootstrapped(ILogger logger, string keyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "The bootstrap admin key was seeded by another instance starting at the same time.")]
    private static partial void LogSeededElsewhere(ILogger logger);
}
