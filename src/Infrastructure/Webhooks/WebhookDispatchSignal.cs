using ProxmoxLxc.Application.Common.Interfaces;

namespace ProxmoxLxc.Infrastructure.Webhooks;

/// <summary>Wakes this instance's dispatcher (a queued test message, a re-enabled webhook, a new event) instead of waiting for its poll.</summary>
internal sealed class WebhookDispatchSignal : IWebhookDispatchSignal, IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}
