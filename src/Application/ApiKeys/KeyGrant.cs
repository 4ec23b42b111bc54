using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.ApiKeys;

namespace ProxmoxLxc.Application.ApiKeys;

/// <summary>The rules that protect key administration, applied by every key handler.</summary>
internal static class KeyGrant
{
    /// <summary>The authenticated caller (403 when there is none).</summary>
    public static CallerIdentity CallerOf(ICurrentCaller currentCaller) =>
        currentCaller.Caller ?? throw new ForbiddenException(Scopes.KeysAdmin);

    /// <summary>
    /// A caller can only hand out what it holds (<see cref="KeyAuthority.Covers"/>): 403 naming the first missing
    /// scope, or 403 for a restriction wider than its own.
    /// </summary>
    public static void EnsureCanGrant(CallerIdentity caller, KeyAuthority granted)
    {
        if (caller.Authority.FirstMissingScope(granted) is { } scope)
        {
            throw new ForbiddenException(ErrorCodes.InsufficientScope, $"A key cannot grant the scope '{scope}', which it does not hold.", scope);
        }

        if (!caller.Authority.Covers(granted))
        {
            throw new ForbiddenException(ErrorCodes.InsufficientScope,
                "A key cannot grant access to nodes, pools or container ids outside its own restriction.");
        }
    }

    /// <summary>
    /// The key <paramref name="id"/> if the caller may manage it: 404 when unknown, 403 when it holds scopes or
    /// resources beyond the caller's (the answer says nothing more about it).
    /// </summary>
    public static async Task<ApiKey> FindManageableAsync(IApplicationDbContext db, CallerIdentity caller, string id, CancellationToken ct)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct)
            ?? throw new NotFoundException(ErrorCodes.KeyNotFound, $"API key '{id}' was not found.");
        if (!caller.Authority.Covers(key.Authority))
        {
            throw new ForbiddenException(ErrorCodes.InsufficientScope,
                "This API key cannot manage a key that holds scopes or resources beyond its own.");
        }

        return key;
    }

    /// <summary>
    /// Refuses (409) a change that would leave no active, non-expiring key able to administer keys.
    /// <paramref name="key"/> is the key about to lose that ability or to be given an expiry.
    /// </summary>
    public static async Task EnsureNotLastAdminAsync(IApplicationDbContext db, ApiKey key, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!key.HoldsKeyAdministration || !key.IsActive(now))
        {
            return;
        }

        var candidates = await db.ApiKeys.AsNoTracking()
            .Where(k => k.Id != key.Id && k.Enabled && k.RevokedAt == null && k.ExpiresAt == null && k.ScopeList.Contains("admin"))
            .ToListAsync(ct);
        if (!candidates.Any(k => k.HoldsKeyAdministration && k.IsActive(now)))
        {
            throw new ConflictException(ErrorCodes.LastAdminKey,
                "This is the last active key without an expiry that can administer keys; create another admin key first.");
        }
    }
}
