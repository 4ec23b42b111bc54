namespace ProxmoxLxc.Application.Common.Interfaces;

/// <summary>
/// Keys as authentication sees them (hash, state, grants), cached per instance so a request needs no database round
/// trip. Every change to a key (revoke, disable, rotate, scope or restriction change) evicts it here at once: the key
/// handlers call <see cref="Invalidate"/> right after their change is saved, so the next request on this instance reads
/// the key again. Another instance learns of a change only through a listener calling these two methods (a
/// cross-instance channel); without one, its entry expires after a short maximum age. Both methods are cheap,
/// thread-safe and idempotent, and a load that raced with an invalidation is never stored.
/// </summary>
public interface IApiKeyCache
{
    /// <summary>Drops the entry of <paramref name="keyId"/>; the next request with it reads the database.</summary>
    void Invalidate(string keyId);

    /// <summary>Drops every entry (for a change signalled by another instance whose key is not known).</summary>
    void InvalidateAll();
}
