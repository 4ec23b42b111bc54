using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Domain.Operations;

namespace ProxmoxLxc.Application.Operations;

/// <summary>
/// <c>Prefer: wait=N</c>: waits up to N seconds for the operation a command just returned. The request's own row is
/// completed here (the request owns it until it ends); an operation replayed through <c>Idempotency-Key</c> belongs
/// to the background worker, so it is only re-read.
/// </summary>
internal sealed class OperationWaiter(
    IProxmoxGateway gateway, IOperationRecorder recorder, IApplicationDbContext db,
    IOptions<OperationTrackingOptions> options, TimeProvider time) : IOperationWaiter
{
    public async Task<OperationDto> WaitAsync(OperationDto operation, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (operation.Status != "running" || maxWait <= TimeSpan.Zero)
        {
            return operation;
        }

        if (maxWait > OperationTrackingOptions.MaxPreferWait)
        {
            maxWait = OperationTrackingOptions.MaxPreferWait;
        }

        var entry = recorder.Entry;
        return entry.Id == operation.Id && entry.TaskId is not null
            ? await WaitForOwnAsync(entry, maxWait, cancellationToken)
            : await WaitForOtherAsync(operation, maxWait, cancellationToken);
    }

    private async Task<OperationDto> WaitForOwnAsync(OperationLog entry, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        if (!ProxmoxTaskId.TryParse(entry.TaskId, out var task))
        {
            return entry.ToDto();
        }

        var limit = options.Value.LimitFor(entry.Action);
        var deadline = (entry.StartedAt ?? entry.RequestedAt) + limit;
        var wait = deadline - time.GetUtcNow();
        wait = wait < maxWait ? wait : maxWait;
        try
        {
            var status = await gateway.WaitForTaskAsync(task, wait > TimeSpan.Zero ? wait : TimeSpan.Zero, cancellationToken);
            if (!status.IsRunning)
            {
                var log = status.Outcome == ProxmoxTaskOutcome.SucceededWithWarnings
                    ? await gateway.GetTaskLogTailAsync(task, OperationTaskOutcome.LogLinesForWarnings, cancellationToken)
                    : null;
                OperationTaskOutcome.Apply(entry, status, log, time.GetUtcNow());
                await recorder.SaveAsync();
            }
            else if (time.GetUtcNow() >= deadline)
            {
                OperationTaskOutcome.TimeOut(entry, limit, time.GetUtcNow());
                await recorder.SaveAsync();
            }
        }
        catch (AppException)
        {
            // Proxmox could not tell us: answer with the operation still running; the background worker follows it.
        }

        return entry.ToDto();
    }

    private async Task<OperationDto> WaitForOtherAsync(OperationDto operation, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow() + maxWait;
        while (true)
        {
            var row = await db.OperationLogs.AsNoTracking().FirstOrDefaultAsync(o => o.Id == operation.Id, cancellationToken);
            if (row is null || row.IsCompleted || time.GetUtcNow() >= until)
            {
                return row?.ToDto() ?? operation;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
        }
    }
}
