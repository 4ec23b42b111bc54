using Mediator;
using ProxmoxLxc.Application.Common.Interfaces;

namespace ProxmoxLxc.Application.Webhooks.Commands.UpdateWebhook;

internal sealed class UpdateWebhookCommandHandler(
    IApplicationDbContext db, WebhookAccess access, IWebhookSecretProtector protector, IWebhookDispatchSignal signal, TimeProvider time)
    : ICommandHandler<UpdateWebhookCommand, WebhookDto>
{
    public async ValueTask<WebhookDto> Handle(UpdateWebhookCommand command, CancellationToken cancellationToken)
    {
        var webhook = await access.FindAsync(command.Id, cancellationToken);
        var now = time.GetUtcNow();
        if (command.Url is not null)
        {
            webhook.ChangeUrl(await access.CheckUrlAsync(command.Url, cancellationToken), now);
        }

        if (command.Events is not null)
        {
            webhook.Subscribe(command.Events, now);
        }

        if (command.Secret is not null && WebhookSecret.TryParse(command.Secret, out var bytes))
        {
            webhook.ReplaceSecret(protector.Protect(webhook.Id, bytes), now);
        }

        if (command.Enabled is { } enabled)
        {
            webhook.SetEnabled(enabled, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        signal.Wake();
        return webhook.ToDto();
    }
}
