using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Security;

/// <summary>Checks a presented key. Every kind of failure returns null, so callers cannot tell them apart.</summary>
public interface IApiKeyAuthenticator
{
    Task<CallerIdentity?> AuthenticateAsync(string? presentedKey, CancellationToken cancellationToken);
}

internal sealed class ApiKeyAuthenticator(
    AppDbContext db, IApiKeySecrets secrets, LastUsedTracker lastUsed, TimeProvider time) : IApiKeyAuthenticator
{
    // Compared against when the key id is unknown, so that path costs the same as a wrong secret.
    private static readonly byte[] DummyHash = new byte[32];

    public async Task<CallerIdentity?> AuthenticateAsync(string? presentedKey, CancellationToken cancellationToken)
    {
        if (!secrets.TryParse(presentedKey, out var keyId, out var secret))
        {
            return null;
        }

        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == keyId, cancellationToken);
        var secretMatches = secrets.Verify(secret, key?.SecretHash ?? DummyHash);
        var now = time.GetUtcNow();
        if (key is null || !secretMatches || !key.IsActive(now))
        {
            return null;
        }

        lastUsed.Touch(key.Id, now);
        return CallerIdentity.Of(key);
    }
}
