using ProxmoxLxc.Application.Common.Interfaces;

namespace ProxmoxLxc.Infrastructure.Security;

/// <summary>Checks a presented key. Every kind of failure returns null, so callers cannot tell them apart.</summary>
public interface IApiKeyAuthenticator
{
    Task<CallerIdentity?> AuthenticateAsync(string? presentedKey, CancellationToken cancellationToken);
}

/// <summary>Reads keys through <see cref="ApiKeyCache"/>: the database only on a miss (first use, or after a change).</summary>
internal sealed class ApiKeyAuthenticator(
    CachedKeys keys, IApiKeySecrets secrets, LastUsedTracker lastUsed, TimeProvider time) : IApiKeyAuthenticator
{
    // Compared against when the key id is unknown, so that path costs the same as a wrong secret.
    private static readonly byte[] DummyHash = new byte[32];

    public async Task<CallerIdentity?> AuthenticateAsync(string? presentedKey, CancellationToken cancellationToken)
    {
        if (!secrets.TryParse(presentedKey, out var keyId, out var secret))
        {
            return null;
        }

        var entry = await keys.GetAsync(keyId, cancellationToken);
        var secretMatches = secrets.Verify(secret, entry?.Key.SecretHash ?? DummyHash);
        var now = time.GetUtcNow();
        if (entry is null || !secretMatches || !entry.Key.IsActive(now))
        {
            return null;
        }

        lastUsed.Touch(keyId, now);
        return entry.Caller;
    }
}
