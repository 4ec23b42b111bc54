using System.Text.Json;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Domain.Operations;

namespace ProxmoxLxc.Application.Operations;

/// <summary>
/// How an operation's Proxmox task ended — the one intent that completes a row from its task, told to the call's
/// recorder (<c>Prefer: wait</c>) or applied by the background worker that follows the task after the call.
/// </summary>
public sealed class OperationTaskEnd
{
    /// <summary>Log lines read to collect warnings (<c>WARN: …</c>).</summary>
    public const int LogLinesForWarnings = 500;

    private readonly Action<OperationLog, DateTimeOffset> _apply;

    private OperationTaskEnd(Action<OperationLog, DateTimeOffset> apply) => _apply = apply;

    /// <summary>A stopped task's outcome; <c>WARNINGS: n</c> is success with the warnings listed.</summary>
    public static OperationTaskEnd Finished(ProxmoxTaskStatus status, ProxmoxTaskLog? log)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.Outcome switch
        {
            ProxmoxTaskOutcome.Succeeded => new((row, at) => row.Succeed(at, status.ExitStatus ?? "OK")),
            ProxmoxTaskOutcome.SucceededWithWarnings => new((row, at) =>
                row.Succeed(at, status.ExitStatus, JsonSerializer.Serialize(WarningsOf(status, log)))),
            ProxmoxTaskOutcome.Failed => Failed(status),
            _ => throw new InvalidOperationException("The task is still running."),
        };
    }

    /// <summary>The task outlived its limit.</summary>
    public static OperationTaskEnd TimedOut(TimeSpan limit) => new((row, at) =>
        row.Fail(at, ErrorCodes.ProxmoxTimeout, $"The Proxmox task did not finish within {limit} (the task may still be running on Proxmox)."));

    /// <summary>Proxmox no longer knows the task.</summary>
    public static OperationTaskEnd Lost() => new((row, at) =>
        row.Fail(at, ErrorCodes.TaskNotFound, "Proxmox no longer knows the task of this operation."));

    /// <summary>Completes <paramref name="row"/> at <paramref name="at"/>.</summary>
    public void ApplyTo(OperationLog row, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(row);
        _apply(row, at);
    }

    private static OperationTaskEnd Failed(ProxmoxTaskStatus status)
    {
        var error = string.IsNullOrWhiteSpace(status.Error) ? status.ExitStatus ?? "The Proxmox task failed." : status.Error;
        return new((row, at) => row.Fail(at, CodeFor(error), Truncate(error, 4000)!, Truncate(status.ExitStatus, 1000)));
    }

    private static List<string> WarningsOf(ProxmoxTaskStatus status, ProxmoxTaskLog? log)
    {
        var warnings = (log?.Lines ?? [])
            .Select(l => l.Text)
            .Where(t => t.StartsWith("WARN:", StringComparison.Ordinal))
            .Select(t => t["WARN:".Length..].Trim())
            .ToList();
        if (warnings.Count == 0 && status.WarningCount > 0)
        {
            warnings.Add($"Proxmox reported {status.WarningCount} warning(s); see the task log.");
        }

        return warnings;
    }

    private static string CodeFor(string error) =>
        error.Contains("is locked", StringComparison.OrdinalIgnoreCase) || error.Contains("got timeout", StringComparison.OrdinalIgnoreCase)
            ? ErrorCodes.ContainerLocked
            : ErrorCodes.OperationOnly.TaskFailed;

    private static string? Truncate(string? text, int max) => text is null || text.Length <= max ? text : text[..max];
}
