using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.Webhooks;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Webhooks;

/// <summary>
/// Delivers webhook messages at least once, from the database only (so it survives restarts and runs on every
/// instance): each poll (or wake-up) finds enabled webhooks of active owner keys that have a due delivery or unseen
/// events, claims each by its lease, and then works through it one message at a time in order — the oldest pending
/// delivery first; with none pending, the next event of the log that is for this webhook is queued. A 2xx ends a
/// delivery; any other outcome schedules the next attempt with backoff; 410 disables the webhook at once, and failures
/// without a success for <see cref="WebhookOptions.DisableAfter"/> disable it too (both announced by a
/// <c>webhook.disabled</c> event).
/// </summary>
internal sealed partial class WebhookDispatcher(
    IDbContextFactory<AppDbContext> dbFactory,
    WebhookSender sender,
    IWebhookSecretProtector protector,
    WebhookDispatchSignal signal,
    WebhookEventFeed feed,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private const int MaxConcurrentWebhooks = 16;
    private const int MaxStepsPerClaim = 100;

    private readonly string _instance = "wh-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N");
    private readonly ConcurrentDictionary<string, Task> _working = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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

        await Task.WhenAll(_working.Values);
    }

    private async Task ScanAsync(CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        var latest = await feed.LatestIdAsync(stoppingToken);
        await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
        var instance = _instance;
        var candidates = await db.Webhooks.AsNoTracking()
            .Where(w => w.Enabled && (w.LeaseUntil == null || w.LeaseUntil < now || w.LeaseOwner == instance))
            .Where(w => db.ApiKeys.Any(k => k.Id == w.OwnerKeyId && k.Enabled && k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now)))
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

            if (await WebhookLease.ClaimAsync(db, id, _instance, now, options.Value.LeaseDuration, stoppingToken))
            {
                Start(id, stoppingToken);
            }
        }
    }

    private void Start(string id, CancellationToken stoppingToken)
    {
        var gate = new TaskCompletionSource();
        if (!_working.TryAdd(id, gate.Task))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                for (var step = 0; step < MaxStepsPerClaim && await StepAsync(id, stoppingToken); step++)
                {
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                LogDeliveryFailed(logger, ex, id);
            }
            finally
            {
                await ReleaseAsync(id);
                _working.TryRemove(id, out _);
                gate.SetResult();
            }
        }, CancellationToken.None);
    }

    /// <summary>One step for one webhook; true when there may be more to do now.</summary>
    private async Task<bool> StepAsync(string id, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
        var now = time.GetUtcNow();
        if (!await WebhookLease.RenewAsync(db, id, _instance, now, settings.LeaseDuration, stoppingToken))
        {
            return false;
        }

        var webhook = await db.Webhooks.FirstOrDefaultAsync(w => w.Id == id, stoppingToken);
        if (webhook is null || !webhook.Enabled)
        {
            return false;
        }

        var owner = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == webhook.OwnerKeyId, stoppingToken);
        if (owner is null || !owner.IsActive(now))
        {
            return false;
        }

        var delivery = await db.WebhookDeliveries
            .Where(d => d.WebhookId == id && d.Status == WebhookDeliveryStatus.Pending)
            .OrderBy(d => d.Id)
            .FirstOrDefaultAsync(stoppingToken);
        if (delivery is null)
        {
            return await feed.QueueNextAsync(db, webhook, owner, now, stoppingToken);
        }

        if (delivery.NextAttemptAt > now)
        {
            return false;
        }

        var secret = protector.Unprotect(webhook.Id, webhook.SecretCipher);
        WebhookAttempt attempt;
        try
        {
            attempt = await sender.SendAsync(new Uri(webhook.Url), delivery.MessageId, now, delivery.Body, secret, stoppingToken);
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

    private async Task ReleaseAsync(string id)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await WebhookLease.ReleaseAsync(db, id, _instance, CancellationToken.None);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for due webhook deliveries failed; retrying.")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);
}
