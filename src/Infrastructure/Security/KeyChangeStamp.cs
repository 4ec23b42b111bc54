namespace ProxmoxLxc.Infrastructure.Security;

/// <summary>
/// The one row whose value is renewed in the same transaction as every change to a stored key that authentication
/// reads (revoke, disable, rotate, scopes, restriction, expiry…; not the last-use time): <see cref="Persistence.AppDbContext"/>
/// does it in <c>SaveChanges</c>. Each instance polls it (<see cref="KeyChangeWatcher"/>) and drops its cached keys
/// when it differs from what it saw last. A fresh random value per change (not a counter) needs no read before the
/// write, so concurrent changes from several instances cannot produce the same value twice.
/// </summary>
internal sealed class KeyChangeStamp
{
    public const int RowId = 1;

    public int Id { get; private set; } = RowId;

    public Guid Value { get; private set; }

    public void Renew() => Value = Guid.NewGuid();
}
