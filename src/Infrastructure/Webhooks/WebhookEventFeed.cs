using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Operations;
using ProxmoxLxc.Application.Webhooks;
using ProxmoxLxc.Domain.ApiKeys;
using ProxmoxLxc.Domain.Events;
using ProxmoxLxc.Domain.Webhooks;
using ProxmoxLxc.Infrastructure.Events;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Webhooks;

/// <summary>
/// The webhooks' side of the event log: the next event for a webhook — of the types it subscribes to, as its owner
/// key may see it now (the rule of <c>GET /operations</c>: its own operations with <c>containers:read</c>, all with
/// <c>audit:read</c>, within its restriction; <c>webhook.disabled</c> only about the owner's own webhooks) — and the
/// <c>webhook.disabled</c> announcement, written in the same transaction as the webhook's new state.
/// </summary>
internal sealed class WebhookEventFeed(IEventLog eventLog, IServiceScopeFactory scopes, EventSignal signal)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<long> LatestIdAsync(CancellationToken cancellationToken) => eventLog.LatestIdAsync(cancellationToken);

    /// <summary>
    /// Queues the next event after the webhook's cursor that is for it (and moves the cursor to it), or moves the cursor
    /// past the events that are not; saves. True when a delivery was queued.
    /// </summary>
    public async Task<bool> QueueNextAsync(AppDbContext db, Webhook webhook, CallerIdentity caller, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var seesOperations = caller.Has(Scopes.OperationsRead);
        RowVisibility? rule = null;
        if (seesOperations)
        {
            await using var scope = scopes.CreateAsyncScope();
            rule = await scope.ServiceProvider.GetRequiredService<OperationVisibility>().ForAsync(caller, cancellationToken);
        }

        var types = webhook.Events.Where(t => t != EventTypes.WebhookDisabled).ToList();
        var ownDisabled = webhook.Subscribes(EventTypes.WebhookDisabled);
        var ownerId = caller.KeyId;
        var page = await eventLog.ReadAfterAsync(webhook.LastEventId, 1, events =>
        {
            var own = events.Where(e => ownDisabled && e.Type == EventTypes.WebhookDisabled && e.KeyId == ownerId);
            return rule is null ? own : rule.Apply(events.Where(e => types.Contains(e.Type))).Concat(own);
        }, cancellationToken);

        if (page.Events.Count == 0)
        {
            if (page.Position <= webhook.LastEventId)
            {
                return false;
            }

            webhook.AdvanceCursor(page.Position);
            await db.SaveChangesAsync(CancellationToken.None);
            return false;
        }

        var next = page.Events[0];
        var body = WebhookMessage.Body(next.Type, next.OccurredAt, JsonNode.Parse(next.Data));
        db.WebhookDeliveries.Add(WebhookDelivery.Queue(webhook.Id, next.Id, WebhookMessage.IdFor(next.Id, webhook.Id), next.Type, body, now));
        webhook.AdvanceCursor(next.Id);
        await db.SaveChangesAsync(CancellationToken.None);
        return true;
    }

    /// <summary>Saves <paramref name="db"/>'s changes (the webhook just disabled) together with a <c>webhook.disabled</c> event for its owner.</summary>
    public async Task SaveDisabledAsync(AppDbContext db, Webhook webhook, DateTimeOffset now)
    {
        var data = JsonSerializer.Serialize(new { webhookId = webhook.Id, reason = webhook.DisabledReason, disabledAt = now }, Json);
        var announcement = ApiEvent.Create(EventTypes.WebhookDisabled, now, null, webhook.OwnerKeyId, null, null, null, data);
        // SQL Server and PostgreSQL run with a retrying execution strategy, which refuses a user-initiated transaction
        // outside it: the transaction is one retriable unit, as in OperationLogStore.
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            await EventAppender.AppendAsync(db, [announcement], token);
            await db.SaveChangesAsync(token);
            await transaction.CommitAsync(token);
        }, CancellationToken.None);
        signal.Committed(announcement.Id);
    }
}
