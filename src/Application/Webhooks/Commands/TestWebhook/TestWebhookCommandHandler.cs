using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Mediator;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.Events;
using ProxmoxLxc.Domain.Webhooks;

namespace ProxmoxLxc.Application.Webhooks.Commands.TestWebhook;

internal sealed class TestWebhookCommandHandler(
    IApplicationDbContext db, WebhookAccess access, IWebhookDispatchSignal signal, TimeProvider time)
    : ICommandHandler<TestWebhookCommand, WebhookDeliveryDto>
{
    public async ValueTask<WebhookDeliveryDto> Handle(TestWebhookCommand command, CancellationToken cancellationToken)
    {
        var webhook = await access.FindAsync(command.Id, cancellationToken);
        if (!webhook.Enabled)
        {
            throw new ConflictException(ErrorCodes.WebhookDisabled, "The webhook is disabled; enable it before sending a test.");
        }

        var now = time.GetUtcNow();
        var body = WebhookMessage.Body(EventTypes.WebhookTest, now, new JsonObject { ["webhookId"] = webhook.Id });
        var messageId = "msg_test_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var delivery = WebhookDelivery.Queue(webhook.Id, null, messageId, EventTypes.WebhookTest, body, now);
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(cancellationToken);
        signal.Wake();
        return delivery.ToDto();
    }
}
