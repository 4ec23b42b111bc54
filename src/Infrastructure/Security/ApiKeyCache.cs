using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.ApiKeys;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Security;

/// <summary>
/// <see cref="IApiKeyCache"/>: key id → the stored key and the caller identity it grants. Only keys that exist are
/// cached (an unknown id cannot fill it). A load that raced with an invalidation is not stored: every invalidation
/// bumps a generation, and a load is stored only when the generation is the one seen before it.
/// Changes made outside this instance's handlers (another instance, the CLI) drop the whole cache within about a
/// second: <see cref="KeyChangeWatcher"/> polls the <see cref="KeyChangeStamp"/> and calls <see cref="InvalidateAll"/>.
/// Entries also expire after <see cref="MaxEntryAge"/> — the bound while the stamp cannot be read; one database read
/// per key and period, off the hot path.
/// </summary>
internal sealed class ApiKeyCache(IDbContextFactory<AppDbContext> dbFactory) : IApiKeyCache
{
    private readonly ConcurrentDictionary<string, CachedKey> _entries = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();
    private long _generation;

    /// <summary>Oldest entry used (real time, not the application clock).</summary>
    public static readonly TimeSpan MaxEntryAge = TimeSpan.FromSeconds(10);

    /// <summary>Bumped by every invalidation; a load is stored only when it is unchanged since before the load.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>The entry of <paramref name="keyId"/>: cached, else read from the database (and cached); null when no key has this id.</summary>
    public async ValueTask<CachedKey?> GetAsync(string keyId, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(keyId, out var entry) && Environment.TickCount64 - entry.LoadedAtTicks < (long)MaxEntryAge.TotalMilliseconds)
        {
            return entry;
        }

        var generation = Generation;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == keyId, cancellationToken);
        if (key is null)
        {
            return null;
        }

        entry = new CachedKey(key, CallerIdentity.Of(key), Environment.TickCount64);
        lock (_sync)
        {
            if (_generation == generation)
            {
                _entries[keyId] = entry;
            }
        }

        return entry;
    }

    public async ValueTask<ApiKey?> FindAsync(string keyId, CancellationToken cancellationToken) =>
        (await GetAsync(keyId, cancellationToken))?.Key;

    public void Invalidate(string keyId)
    {
        lock (_sync)
        {
            _generation++;
            _entries.TryRemove(keyId, out _);
        }
    }

    public void InvalidateAll()
    {
        lock (_sync)
        {
            _generation++;
            _entries.Clear();
        }
    }
}

/// <summary>A stored key (detached, never changed), the identity it grants (built once) and when it was read (<see cref="Environment.TickCount64"/>).</summary>
internal sealed record CachedKey(ApiKey Key, CallerIdentity Caller, long LoadedAtTicks);
