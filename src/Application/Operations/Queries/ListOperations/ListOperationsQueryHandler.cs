using Mediator;
using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Models;

namespace ProxmoxLxc.Application.Operations.Queries.ListOperations;

internal sealed class ListOperationsQueryHandler(IApplicationDbContext db, OperationVisibility visibility)
    : IQueryHandler<ListOperationsQuery, Page<OperationDto>>
{
    public async ValueTask<Page<OperationDto>> Handle(ListOperationsQuery query, CancellationToken cancellationToken)
    {
        var limit = query.Limit ?? ListOperationsQuery.DefaultLimit;
        var rows = await visibility.FilterAsync(db.OperationLogs.AsNoTracking(), cancellationToken);
        if (query.VmId is { } vmId)
        {
            rows = rows.Where(o => o.VmId == vmId);
        }

        if (query.KeyId is { } keyId)
        {
            rows = rows.Where(o => o.KeyId == keyId);
        }

        if (query.Action is { } action)
        {
            rows = rows.Where(o => o.Action == action);
        }

        if (OperationMapper.TryParseStatus(query.Outcome, out var outcome))
        {
            rows = rows.Where(o => o.Outcome == outcome);
        }

        if (query.From is { } from)
        {
            rows = rows.Where(o => o.RequestedAt >= from);
        }

        if (query.To is { } to)
        {
            rows = rows.Where(o => o.RequestedAt < to);
        }

        if (OperationCursor.TryDecode(query.Cursor, out var cursor))
        {
            rows = rows.Where(o => o.RequestedAt < cursor.RequestedAt || (o.RequestedAt == cursor.RequestedAt && o.Id < cursor.Id));
        }

        var page = await rows.OrderByDescending(o => o.RequestedAt).ThenByDescending(o => o.Id)
            .Take(limit + 1).ToListAsync(cancellationToken);
        var items = page.Take(limit).Select(o => o.ToDto()).ToList();
        var next = page.Count > limit ? new OperationCursor(page[limit - 1].RequestedAt, page[limit - 1].Id).Encode() : null;
        return new Page<OperationDto>(items, next);
    }
}
