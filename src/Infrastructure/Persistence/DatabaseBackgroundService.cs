using Microsoft.Extensions.Hosting;
using ProxmoxLxc.Application.Common.Interfaces;

namespace ProxmoxLxc.Infrastructure.Persistence;

/// <summary>
/// A background service that uses the database on its own (a scan or a timer, not only what requests queue): its work
/// starts once <see cref="DatabaseInitializer"/> has migrated and seeded the database, which runs while the host starts,
/// and not at all when that failed (the host's start fails with it).
/// </summary>
internal abstract class DatabaseBackgroundService(IDatabaseStartup database) : BackgroundService
{
    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        bool ready;
        try
        {
            ready = await database.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        if (ready)
        {
            await RunAsync(stoppingToken);
        }
    }

    /// <summary>The service's work, once the database is ready.</summary>
    protected abstract Task RunAsync(CancellationToken stoppingToken);
}
