using Mediator;
using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Models;

namespace ProxmoxLxc.Application.ApiKeys.Queries.ListApiKeys;

internal sealed class ListApiKeysQueryHandler(IApplicationDbContext db) : IQueryHandler<ListApiKeysQuery, Page<ApiKeyDto>>
{
    public async ValueTask<Page<ApiKeyDto>> Handle(ListApiKeysQuery query, CancellationToken cancellationToken)
    {
        var limit = query.Limit ?? ListApiKeysQuery.DefaultLimit;
        var keys = db.ApiKeys.AsNoTracking();
        if (query.Cursor is { } cursor)
        {
            keys = keys.Where(k => string.Compare(k.Id, cursor) > 0);
        }

        var page = await keys.OrderBy(k => k.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var items = page.Take(limit).Select(k => k.ToDto()).ToList();
        return new Page<ApiKeyDto>(items, page.Count > limit ? items[^1].Id : null);
    }
}
