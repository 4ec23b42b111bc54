namespace ProxmoxLxc.Application.Operations;

/// <summary>
/// How long an operation may wait for its Proxmox task (section <c>Operations</c>). After its limit the operation
/// fails with <c>proxmox_timeout</c> (the Proxmox task itself is left alone).
/// </summary>
public sealed class OperationTrackingOptions
{
    public const string SectionName = "Operations";

    /// <summary>Limit for actions without an entry in <see cref="Limits"/> or the built-in table.</summary>
    public TimeSpan DefaultLimit { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Per-action overrides, keyed by action name (<c>CreateContainer</c>, <c>StartContainer</c>…).</summary>
    public Dictionary<string, TimeSpan> Limits { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How often the background worker looks for unfinished rows no live instance holds (after a restart, or when the
    /// instance that held them died: their leases ran out). With the default lease of 15 s a dead instance's operations
    /// are taken over within 25 s.
    /// </summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest <c>Prefer: wait</c> honoured (RFC 7240); larger values are clamped to it.</summary>
    public static readonly TimeSpan MaxPreferWait = TimeSpan.FromSeconds(120);

    public TimeSpan LimitFor(string action)
    {
        if (Limits.TryGetValue(action, out var configured))
        {
            return configured;
        }

        return action switch
        {
            "CreateContainer" or "CloneContainer" => TimeSpan.FromMinutes(30),
            "StartContainer" or "StopContainer" or "ShutdownContainer" or "RebootContainer"
                or "SuspendContainer" or "ResumeContainer" => TimeSpan.FromMinutes(5),
            _ => DefaultLimit,
        };
    }
}
