using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.ApiKeys;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Security;

/// <summary>Checks a presented key. Every kind of failure returns null, so callers cannot tell them apart.</summary>
public interface IApiKeyAuthenticator
{
    Task<CallerIdentity?> AuthenticateAsync(string? presentedKey, CancellationToken cancellationToken);
}

/// <summary>Reads keys through <see cref="ApiKeyCache"/>: the database only on a miss (first use, or after a change).</summary>
internal sealed class ApiKeyAuthenticator(
    IDbContextFactory<AppDbContext> dbFactory, ApiKeyCache cache, IApiKeySecrets secrets, LastUsedTracker lastUsed, TimeProvider time) : IApiKeyAuthenticator
{
    // Compared against when the key id is unknown, so that path costs the same as a wrong secret.
    private static readonly byte[] DummyHash = new byte[32];

    public async Task<CallerIdentity?> AuthenticateAsync(string? presentedKey, CancellationToken cancellationToken)
    {
        if (!secrets.TryParse(presentedKey, out var keyId, out var secret))
        {
            return null;
        }

        if (!cache.TryGet(keyId, out var entry))
        {
            entry = await LoadAsync(keyId, cancellationToken);
        }

        var secretMatches = secrets.Verify(secret, entry?.Key.SecretHash ?? DummyHash);
        var now = time.GetUtcNow();
        if (entry is null || !secretMatches || !entry.Key.IsActive(now))
        {
            return null;
        }

        lastUsed.Touch(keyId, now);
        return entry.Caller;
    }

    private async Task<CachedKey?> LoadAsync(string keyId, CancellationToken cancellationToken)
    {
        var generation = cache.Generation;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == keyId, cancellationToken);
        if (key is null)
        {
            return null;
        }

        var entry = new CachedKey(key, new CallerIdentity(key.Id, key.Name, Scopes.Expand(key.Scopes), key.Restriction), Environment.TickCount64);
        cache.Store(keyId, entry, generation);
        return entry;
    }
}
