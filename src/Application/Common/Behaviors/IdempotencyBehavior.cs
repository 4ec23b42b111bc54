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
/// claim a key). The first request claims (API key, Idempotency-Key) through a unique index and records the
/// operation it produced; a repeat with the same request within 24 h returns that operation without acting again
/// (waiting for it when the first request is still in flight); a repeat with another request is 422
/// <c>idempotency_key_reused</c>. A request that fails releases its claim so the caller can retry.
/// </summary>
public sealed class IdempotencyBehavior<TMessage, TResponse>(
    IApplicationDbContext db, ICurrentCaller currentCaller, IOperationRecorder recorder, TimeProvider time)
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
            var existing = await db.IdempotencyRecords.AsNoTracking()
                .FirstOrDefaultAsync(r => r.ApiKeyId == caller.KeyId && r.Key == key, CancellationToken.None);
            if (existing is not null && existing.IsExpired(time.GetUtcNow()))
            {
                await db.IdempotencyRecords.Where(r => r.Id == existing.Id).ExecuteDeleteAsync(CancellationToken.None);
                existing = null;
            }

            if (existing is null)
            {
                var claim = IdempotencyRecord.Claim(caller.KeyId, key, hash, action, time.GetUtcNow());
                if (await TryInsertAsync(claim))
                {
                    return await RunAndRecordAsync(message, next, claim, cancellationToken);
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

            if (time.GetUtcNow() >= deadline)
            {
                throw new ConflictException("idempotency_key_in_progress",
                    "A request with this Idempotency-Key is still being processed; retry later.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }
    }

    private async Task<TResponse> RunAndRecordAsync(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next,
        IdempotencyRecord claim, CancellationToken cancellationToken)
    {
        TResponse response;
        try
        {
            response = await next(message, cancellationToken);
        }
        catch
        {
            // Nothing was started (or the outcome is unknown to the caller): let a retry with the same key act.
            await db.IdempotencyRecords.Where(r => r.Id == claim.Id).ExecuteDeleteAsync(CancellationToken.None);
            throw;
        }

        if (response is OperationDto operation)
        {
            claim.Complete(operation.Id);
            await db.SaveChangesAsync(CancellationToken.None);
        }

        return response;
    }

    private async Task<bool> TryInsertAsync(IdempotencyRecord claim)
    {
        db.IdempotencyRecords.Add(claim);
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
            return true;
        }
        catch (DbUpdateException)
        {
            db.IdempotencyRecords.Entry(claim).State = EntityState.Detached;
            var taken = await db.IdempotencyRecords.AsNoTracking()
                .AnyAsync(r => r.ApiKeyId == claim.ApiKeyId && r.Key == claim.Key, CancellationToken.None);
            if (!taken)
            {
                throw;
            }

            return false;
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
