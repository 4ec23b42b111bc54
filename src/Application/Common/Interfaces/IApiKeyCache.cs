namespace ProxmoxLxc.Application.Common.Interfaces;

/// <summary>
/// Keys as authentication sees them (hash, state, grants), cached per instance so a request needs no database round
/// trip. Every change to a key (revoke, disable, rotate, scope or restriction change) evicts it here at once.
/// </summary>
public interface IApiKeyCache
{
    /// <summary>Drops the entry of <paramref name="keyId"/>; the next request with it reads the database.</summary>
    void Invalidate(string keyId);

    /// <summary>Drops every entry (for a change signalled by another instance whose key is not known).</summary>
    void InvalidateAll();
}
