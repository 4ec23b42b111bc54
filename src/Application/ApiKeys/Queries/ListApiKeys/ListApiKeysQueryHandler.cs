using Mediator;
using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Models;

namespace ProxmoxLxc.Application.ApiKeys.Queries.ListApiKeys;

/// <summary>
/// Lists the keys the caller may manage (see <see cref="Domain.ApiKeys.KeyAuthority.Covers"/>); others are skipped,
/// reading on in batches until the page is full.
/// </summary>
internal sealed class ListApiKeysQueryHandler(IApplicationDbContext db, ICurrentCaller currentCaller)
    : IQueryHandler<ListApiKeysQuery, Page<ApiKeyDto>>
{
    private const int MinBatch = 50;

    public async ValueTask<Page<ApiKeyDto>> Handle(ListApiKeysQuery query, CancellationToken cancellationToken)
    {
        var authority = KeyGrant.CallerOf(currentCaller).Authority;
        var limit = query.Limit ?? ListApiKeysQuery.DefaultLimit;
        var batchSize = Math.Max(limit + 1, MinBatch);
        var items = new List<ApiKeyDto>(limit);
        var after = query.Cursor;
        var more = false;
        while (true)
        {
            var keys = db.ApiKeys.AsNoTracking();
            if (after is not null)
            {
                var last = after;
                keys = keys.Where(k => string.Compare(k.Id, last) > 0);
            }

            var batch = await keys.OrderBy(k => k.Id).Take(batchSize).ToListAsync(cancellationToken);
            foreach (var key in batch.Where(k => authority.Covers(k.Authority)))
            {
                if (items.Count == limit)
                {
                    more = true;
                    break;
                }

                items.Add(key.ToDto());
            }

            if (more || batch.Count < batchSize)
            {
                return new Page<ApiKeyDto>(items, more ? items[^1].Id : null);
            }

            after = batch[^1].Id;
        }
    }
}
