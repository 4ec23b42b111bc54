using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Operations;

/// <summary>
/// Scoped owner of the request's operation-log row. Direct writes use their own short-lived context
/// and <see cref="CancellationToken.None"/>, so a caller hanging up never erases or half-writes a row.
/// </summary>
internal sealed class OperationRecorder(
    IDbContextFactory<AppDbContext> dbFactory,
    OperationLogBuffer queue,
    OperationTaskHandoff tasks,
    IRequestContext request,
    ICurrentCaller currentCaller,
    TimeProvider time) : IOperationRecorder
{
    private OperationLog? _entry;
    private bool _finished;

    public OperationLog Entry => _entry ??= OperationLog.Begin(
        request.RequestId, request.Method, request.Path, request.ClientAddress, time.GetUtcNow());

    public bool IsPersisted { get; private set; }

    public async Task SaveAsync()
    {
        var entry = Entry;
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        if (IsPersisted)
        {
            db.OperationLogs.Update(entry);
        }
        else
        {
            db.OperationLogs.Add(entry);
        }

        await db.SaveChangesAsync(CancellationToken.None);
        IsPersisted = true;
    }

    public async Task FinishAsync(int httpStatus)
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        var entry = Entry;
        if (entry.KeyId is null && currentCaller.Caller is { } caller)
        {
            entry.SetCaller(caller.KeyId, caller.Name);
        }

        entry.SetHttpStatus(httpStatus);
        if (!entry.IsCompleted && entry.TaskId is null)
        {
            var now = time.GetUtcNow();
            if (httpStatus < 400)
            {
                entry.Succeed(now);
            }
            else if (httpStatus < 500)
            {
                entry.Reject(now, StatusCodes.CodeFor(httpStatus), $"HTTP {httpStatus}");
            }
            else
            {
                entry.Fail(now, StatusCodes.CodeFor(httpStatus), $"HTTP {httpStatus}");
            }
        }

        if (IsPersisted)
        {
            await SaveAsync();
            if (entry.TaskId is not null && !entry.IsCompleted)
            {
                // The request no longer owns the row: the background worker follows the task to its end.
                tasks.Enqueue(entry.Id);
            }
        }
        else
        {
            await queue.EnqueueAsync(entry);
        }
    }

    private static class StatusCodes
    {
        public static string CodeFor(int status) => status switch
        {
            400 => "validation_failed",
            401 => "unauthenticated",
            403 => "insufficient_scope",
            404 => "not_found",
            405 => "method_not_allowed",
            406 => "not_acceptable",
            409 => "conflict",
            412 => "precondition_failed",
            413 => "payload_too_large",
            415 => "unsupported_media_type",
            422 => "validation_failed",
            429 => "rate_limited",
            503 => "proxmox_unavailable",
            504 => "proxmox_timeout",
            _ => status >= 500 ? "internal_error" : "rejected",
        };
    }
}
