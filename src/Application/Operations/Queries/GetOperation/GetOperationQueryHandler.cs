using Mediator;
using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.ApiKeys;

namespace ProxmoxLxc.Application.Operations.Queries.GetOperation;

internal sealed class GetOperationQueryHandler(IApplicationDbContext db, ICurrentCaller currentCaller)
    : IQueryHandler<GetOperationQuery, OperationDto>
{
    public async ValueTask<OperationDto> Handle(GetOperationQuery query, CancellationToken cancellationToken)
    {
        var caller = currentCaller.Caller;
        var row = await db.OperationLogs.AsNoTracking().FirstOrDefaultAsync(o => o.Id == query.Id, cancellationToken);
        var visible = row is not null && caller is not null && (caller.Has(Scopes.AuditRead) || row.KeyId == caller.KeyId);
        if (!visible)
        {
            throw new NotFoundException("operation_not_found", $"Operation {query.Id} was not found.");
        }

        return row!.ToDto();
    }
}
