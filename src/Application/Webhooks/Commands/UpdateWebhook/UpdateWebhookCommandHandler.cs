using Mediator;
using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.Webhooks;

namespace ProxmoxLxc.Application.Webhooks.Commands.UpdateWebhook;

internal sealed class UpdateWebhookCommandHandler(
    IApplicationDbContext db, WebhookAccess access, IWebhookSecretProtector protector, IWebhookDispatchSignal signal, TimeProvider time)
    : ICommandHandler<UpdateWebhookCommand, WebhookDto>
{
    /// <summary>Saves tried before a conflict is left to the caller's error handling.</summary>
    private const int MaxSaves = 3;

    public async ValueTask<WebhookDto> Handle(UpdateWebhookCommand command, CancellationToken cancellationToken)
    {
        var webhook = await access.FindAsync(command.Id, cancellationToken);
        var url = command.Url is null ? null : await access.CheckUrlAsync(command.Url, cancellationToken);
        for (var save = 1; ; save++)
        {
            Apply(webhook, command, url, time.GetUtcNow());
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                break;
            }
            catch (DbUpdateConcurrencyException) when (save < MaxSaves)
            {
                // An instance's dispatcher claimed or released the webhook meanwhile (a write conditional on who
                // delivers to it refused this one): read it again and apply the change to what is stored now.
                db.Webhooks.Entry(webhook).State = EntityState.Detached;
                webhook = await access.FindAsync(command.Id, cancellationToken);
            }
        }

        signal.Wake();
        return webhook.ToDto();
    }

    private void Apply(Webhook webhook, UpdateWebhookCommand command, string? url, DateTimeOffset now)
    {
        if (url is not null)
        {
            webhook.ChangeUrl(url, now);
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
    }
}
