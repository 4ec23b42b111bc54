using System.Globalization;
using Mediator;
using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Models;

namespace ProxmoxLxc.Application.Webhooks.Queries.ListWebhookDeliveries;

internal sealed class ListWebhookDeliveriesQueryHandler(IApplicationDbContext db, WebhookAccess access)
    : IQueryHandler<ListWebhookDeliveriesQuery, Page<WebhookDeliveryDto>>
{
    public async ValueTask<Page<WebhookDeliveryDto>> Handle(ListWebhookDeliveriesQuery query, CancellationToken cancellationToken)
    {
        var webhook = await access.FindAsync(query.Id, cancellationToken);
        var limit = query.Limit ?? ListWebhookDeliveriesQuery.DefaultLimit;
        var rows = db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == webhook.Id);
        if (query.Cursor is { } cursor)
        {
            var before = long.Parse(cursor, CultureInfo.InvariantCulture);
            rows = rows.Where(d => d.Id < before);
        }

        var page = await rows.OrderByDescending(d => d.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var more = page.Count > limit;
        var items = page.Take(limit).Select(d => d.ToDto()).ToList();
        return new Page<WebhookDeliveryDto>(items, more ? items[^1].Id.ToString(CultureInfo.InvariantCulture) : null);
    }
}
