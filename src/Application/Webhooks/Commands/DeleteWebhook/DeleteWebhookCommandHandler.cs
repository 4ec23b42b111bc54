using Mediator;
using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Application.Common.Interfaces;

namespace ProxmoxLxc.Application.Webhooks.Commands.DeleteWebhook;

internal sealed class DeleteWebhookCommandHandler(IApplicationDbContext db, WebhookAccess access)
    : ICommandHandler<DeleteWebhookCommand, Unit>
{
    public async ValueTask<Unit> Handle(DeleteWebhookCommand command, CancellationToken cancellationToken)
    {
        var webhook = await access.FindAsync(command.Id, cancellationToken);
        await db.WebhookDeliveries.Where(d => d.WebhookId == webhook.Id).ExecuteDeleteAsync(cancellationToken);
        db.Webhooks.Remove(webhook);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
