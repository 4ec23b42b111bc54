using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Interfaces;

namespace ProxmoxLxc.Infrastructure.Persistence;

/// <summary>
/// <c>database</c> readiness: can the service record a call right now? SQLite: takes and releases the write lock
/// (<c>BEGIN IMMEDIATE</c>), so a file locked by another writer reports unhealthy, not only a missing file; a server
/// database: connects. Bounded by <see cref="DatabaseOptions.RowWriteTimeoutSeconds"/>. Unhealthy without asking the
/// database while its start-up work (migrations, the bootstrap key) is still running.
/// </summary>
internal sealed class DatabaseHealthCheck(
    IDbContextFactory<AppDbContext> dbFactory, IOptions<DatabaseOptions> options, IDatabaseStartup startup) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!startup.IsReady)
        {
            return HealthCheckResult.Unhealthy("The database is being migrated and seeded (start-up).");
        }

        var timeout = TimeSpan.FromSeconds(options.Value.RowWriteTimeoutSeconds);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout + timeout);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(bound.Token);
            DbContextOptionsFactory.LimitWaits(db.Database, timeout);
            return await DatabaseProbe.CanWriteAsync(db, bound.Token)
                ? HealthCheckResult.Healthy("The database accepts writes.")
                : HealthCheckResult.Unhealthy("The database refuses connections.");
        }
        catch (OperationCanceledException ex) when (bound.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The database did not answer in time.", ex);
        }
        catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
        {
            return HealthCheckResult.Unhealthy("The database is unavailable (locked by another writer, down or refusing).", ex);
        }
    }
}
