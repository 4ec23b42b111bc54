using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.ApiKeys;

namespace ProxmoxLxc.Application.ApiKeys;

/// <summary>The two rules that protect key administration.</summary>
internal static class KeyGrant
{
    /// <summary>A caller can only hand out scopes it holds (403 naming the first missing scope).</summary>
    public static void EnsureCanGrant(CallerIdentity caller, IEnumerable<string> scopes)
    {
        foreach (var scope in scopes)
        {
            if (!caller.Scopes.Contains(scope))
            {
                throw new ForbiddenException(ErrorCodes.InsufficientScope, $"A key cannot grant the scope '{scope}', which it does not hold.", scope);
            }
        }
    }

    /// <summary>
    /// Refuses (409) a change that would leave no active key able to administer keys.
    /// <paramref name="key"/> is the key about to lose that ability.
    /// </summary>
    public static async Task EnsureNotLastAdminAsync(IApplicationDbContext db, ApiKey key, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!key.HoldsKeyAdministration || !key.IsActive(now))
        {
            return;
        }

        var candidates = await db.ApiKeys.AsNoTracking()
            .Where(k => k.Id != key.Id && k.Enabled && k.RevokedAt == null && k.ScopeList.Contains("admin"))
            .ToListAsync(ct);
        if (!candidates.Any(k => k.HoldsKeyAdministration && k.IsActive(now)))
        {
            throw new ConflictException(ErrorCodes.LastAdminKey,
                "This is the last active key that can administer keys; create another admin key first.");
        }
    }

    public static async Task<ApiKey> FindAsync(IApplicationDbContext db, string id, CancellationToken ct) =>
        await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct)
        ?? throw new NotFoundException(ErrorCodes.KeyNotFound, $"API key '{id}' was not found.");
}
