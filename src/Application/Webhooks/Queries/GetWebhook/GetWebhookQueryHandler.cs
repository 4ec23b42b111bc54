using Mediator;

namespace ProxmoxLxc.Application.Webhooks.Queries.GetWebhook;

internal sealed class GetWebhookQueryHandler(WebhookAccess access) : IQueryHandler<GetWebhookQuery, WebhookDto>
{
    public async ValueTask<WebhookDto> Handle(GetWebhookQuery query, CancellationToken cancellationToken) =>
        (await access.FindAsync(query.Id, cancellationToken)).ToDto();
}
