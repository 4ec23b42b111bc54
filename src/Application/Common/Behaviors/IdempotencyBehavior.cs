using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mediator;
using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Application.Common.Auditing;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Messaging;
using ProxmoxLxc.Application.Operations;
using ProxmoxLxc.Domain.Idempotency;

namespace ProxmoxLxc.Application.Common.Behaviors;

/// <summary>
/// <c>Idempotency-Key</c> for commands that start an operation (runs after validation, so only valid requests
/// claim a key). The first request claims (API key, Idempotency-Key) through a unique index, leased to this instance
/// while it runs (<see cref="IIdempotencyClaims"/>); the operation row's first write links the claim to the operation.
/// A repeat with the same request within 24 h returns that operation without acting again (waiting for it when the
/// first request is still in flight); a repeat with another request is 422 <c>idempotency_key_reused</c>. A claim still
/// unlinked after its lease ran out belongs to a request that died before anything reached Proxmox: a repeat takes it
/// over and runs the request. A request that fails releases its claim so the caller can retry.
/// </summary>
public sealed class IdempotencyBehavior<TMessage, TResponse>(
    IApplicationDbContext db, IIdempotencyClaims claims, ICurrentCaller currentCaller, IOperationRecorder recorder, TimeProvider time)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IIdempotentCommand, IMessage
{
    public const int MaxKeyLength = 255;

    /// <summary>How long a repeat waits for the first request to produce its operation.</summary>
    private static readonly TimeSpan InFlightWait = TimeSpan.FromSeconds(60);

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        var key = message.IdempotencyKey;
        var caller = currentCaller.Caller;
        if (key is null || caller is null)
        {
            return await next(message, cancellationToken);
        }

        if (key.Length is 0 or > MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            throw new RequestValidationException(new Dictionary<string, string[]>
            {
                ["Idempotency-Key"] = [$"The Idempotency-Key header must be 1 to {MaxKeyLength} visible ASCII characters."],
            });
        }

        var action = AuditParameters.ActionOf(typeof(TMessage));
        var hash = HashOf(message, action);
        var deadline = time.GetUtcNow() + InFlightWait;
        while (true)
        {
            var existing = await claims.FindAsync(caller.KeyId, key);
            if (existing is not null && existing.IsExpired(time.GetUtcNow()))
            {
                await claims.ForgetAsync(existing.Id);
                existing = null;
            }

            if (existing is null)
            {
                var claim = IdempotencyRecord.Claim(caller.KeyId, key, hash, action, time.GetUtcNow());
                if (await claims.TryClaimAsync(claim))
                {
                    return await RunUnderClaimAsync(message, next, claim.Id, cancellationToken);
                }

                continue; // another request claimed the key first: read its record
            }

            if (!string.Equals(existing.RequestHash, hash, StringComparison.Ordinal))
            {
                throw new IdempotencyKeyReusedException();
            }

            if (existing.OperationId is { } operationId)
            {
                var operation = (await db.OperationLogs.AsNoTracking().FirstAsync(o => o.Id == operationId, CancellationToken.None)).ToDto();
                recorder.ReplayOf(operation);
                return (TResponse)(object)operation;
            }

            if (await claims.TryTakeOverAsync(existing.Id))
            {
                // Its request died before writing its operation (so before anything reached Proxmox): act for it.
                return await RunUnderClaimAsync(message, next, existing.Id, cancellationToken);
            }

            if (time.GetUtcNow() >= deadline)
            {
                throw new ConflictException(ErrorCodes.IdempotencyKeyInProgress,
                    "A request with this Idempotency-Key is still being processed; retry later.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }
    }

    private async Task<TResponse> RunUnderClaimAsync(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next,
        long claimId, CancellationToken cancellationToken)
    {
        recorder.UnderClaim(claimId);
        try
        {
            var response = await next(message, cancellationToken);
            claims.Ended(claimId);
            return response;
        }
        catch
        {
            // Nothing was started (or the outcome is unknown to the caller): let a retry with the same key act.
            await claims.ReleaseAsync(claimId);
            throw;
        }
    }

    /// <summary>
    /// SHA-256 over the action, the target container and the canonical JSON of the request (the key itself excluded).
    /// Secrets (password, SSH keys) are redacted first: nothing derived from them is stored.
    /// </summary>
    internal static string HashOf(TMessage message, string action)
    {
        var target = (message as ITargetsContainer)?.VmId.ToString(CultureInfo.InvariantCulture) ?? "-";
        var json = AuditParameters.Serialize(message);
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{action}\n{target}\n{json}"));
        return Convert.ToHexStringLower(bytes);
    }
}
