using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Security;

/// <summary>
/// A key by id through <see cref="ApiKeyCache"/>: the database only on a miss (first use, after a change made here,
/// after <see cref="KeyChangeWatcher"/> saw a change made elsewhere, or once an entry is too old). Authentication and
/// the webhook dispatcher (is a webhook's owner key still active, what may it see) read keys this way.
/// </summary>
internal sealed class CachedKeys(IDbContextFactory<AppDbContext> dbFactory, ApiKeyCache cache)
{
    /// <summary>The key and the identity it grants; null when no key has this id.</summary>
    public async ValueTask<CachedKey?> GetAsync(string keyId, CancellationToken cancellationToken)
    {
        if (cache.TryGet(keyId, out var entry))
        {
            return entry;
        }

        var generation = cache.Generation;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == keyId, cancellationToken);
        if (key is null)
        {
            return null;
        }

        entry = new CachedKey(key, CallerIdentity.Of(key), Environment.TickCount64);
        cache.Store(keyId, entry, generation);
        return entry;
    }
}
