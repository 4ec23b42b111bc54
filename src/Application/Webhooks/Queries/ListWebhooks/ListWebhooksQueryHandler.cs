using Mediator;
using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Models;

namespace ProxmoxLxc.Application.Webhooks.Queries.ListWebhooks;

internal sealed class ListWebhooksQueryHandler(IApplicationDbContext db, WebhookAccess access)
    : IQueryHandler<ListWebhooksQuery, Page<WebhookDto>>
{
    public async ValueTask<Page<WebhookDto>> Handle(ListWebhooksQuery query, CancellationToken cancellationToken)
    {
        var owners = (await access.VisibleOwnersAsync(cancellationToken)).ToList();
        var limit = query.Limit ?? ListWebhooksQuery.DefaultLimit;
        var rows = db.Webhooks.AsNoTracking().Where(w => owners.Contains(w.OwnerKeyId));
        if (query.Cursor is { } after)
        {
            rows = rows.Where(w => string.Compare(w.Id, after) > 0);
        }

        var page = await rows.OrderBy(w => w.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var more = page.Count > limit;
        var items = page.Take(limit).Select(w => w.ToDto()).ToList();
        return new Page<WebhookDto>(items, more ? items[^1].Id : null);
    }
}
