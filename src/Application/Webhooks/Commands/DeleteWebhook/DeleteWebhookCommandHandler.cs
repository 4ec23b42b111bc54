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
        // Deleted whoever delivers to it now: not conditional on its lease columns (a dispatcher that holds it finds
        // it gone at its next step).
        await db.WebhookDeliveries.Where(d => d.WebhookId == webhook.Id).ExecuteDeleteAsync(cancellationToken);
        await db.Webhooks.Where(w => w.Id == webhook.Id).ExecuteDeleteAsync(cancellationToken);
        return Unit.Value;
    }
}
