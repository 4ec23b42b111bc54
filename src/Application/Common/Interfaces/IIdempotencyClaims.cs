using ProxmoxLxc.Domain.Idempotency;

namespace ProxmoxLxc.Application.Common.Interfaces;

/// <summary>
/// The <c>Idempotency-Key</c> claims, shared by every instance on the database. A claim is leased to the instance whose
/// request runs it (renewed while the request runs) and is linked to its operation in the same transaction as the
/// operation row's first write (<see cref="IOperationLogStore.InsertAsync"/>), which comes before anything reaches
/// Proxmox. So an unlinked claim whose lease ran out belongs to a request that died before acting: a retry may take it
/// over and run the request.
/// </summary>
public interface IIdempotencyClaims
{
    /// <summary>The claim of (API key, Idempotency-Key), if any.</summary>
    Task<IdempotencyRecord?> FindAsync(string apiKeyId, string key);

    /// <summary>Inserts <paramref name="claim"/> leased to this instance: false when another request holds that key already.</summary>
    Task<bool> TryClaimAsync(IdempotencyRecord claim);

    /// <summary>Takes over an unlinked claim whose lease ran out (one conditional update): true when this instance now holds it.</summary>
    Task<bool> TryTakeOverAsync(long claimId);

    /// <summary>Deletes an expired claim (whoever held it).</summary>
    Task ForgetAsync(long claimId);

    /// <summary>The request failed: deletes the claim if this instance still holds it (so a retry acts), and stops renewing it.</summary>
    Task ReleaseAsync(long claimId);

    /// <summary>The request ended with its operation: the claim stays (linked) and is no longer renewed.</summary>
    void Ended(long claimId);
}
