using Mediator;
using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.Operations.Queries.GetOperation;

internal sealed class GetOperationQueryHandler(IApplicationDbContext db, OperationVisibility visibility, IProxmoxGateway gateway)
    : IQueryHandler<GetOperationQuery, OperationDto>
{
    /// <summary>Lines of the Proxmox task log returned with an operation.</summary>
    public const int TaskLogLines = 50;

    public async ValueTask<OperationDto> Handle(GetOperationQuery query, CancellationToken cancellationToken)
    {
        var rows = await visibility.FilterAsync(db.OperationLogs.AsNoTracking(), cancellationToken);
        var row = await rows.FirstOrDefaultAsync(o => o.Id == query.Id, cancellationToken)
            ?? throw new NotFoundException(ErrorCodes.OperationNotFound, $"Operation {query.Id} was not found.");

        var dto = row.ToDto();
        if (!ProxmoxTaskId.TryParse(row.TaskId, out var task))
        {
            return dto;
        }

        try
        {
            var log = await gateway.GetTaskLogTailAsync(task, TaskLogLines, cancellationToken);
            return dto with { TaskLog = log.Lines.Select(l => l.Text).ToList() };
        }
        catch (AppException ex) when (ex is NotFoundException or ProxmoxUnavailableException or ProxmoxTimeoutException or ProxmoxErrorException)
        {
            // The operation itself is known; a task log Proxmox cannot give (purged, node down) is simply absent.
            return dto;
        }
    }
}
