using System.Security.Cryptography;
using Mediator;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.Webhooks;

namespace ProxmoxLxc.Application.Webhooks.Commands.CreateWebhook;

internal sealed class CreateWebhookCommandHandler(
    IApplicationDbContext db, WebhookAccess access, IWebhookSecretProtector protector, IEventLog events, TimeProvider time)
    : ICommandHandler<CreateWebhookCommand, CreatedWebhookDto>
{
    private const string IdAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    public async ValueTask<CreatedWebhookDto> Handle(CreateWebhookCommand command, CancellationToken cancellationToken)
    {
        var caller = access.Caller;
        var url = await access.CheckUrlAsync(command.Url, cancellationToken);
        var (text, bytes) = command.Secret is { } given && WebhookSecret.TryParse(given, out var parsed)
            ? (given, parsed)
            : WebhookSecret.Generate();
        var id = "wh" + RandomNumberGenerator.GetString(IdAlphabet, 14);
        var webhook = Webhook.Register(id, caller.KeyId, url, command.Events, protector.Protect(id, bytes), command.Enabled ?? true,
            await events.LatestIdAsync(cancellationToken), time.GetUtcNow());
        db.Webhooks.Add(webhook);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedWebhookDto(text, webhook.ToDto());
    }
}
