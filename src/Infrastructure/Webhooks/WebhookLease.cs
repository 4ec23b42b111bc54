using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Webhooks;

/// <summary>
/// One instance at a time delivers to a webhook: the row is claimed by a conditional UPDATE (free, expired, or
/// already mine — one row affected means it is mine), renewed before each attempt and released when done. An instance
/// that dies leaves its lease to expire.
/// </summary>
internal static class WebhookLease
{
    public static async Task<bool> ClaimAsync(AppDbContext db, string webhookId, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        var until = now + duration;
        var rows = await db.Webhooks
            .Where(w => w.Id == webhookId && (w.LeaseUntil == null || w.LeaseUntil < now || w.LeaseOwner == owner))
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.LeaseOwner, owner).SetProperty(w => w.LeaseUntil, (DateTimeOffset?)until), cancellationToken);
        return rows == 1;
    }

    public static async Task<bool> RenewAsync(AppDbContext db, string webhookId, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        var until = now + duration;
        var rows = await db.Webhooks
            .Where(w => w.Id == webhookId && w.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.LeaseUntil, (DateTimeOffset?)until), cancellationToken);
        return rows == 1;
    }

    public static Task ReleaseAsync(AppDbContext db, string webhookId, string owner, CancellationToken cancellationToken) =>
        db.Webhooks
            .Where(w => w.Id == webhookId && w.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.LeaseOwner, (string?)null).SetProperty(w => w.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
}
