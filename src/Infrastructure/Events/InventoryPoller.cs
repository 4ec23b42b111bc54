using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Application.Events;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Events;

/// <summary>
/// Keeps the inventory view from going stale while nobody reads it, so a container changed outside this API is seen
/// (and its <c>container.state</c> event recorded, <see cref="ContainerStateRecorder"/>) within about
/// <see cref="EventOptions.InventoryPollSeconds"/> plus <c>Proxmox:InventoryMaxAgeSeconds</c>: every interval it reads the
/// view, which refreshes only when older than the maximum age — reads by requests in between make it cost nothing.
/// 0 turns it off (changes are then seen on the next read that refreshes the view). Proxmox being away is logged once
/// and retried at the next interval.
/// </summary>
internal sealed partial class InventoryPoller(
    IClusterInventory inventory, IOptions<EventOptions> options, TimeProvider time, ILogger<InventoryPoller> logger, IDatabaseStartup database) : DatabaseBackgroundService(database)
{
    private bool _failing;

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        if (options.Value.InventoryPollSeconds <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.InventoryPollSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await PollAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        try
        {
            await inventory.GetAsync(cancellationToken);
            _failing = false;
        }
#pragma warning disable CA1031 // Any failure of Proxmox (unreachable, 5xx, timeout) is retried at the next interval.
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            if (!_failing)
            {
                _failing = true;
                LogPollFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing the inventory view in the background failed; retrying at the next interval.")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);
}
