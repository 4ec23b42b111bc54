namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>The Proxmox task type each container action starts (pve-container <c>fork_worker</c>; NOTES §5).</summary>
internal static class ProxmoxTaskTypes
{
    /// <summary>The task type of <paramref name="action"/>, or null for actions without a task (config changes, keys).</summary>
    public static string? ForAction(string action) => action switch
    {
        "CreateContainer" => "vzcreate",
        "DeleteContainer" => "vzdestroy",
        "CloneContainer" => "vzclone",
        "StartContainer" => "vzstart",
        "StopContainer" => "vzstop",
        "ShutdownContainer" => "vzshutdown",
        "RebootContainer" => "vzreboot",
        "SuspendContainer" => "vzsuspend",
        "ResumeContainer" => "vzresume",
        "CreateSnapshot" => "vzsnapshot",
        "DeleteSnapshot" => "vzdelsnapshot",
        "RollbackSnapshot" => "vzrollback",
        "ResizeContainerDisk" => "resize",
        _ => null,
    };
}
