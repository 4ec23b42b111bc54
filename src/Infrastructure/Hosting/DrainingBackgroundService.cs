using Microsoft.Extensions.Hosting;

namespace ProxmoxLxc.Infrastructure.Hosting;

/// <summary>
/// A background service whose stop still has work to do after its loop ended: writing what it holds in memory (queued
/// rows, pending values). That work runs once, however often <see cref="StopAsync"/> is called, and every call returns
/// only when it is done. A host can be stopped twice at the same time — <c>WebApplicationFactory</c> stops it while the
/// entry point's own <c>RunAsync</c> stops it again when the application begins stopping — and a second call that saw
/// nothing left to write and returned at once would let its caller dispose the host, or read the database, while the
/// first call's last write is still on its way.
/// </summary>
internal abstract class DrainingBackgroundService : BackgroundService
{
    private readonly Lock _gate = new();
    private Task? _stopping;

    /// <summary>Starts the stop on the first call (with that call's token); every call awaits the same stop.</summary>
    public sealed override Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _stopping ??= StopOnceAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The stop, run once: ends the loop with <see cref="StopLoopAsync"/> and writes what is left.
    /// </summary>
    protected abstract Task StopOnceAsync(CancellationToken cancellationToken);

    /// <summary>Cancels <see cref="BackgroundService.ExecuteAsync"/> and waits for it (or for <paramref name="cancellationToken"/>).</summary>
    protected Task StopLoopAsync(CancellationToken cancellationToken) => base.StopAsync(cancellationToken);
}
