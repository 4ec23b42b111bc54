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
/// Runs before the server accepts requests: applies migrations, then seeds the first admin key when the
/// key table is empty — from <c>Bootstrap:AdminKey</c>, or generated and printed once to the console. Instances starting
/// at once on one PostgreSQL database do this one after the other (<see cref="StartupLock"/>).
/// </summary>
internal sealed partial class DatabaseInitializer(
    IServiceScopeFactory scopes,
    IOptions<DatabaseOptions> options,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public const string BootstrapKeyName = "bootstrap-admin";

    public async Task StartAsync(CancellationToken cancellationToken)
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

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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
