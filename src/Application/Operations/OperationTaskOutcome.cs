using System.Text.Json;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Domain.Operations;

namespace ProxmoxLxc.Application.Operations;

/// <summary>Completes an operation-log row from the end of its Proxmox task (shared by <c>Prefer: wait</c> and the background worker).</summary>
public static class OperationTaskOutcome
{
    /// <summary>Log lines read to collect warnings (<c>WARN: …</c>).</summary>
    public const int LogLinesForWarnings = 500;

    /// <summary>Applies a stopped task's outcome; <c>WARNINGS: n</c> is success with the warnings listed.</summary>
    public static void Apply(OperationLog entry, ProxmoxTaskStatus status, ProxmoxTaskLog? log, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(status);
        switch (status.Outcome)
        {
            case ProxmoxTaskOutcome.Succeeded:
                entry.Succeed(at, status.ExitStatus ?? "OK");
                break;
            case ProxmoxTaskOutcome.SucceededWithWarnings:
                entry.Succeed(at, status.ExitStatus, JsonSerializer.Serialize(WarningsOf(status, log)));
                break;
            case ProxmoxTaskOutcome.Failed:
                var error = string.IsNullOrWhiteSpace(status.Error) ? status.ExitStatus ?? "The Proxmox task failed." : status.Error;
                entry.Fail(at, CodeFor(error), Truncate(error, 4000)!, Truncate(status.ExitStatus, 1000));
                break;
            default:
                throw new InvalidOperationException("The task is still running.");
        }
    }

    /// <summary>Marks an operation whose task outlived its limit.</summary>
    public static void TimeOut(OperationLog entry, TimeSpan limit, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entry.Fail(at, ErrorCodes.ProxmoxTimeout, $"The Proxmox task did not finish within {limit} (the task may still be running on Proxmox).");
    }

    /// <summary>Marks an operation whose task Proxmox no longer knows.</summary>
    public static void Lost(OperationLog entry, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entry.Fail(at, ErrorCodes.TaskNotFound, "Proxmox no longer knows the task of this operation.");
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
