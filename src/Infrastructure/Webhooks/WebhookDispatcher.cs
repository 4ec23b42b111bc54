using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.Webhooks;
using ProxmoxLxc.Infrastructure.Leasing;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.Infrastructure.Security;

namespace ProxmoxLxc.Infrastructure.Webhooks;

/// <summary>
/// Delivers webhook messages at least once, from the database only (so it survives restarts and runs on every
/// instance): each poll (or wake-up) finds enabled webhooks of active owner keys (read through the key cache, as
/// authentication reads them: a key revoked, disabled or expired here stops its webhooks at once, one changed on
/// another instance within about a second) that have a due delivery or unseen
/// events, claims each by its lease, and then works through it one message at a time in order — the oldest pending
/// delivery first; with none pending, the next event of the log that is for this webhook is queued. A 2xx ends a
/// delivery; any other outcome schedules the next attempt with backoff; 410 disables the webhook at once, and failures
/// without a success for <see cref="WebhookOptions.DisableAfter"/> disable it too (both announced by a
/// <c>webhook.disabled</c> event). A webhook is held by one instance at a time with the shared row lease
/// (<see cref="RowLeases"/>, as operation rows): claimed by a conditional UPDATE, renewed every
/// <c>Leases:RenewInterval</c> while it is worked on, released when the work stops; the webhook's writes are conditional on
/// holding it, and a webhook whose lease was lost (or left to run out by a dead instance) is taken over by another.
/// </summary>
internal sealed partial class WebhookDispatcher(
    IDbContextFactory<AppDbContext> dbFactory,
    WebhookSender sender,
    IWebhookSecretProtector protector,
    WebhookDispatchSignal signal,
    WebhookEventFeed feed,
    RowLeases leases,
    ApiKeyCache keys,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger,
    IDatabaseStartup database) : DatabaseBackgroundService(database)
{
    private const int MaxConcurrentWebhooks = 16;
    private const int MaxStepsPerClaim = 100;

    private readonly ConcurrentDictionary<string, Worker> _working = new(StringComparer.Ordinal);

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var renewals = leases.RenewEveryIntervalAsync(RenewAsync, ex => LogRenewFailed(logger, ex), stoppingToken);
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ScanAsync(stoppingToken);
                await signal.WaitAsync(settings.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException || DatabaseFailures.IsUnavailable(ex))
            {
                LogScanFailed(logger, ex);
                await Task.Delay(settings.PollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        await Task.WhenAll(_working.Values.Select(w => w.Done));
        await renewals;
    }

    /// <summary>
    /// Renews the leases of the webhooks worked on here; a worker whose lease another instance has taken over is
    /// stopped (its next write would be refused anyway).
    /// </summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        var ids = _working.Keys.ToList();
        if (ids.Count == 0)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var held = await leases.RenewAsync(db.Webhooks, ids, cancellationToken);
        foreach (var id in ids.Where(id => !held.Contains(id)))
        {
            if (_working.TryGetValue(id, out var lost))
            {
                LogLeaseLost(logger, id, leases.Owner);
                lost.Stop();
            }
        }
    }

    /// <summary>One scan: claims the free webhooks with work to do (up to the concurrency limit) and starts working on them.</summary>
    public async Task ScanAsync(CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        var latest = await feed.LatestIdAsync(stoppingToken);
        await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
        var owners = await db.Webhooks.AsNoTracking().Where(w => w.Enabled).Select(w => w.OwnerKeyId).Distinct().ToListAsync(stoppingToken);
        var activeOwners = new List<string>();
        foreach (var ownerId in owners)
        {
            if (await ActiveOwnerAsync(ownerId, now, stoppingToken) is not null)
            {
                activeOwners.Add(ownerId);
            }
        }

        if (activeOwners.Count == 0)
        {
            return;
        }

        var candidates = await leases.Free(db.Webhooks.AsNoTracking().Where(w => w.Enabled && activeOwners.Contains(w.OwnerKeyId)))
            .Where(w => db.WebhookDeliveries.Any(d => d.WebhookId == w.Id && d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now)
                || (w.LastEventId < latest && !db.WebhookDeliveries.Any(d => d.WebhookId == w.Id && d.Status == WebhookDeliveryStatus.Pending)))
            .OrderBy(w => w.Id)
            .Select(w => w.Id)
            .Take(MaxConcurrentWebhooks * 4)
            .ToListAsync(stoppingToken);
        foreach (var id in candidates)
        {
            if (_working.Count >= MaxConcurrentWebhooks || _working.ContainsKey(id))
            {
                continue;
            }

            if (await leases.TryClaimAsync(db.Webhooks.Where(w => w.Enabled), id, stoppingToken))
            {
                Start(id, stoppingToken);
            }
        }
    }

    private void Start(string id, CancellationToken stoppingToken)
    {
        var worker = new Worker(stoppingToken);
        if (!_working.TryAdd(id, worker))
        {
            worker.Dispose();
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                for (var step = 0; step < MaxStepsPerClaim && await StepAsync(id, worker.Token); step++)
                {
                }
            }
            catch (OperationCanceledException) when (worker.Token.IsCancellationRequested)
            {
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another instance holds the webhook now (this one's lease ran out): its work is that instance's.
                LogLeaseLost(logger, id, leases.Owner);
            }
            catch (Exception ex)
            {
                LogDeliveryFailed(logger, ex, id);
            }
            finally
            {
                await ReleaseAsync(id);
                _working.TryRemove(id, out _);
                worker.Finish();
            }
        }, CancellationToken.None);
    }

    /// <summary>One step for one held webhook (at most one save); true when there may be more to do now.</summary>
    private async Task<bool> StepAsync(string id, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var webhook = await db.Webhooks.FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (webhook is null || !webhook.Enabled)
        {
            return false;
        }

        var entry = db.Entry(webhook);
        if (!leases.IsHeld(entry))
        {
            LogLeaseLost(logger, id, leases.Owner);
            return false;
        }

        // The step's one save (delivery, cursor, failure run, disabling) is refused once another instance holds the webhook.
        RowLeases.KeepHeld(entry);

        var owner = await ActiveOwnerAsync(webhook.OwnerKeyId, now, cancellationToken);
        if (owner is null)
        {
            return false;
        }

        var delivery = await db.WebhookDeliveries
            .Where(d => d.WebhookId == id && d.Status == WebhookDeliveryStatus.Pending)
            .OrderBy(d => d.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (delivery is null)
        {
            return await feed.QueueNextAsync(db, webhook, owner, now, cancellationToken);
        }

        if (delivery.NextAttemptAt > now)
        {
            return false;
        }

        var secret = protector.Unprotect(webhook.Id, webhook.SecretCipher);
        WebhookAttempt attempt;
        try
        {
            attempt = await sender.SendAsync(new Uri(webhook.Url), delivery.MessageId, now, delivery.Body, secret, cancellationToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }

        var done = time.GetUtcNow();
        if (attempt.Succeeded)
        {
            delivery.Succeed(attempt.ResponseStatus ?? 200, done);
            webhook.RecordSuccess();
            await db.SaveChangesAsync(CancellationToken.None);
            LogDelivered(logger, delivery.Id, id, delivery.Attempts);
            return true;
        }

        var error = attempt.Error ?? "The attempt failed.";
        delivery.Fail(attempt.ResponseStatus, error, done, done + WebhookBackoff.Delay(delivery.Attempts + 1, settings.BackoffBase, settings.BackoffCap, Random.Shared));
        var disabled = false;
        if (attempt.ResponseStatus == 410)
        {
            webhook.DisableBecause(Webhook.DisabledGone, done);
            disabled = true;
        }
        else
        {
            disabled = webhook.RecordFailure(done, settings.DisableAfter);
        }

        if (disabled)
        {
            delivery.GiveUp(done);
            await feed.SaveDisabledAsync(db, webhook, done);
            LogDisabled(logger, id, webhook.DisabledReason ?? string.Empty);
        }
        else
        {
            await db.SaveChangesAsync(CancellationToken.None);
            LogAttemptFailed(logger, delivery.Id, id, delivery.Attempts, attempt.ResponseStatus);
        }

        return false;
    }

    /// <summary>What the owner key may see now, as authentication knows it; null when it is revoked, disabled, expired or gone.</summary>
    private async Task<CallerIdentity?> ActiveOwnerAsync(string keyId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await keys.GetAsync(keyId, cancellationToken) is { } entry && entry.Key.IsActive(now) ? entry.Caller : null;

    private async Task ReleaseAsync(string id)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await leases.ReleaseAsync(db.Webhooks, id);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException || DatabaseFailures.IsUnavailable(ex))
        {
            // The lease expires on its own.
            LogReleaseFailed(logger, ex, id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} to webhook {WebhookId} succeeded after {Attempts} attempt(s).")]
    private static partial void LogDelivered(ILogger logger, long deliveryId, string webhookId, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} to webhook {WebhookId} failed (attempt {Attempts}, status {Status}); retrying later.")]
    private static partial void LogAttemptFailed(ILogger logger, long deliveryId, string webhookId, int attempts, int? status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {WebhookId} was disabled ({Reason}).")]
    private static partial void LogDisabled(ILogger logger, string webhookId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivering to webhook {WebhookId} failed; it is retried at the next poll.")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, string webhookId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing the lease of webhook {WebhookId} failed; it expires on its own.")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string webhookId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instance {InstanceId} lost the lease of webhook {WebhookId}; another instance delivers to it now.")]
    private static partial void LogLeaseLost(ILogger logger, string webhookId, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing webhook leases failed; retrying at the next interval.")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for due webhook deliveries failed; retrying.")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);

    /// <summary>The work on one held webhook: stopped at shutdown or when its lease is lost.</summary>
    private sealed class Worker : IDisposable
    {
        private readonly CancellationTokenSource _stop;
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Worker(CancellationToken stoppingToken) => _stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);

        public CancellationToken Token => _stop.Token;

        public Task Done => _done.Task;

        public void Stop()
        {
            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // It finished meanwhile.
            }
        }

        public void Finish()
        {
            Dispose();
            _done.TrySetResult();
        }

        public void Dispose() => _stop.Dispose();
    }
}
