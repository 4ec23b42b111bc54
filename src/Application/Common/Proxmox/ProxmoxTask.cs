namespace ProxmoxLxc.Application.Common.Proxmox;

/// <summary>A Proxmox task identifier (UPID) split into its parts. <see cref="Upid"/> is the raw value.</summary>
public sealed record ProxmoxTask(
    string Upid,
    string Node,
    long Pid,
    long PStart,
    DateTimeOffset StartTime,
    string Type,
    string Id,
    string User)
{
    public override string ToString() => Upid;
}

public enum ProxmoxTaskOutcome
{
    Running,
    Succeeded,
    SucceededWithWarnings,
    Failed,
}

/// <summary>Status of a task. <see cref="ExitStatus"/> is Proxmox's raw text (<c>OK</c>, <c>WARNINGS: n</c> or an error).</summary>
public sealed record ProxmoxTaskStatus(
    ProxmoxTask Task,
    ProxmoxTaskOutcome Outcome,
    string? ExitStatus,
    int WarningCount,
    string? Error)
{
    public bool IsRunning => Outcome == ProxmoxTaskOutcome.Running;
    public bool IsSuccess => Outcome is ProxmoxTaskOutcome.Succeeded or ProxmoxTaskOutcome.SucceededWithWarnings;
}

public sealed record ProxmoxTaskLogLine(int Number, string Text);

/// <summary>A slice of a task log; <see cref="Total"/> is the number of lines the whole log has.</summary>
public sealed record ProxmoxTaskLog(IReadOnlyList<ProxmoxTaskLogLine> Lines, int Total);
