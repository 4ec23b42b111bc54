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

    private OperationLog Row => _row ??= OperationLog.Begin(
        request.RequestId, request.Method, request.Path, request.ClientAddress, time.GetUtcNow());

    public OperationDto Current => Row.ToDto();

    public void Received() => _ = Row;

    public void Describe(string action, bool isMutating, string? parameters, int? vmId)
    {
        var caller = currentCaller.Caller;
        Row.SetCaller(caller?.KeyId, caller?.Name);
        Row.Describe(action, isMutating, parameters, vmId, node: null);
    }

    public async Task BeginAsync()
    {
        Row.MarkStarted(time.GetUtcNow());
        await WriteAsync();
    }

    public void Target(int vmId, string? node) => Row.SetTarget(vmId, node);

    public OperationDto TaskStarted(ProxmoxTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        Row.AttachTask(task.Upid, task.Node);
        return Row.ToDto();
    }

    public void ChangesMade(string changes) => Row.RecordChanges(changes);

    public void ReplayOf(OperationDto original)
    {
        ArgumentNullException.ThrowIfNull(original);
        Row.RecordChanges(JsonSerializer.Serialize(new { replayOf = original.Id }, JsonOptions));
        Row.SetTarget(original.VmId, original.Node);
    }

    public void Completed()
    {
        if (Row.TaskId is null && !Row.IsCompleted)
        {
            Row.Succeed(time.GetUtcNow());
        }
    }

    public void Rejected(string code, string message) => Row.Reject(time.GetUtcNow(), code, message);

    public void Failed(string code, string message) => Row.Fail(time.GetUtcNow(), code, message);

    public void TaskEnded(OperationTaskEnd taskEnd)
    {
        ArgumentNullException.ThrowIfNull(taskEnd);
        taskEnd.ApplyTo(Row, time.GetUtcNow());
    }

    public Task SaveBeforeWaitingAsync() => WriteAsync();

    public async Task EndAsync(CallEnd callEnd)
    {
        ArgumentNullException.ThrowIfNull(callEnd);
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

        if (!row.IsCompleted && row.TaskId is null)
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

        if (!_written)
        {
            await store.QueueAsync(row);
            return;
        }

        await WriteAsync();
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
            await store.InsertAsync(Row);
            _written = true;
        }
    }
}
