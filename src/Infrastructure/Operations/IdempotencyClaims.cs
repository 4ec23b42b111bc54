using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.Idempotency;
using ProxmoxLxc.Infrastructure.Leasing;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Operations;

/// <summary>
/// <c>Idempotency-Key</c> claims with a lease (<see cref="RowLeases"/>): inserted leased to this instance, renewed by the
/// instance's lease renewal (<see cref="OperationTaskFollower.RenewAsync"/>) while the request runs, linked to the
/// operation in the transaction of the operation row's first write (<see cref="LinkAsync"/>), and taken over by a retry
/// when still unlinked after the lease ran out (the claimant died before anything reached Proxmox).
/// </summary>
internal sealed partial class IdempotencyClaims(
    IDbContextFactory<AppDbContext> dbFactory,
    RowLeases leases,
    ILogger<IdempotencyClaims> logger) : IIdempotencyClaims
{
    private readonly ConcurrentDictionary<long, byte> _held = new();

    public async Task<IdempotencyRecord?> FindAsync(string apiKeyId, string key)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        return await db.IdempotencyRecords.AsNoTracking()
            .FirstOrDefaultAsync(r => r.ApiKeyId == apiKeyId && r.Key == key, CancellationToken.None);
    }

    public async Task<bool> TryClaimAsync(IdempotencyRecord claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        leases.Stamp(db.IdempotencyRecords.Add(claim));
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateException)
        {
            await using var read = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            if (!await read.IdempotencyRecords.AnyAsync(r => r.ApiKeyId == claim.ApiKeyId && r.Key == claim.Key, CancellationToken.None))
            {
                throw;
            }

            return false; // another request claimed the key first (the unique index)
        }

        _held[claim.Id] = 0;
        return true;
    }

    public async Task<bool> TryTakeOverAsync(long claimId)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        if (!await leases.TryClaimAsync(db.IdempotencyRecords.Where(r => r.OperationId == null), claimId, CancellationToken.None))
        {
            return false;
        }

        _held[claimId] = 0;
        LogTakenOver(logger, claimId, leases.Owner);
        return true;
    }

    public async Task ForgetAsync(long claimId)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await db.IdempotencyRecords.Where(r => r.Id == claimId).ExecuteDeleteAsync(CancellationToken.None);
    }

    public async Task ReleaseAsync(long claimId)
    {
        _held.TryRemove(claimId, out _);
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await leases.Held(db.IdempotencyRecords).Where(r => r.Id == claimId).ExecuteDeleteAsync(CancellationToken.None);
    }

    public void Ended(long claimId) => _held.TryRemove(claimId, out _);

    /// <summary>
    /// Links claim <paramref name="claimId"/> to operation <paramref name="operationId"/> inside the caller's transaction
    /// (the operation row's first write): false when this instance no longer holds the claim (a retry took it over after
    /// the lease ran out), and the caller then rolls back, so nothing is sent to Proxmox for the superseded request.
    /// </summary>
    public async Task<bool> LinkAsync(AppDbContext db, long claimId, long operationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var linked = await leases.Held(db.IdempotencyRecords)
            .Where(r => r.Id == claimId && r.OperationId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.OperationId, operationId), cancellationToken);
        return linked == 1;
    }

    /// <summary>Renews the leases of the claims whose requests still run here (part of the instance's lease renewal).</summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        var ids = _held.Keys.ToList();
        if (ids.Count == 0)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var held = await leases.RenewAsync(db.IdempotencyRecords, ids, cancellationToken);
        foreach (var lost in ids.Where(id => !held.Contains(id)))
        {
            _held.TryRemove(lost, out _);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Idempotency-Key claim {ClaimId}: its request's lease ran out before its operation was written; instance {InstanceId} took it over and runs the request.")]
    private static partial void LogTakenOver(ILogger logger, long claimId, string instanceId);
}
