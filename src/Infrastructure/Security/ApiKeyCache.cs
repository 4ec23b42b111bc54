using System.Collections.Concurrent;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.ApiKeys;

namespace ProxmoxLxc.Infrastructure.Security;

/// <summary>
/// <see cref="IApiKeyCache"/>: key id → the stored key and the caller identity it grants. Only keys that exist are
/// cached (an unknown id cannot fill it). A load that raced with an invalidation is not stored: every invalidation
/// bumps a generation, and <see cref="Store"/> keeps an entry only when the generation is the one seen before the load.
/// Entries also expire after <see cref="MaxEntryAge"/>, which bounds how long a change made outside this instance's
/// handlers (the CLI, another instance) goes unseen — one database read per key and period, off the hot path.
/// Cross-instance invalidation plugs in by calling <see cref="Invalidate"/> / <see cref="InvalidateAll"/> from a
/// listener (a version stamp polled from the database, or a Redis channel).
/// </summary>
internal sealed class ApiKeyCache : IApiKeyCache
{
    private readonly ConcurrentDictionary<string, CachedKey> _entries = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();
    private long _generation;

    /// <summary>Oldest entry used (real time, not the application clock).</summary>
    public static readonly TimeSpan MaxEntryAge = TimeSpan.FromSeconds(10);

    /// <summary>Read before loading from the database; pass it to <see cref="Store"/>.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string keyId, out CachedKey entry) =>
        _entries.TryGetValue(keyId, out entry!) && Environment.TickCount64 - entry.LoadedAtTicks < (long)MaxEntryAge.TotalMilliseconds;

    public void Store(string keyId, CachedKey entry, long generationBeforeLoad)
    {
        lock (_sync)
        {
            if (_generation == generationBeforeLoad)
            {
                _entries[keyId] = entry;
            }
        }
    }

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
