using System.Text.Json;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Domain.Operations;

namespace ProxmoxLxc.Application.Operations;

/// <summary>The call's operation-log row and its only writer during the call (see <see cref="IOperationRecorder"/>).</summary>
internal sealed class OperationRecorder(IOperationLogStore store, IRequestContext request, ICurrentCaller currentCaller, TimeProvider time)
    : IOperationRecorder
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private OperationLog? _row;
    private bool _written;
    private bool _ended;
    private bool _answerLost;
    private bool _begun;
    private bool _handedOff;
    private bool _counted;
    private long? _claimId;

    private OperationLog Row => _row ??= OperationLog.Begin(
        request.RequestId, request.Method, request.Path, request.ClientAddress, time.GetUtcNow());

    public OperationDto Current => Row.ToDto();

    public void Received()
    {
        _ = Row;
        if (!_counted)
        {
            _counted = true;
            store.CallReceived();
        }
    }

    public void Describe(string action, bool isMutating, string? parameters, int? vmId)
    {
        var caller = currentCaller.Caller;
        Row.SetCaller(caller?.KeyId, caller?.Name);
        Row.Describe(action, isMutating, parameters, vmId, node: null);
    }

    public async Task BeginAsync()
    {
        Row.MarkStarted(time.GetUtcNow());
        await store.EnsureWritableAsync();
        _begun = true;
    }

    public async Task TargetAsync(int vmId, string? node)
    {
        var row = Row;
        var changed = row.VmId != vmId || row.Node != node;
        row.SetTarget(vmId, node);
        if (_begun && !_ended && (changed || !_written))
        {
            // The row's first write (or a changed target): durable before anything is dispatched to the container.
            await WriteAsync();
        }
    }

    public OperationDto TaskStarted(ProxmoxTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        Row.AttachTask(task.Upid, task.Node);
        return Row.ToDto();
    }

    public async Task<OperationDto> HandOffAsync(string changes)
    {
        var row = Row;
        row.RecordChanges(changes);
        row.SetHttpStatus(202);
        await WriteAsync();
        _ended = true;
        _handedOff = true;
        // The row stays held (its lease renewed) by this process until the runner it is handed to ends it.
        return row.ToDto();
    }

    public void UnderClaim(long claimId) => _claimId = claimId;

    public void ChangesMade(string changes) => Row.RecordChanges(changes);

    public void ReplayOf(OperationDto original)
    {
        ArgumentNullException.ThrowIfNull(original);
        Row.RecordChanges(JsonSerializer.Serialize(new { replayOf = original.Id }, JsonOptions));
        Row.SetTarget(original.VmId, original.Node);
    }

    public void Completed()
    {
        if (Row.TaskId is null && !Row.IsCompleted && !_handedOff)
        {
            Row.Succeed(time.GetUtcNow());
        }
    }

    public void Rejected(string code, string message)
    {
        if (!_handedOff)
        {
            Row.Reject(time.GetUtcNow(), code, message);
        }
    }

    public void Failed(string code, string message)
    {
        if (!_handedOff)
        {
            Row.Fail(time.GetUtcNow(), code, message);
        }
    }

    public void AnswerLost() => _answerLost = true;

    public void TaskEnded(OperationTaskEnd taskEnd)
    {
        ArgumentNullException.ThrowIfNull(taskEnd);
        taskEnd.ApplyTo(Row, time.GetUtcNow());
    }

    public async Task EndAsync(CallEnd callEnd)
    {
        ArgumentNullException.ThrowIfNull(callEnd);
        try
        {
            await EndCallAsync(callEnd);
        }
        finally
        {
            if (_counted)
            {
                _counted = false;
                store.CallFinished();
            }
        }
    }

    private async Task EndCallAsync(CallEnd callEnd)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        var row = Row;
        if (row.KeyId is null && currentCaller.Caller is { } caller)
        {
            row.SetCaller(caller.KeyId, caller.Name);
        }

        if (callEnd.AnswerCode is { } answer)
        {
            row.SetHttpStatus(answer);
        }

        if (!row.IsCompleted && row.TaskId is null && !_answerLost)
        {
            var now = time.GetUtcNow();
            switch (callEnd.Outcome)
            {
                case OperationOutcome.Rejected:
                    row.Reject(now, callEnd.ErrorCode ?? "rejected", callEnd.Error ?? string.Empty);
                    break;
                case OperationOutcome.Failed:
                    row.Fail(now, callEnd.ErrorCode ?? ErrorCodes.InternalError, callEnd.Error ?? string.Empty);
                    break;
                default:
                    row.Succeed(now);
                    break;
            }
        }

        if (!_written && !_begun)
        {
            await store.QueueAsync(row);
            return;
        }

        try
        {
            // A mutating call that ended before targeting a container is written here, once. One that failed or was
            // rejected dispatched nothing and its Idempotency-Key claim was released (a retry may act): the row is not
            // linked to it. One that succeeded links its claim here, so a retry replays it.
            if (row.Outcome is OperationOutcome.Failed or OperationOutcome.Rejected)
            {
                _claimId = null;
            }

            await WriteAsync();
        }
        catch (DatabaseUnavailableException) when (!_written)
        {
            // Never written: the batch writer writes it once the database is back.
            await store.QueueAsync(row);
            return;
        }
        catch (DatabaseUnavailableException)
        {
            // The row stays as last written (running, its target known); the background reconciler settles it.
            store.CallEnded(row.Id);
            return;
        }

        store.CallEnded(row.Id);
        if (row.TaskId is not null && !row.IsCompleted)
        {
            // The call no longer owns the row: the background worker follows the task to its end.
            store.FollowTask(row.Id);
        }
    }

    private async Task WriteAsync()
    {
        if (_written)
        {
            await store.UpdateAsync(Row);
        }
        else
        {
            // The claim is linked by the first insert attempt only: a row written later (the call's end after a failed first
            // write) belongs to a call whose claim has been released.
            var claim = _claimId;
            _claimId = null;
            await store.InsertAsync(Row, claim);
            _written = true;
        }
    }
}
