using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.Operations;

/// <summary>
/// <c>Prefer: wait=N</c>: waits up to N seconds for the operation a command just returned. The request's own
/// operation is completed through its recorder (the request owns the row until it ends); an operation replayed through
/// <c>Idempotency-Key</c> belongs to the background worker, so it is only re-read.
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

        var own = recorder.Current;
        return own.Id == operation.Id && own.TaskId is not null
            ? await WaitForOwnAsync(own, maxWait, cancellationToken)
            : await WaitForOtherAsync(operation, maxWait, cancellationToken);
    }

    private async Task<OperationDto> WaitForOwnAsync(OperationDto own, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        if (!ProxmoxTaskId.TryParse(own.TaskId, out var task))
        {
            return own;
        }

        await recorder.SaveBeforeWaitingAsync();
        var limit = options.Value.LimitFor(own.Action);
        var deadline = (own.StartedAt ?? own.RequestedAt) + limit;
        var wait = deadline - time.GetUtcNow();
        wait = wait < maxWait ? wait : maxWait;
        try
        {
            var status = await gateway.WaitForTaskAsync(task, wait > TimeSpan.Zero ? wait : TimeSpan.Zero, cancellationToken);
            if (!status.IsRunning)
            {
                var log = status.Outcome == ProxmoxTaskOutcome.SucceededWithWarnings
                    ? await gateway.GetTaskLogTailAsync(task, OperationTaskEnd.LogLinesForWarnings, cancellationToken)
                    : null;
                recorder.TaskEnded(OperationTaskEnd.Finished(status, log));
            }
            else if (time.GetUtcNow() >= deadline)
            {
                recorder.TaskEnded(OperationTaskEnd.TimedOut(limit));
            }
        }
        catch (AppException)
        {
            // Proxmox could not tell us: answer with the operation still running; the background worker follows it.
        }

        return recorder.Current;
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
