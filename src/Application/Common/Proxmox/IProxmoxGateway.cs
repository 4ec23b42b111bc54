namespace ProxmoxLxc.Application.Common.Proxmox;

/// <summary>
/// Typed access to the Proxmox VE API for LXC containers. Implementations translate every failure into an
/// <see cref="Exceptions.AppException"/>: <see cref="Exceptions.NotFoundException"/> (missing container/snapshot),
/// <see cref="Exceptions.ConflictException"/> (<c>container_locked</c>, <c>container_state_conflict</c>,
/// <c>vmid_unavailable</c>), <see cref="Exceptions.PreconditionFailedException"/> (stale digest),
/// <see cref="Exceptions.RequestValidationException"/> (422, Proxmox parameter errors keyed by Proxmox parameter name),
/// <see cref="Exceptions.ProxmoxUnavailableException"/>, <see cref="Exceptions.ProxmoxTimeoutException"/> and
/// <see cref="Exceptions.ProxmoxErrorException"/>. Asynchronous Proxmox operations return a <see cref="ProxmoxTask"/>;
/// an accepted task may still fail later (see <see cref="WaitForTaskAsync"/>).
/// </summary>
public interface IProxmoxGateway
{
    // Cluster and nodes
    Task<ProxmoxVersion> GetVersionAsync(CancellationToken cancellationToken);
    /// <summary>The whole cluster (O(cluster)): only <see cref="IClusterInventory"/> calls this; handlers read the inventory.</summary>
    Task<ClusterResources> GetClusterResourcesAsync(CancellationToken cancellationToken);
    Task<int> GetNextVmIdAsync(CancellationToken cancellationToken);
    Task<IReadOnlyList<NodeInfo>> ListNodesAsync(CancellationToken cancellationToken);

    // Container lifecycle (all return the Proxmox task)
    Task<ProxmoxTask> CreateContainerAsync(ContainerCreateSpec spec, CancellationToken cancellationToken);
    Task<ProxmoxTask> DeleteContainerAsync(string node, int vmid, bool purge, bool force, CancellationToken cancellationToken);
    Task<ProxmoxTask> CloneContainerAsync(string node, int vmid, ContainerCloneSpec spec, CancellationToken cancellationToken);
    Task<ProxmoxTask> ResizeDiskAsync(string node, int vmid, string disk, DiskResize size, CancellationToken cancellationToken);

    // Config
    Task<ContainerConfig> GetConfigAsync(string node, int vmid, CancellationToken cancellationToken);
    /// <summary>Applies the update synchronously (Proxmox <c>PUT .../config</c> returns nothing).</summary>
    Task UpdateConfigAsync(string node, int vmid, ContainerConfigUpdate update, CancellationToken cancellationToken);
    /// <summary>
    /// Config (pending values applied, with its digest) and the pending changes, from one <c>GET .../pending</c>
    /// (which lists every config key with its current and pending value, digest included).
    /// </summary>
    Task<PendingConfig> GetPendingConfigAsync(string node, int vmid, CancellationToken cancellationToken);

    // Status and power
    Task<ContainerStatus> GetStatusAsync(string node, int vmid, CancellationToken cancellationToken);
    Task<ProxmoxTask> StartAsync(string node, int vmid, CancellationToken cancellationToken);
    Task<ProxmoxTask> StopAsync(string node, int vmid, CancellationToken cancellationToken);
    Task<ProxmoxTask> ShutdownAsync(string node, int vmid, int? timeoutSeconds, bool forceStop, CancellationToken cancellationToken);
    Task<ProxmoxTask> RebootAsync(string node, int vmid, int? timeoutSeconds, CancellationToken cancellationToken);
    Task<ProxmoxTask> SuspendAsync(string node, int vmid, CancellationToken cancellationToken);
    Task<ProxmoxTask> ResumeAsync(string node, int vmid, CancellationToken cancellationToken);

    // Snapshots
    Task<IReadOnlyList<ContainerSnapshot>> ListSnapshotsAsync(string node, int vmid, CancellationToken cancellationToken);
    Task<ProxmoxTask> CreateSnapshotAsync(string node, int vmid, string name, string? description, CancellationToken cancellationToken);
    Task<ProxmoxTask> DeleteSnapshotAsync(string node, int vmid, string name, CancellationToken cancellationToken);
    Task<ProxmoxTask> RollbackSnapshotAsync(string node, int vmid, string name, CancellationToken cancellationToken);

    // Monitoring
    Task<IReadOnlyList<RrdPoint>> GetRrdDataAsync(string node, int vmid, RrdTimeframe timeframe, RrdConsolidation consolidation, CancellationToken cancellationToken);
    /// <summary>Interfaces and addresses of a running container; empty for a stopped one.</summary>
    Task<IReadOnlyList<ContainerInterface>> GetInterfacesAsync(string node, int vmid, CancellationToken cancellationToken);

    // Tasks
    Task<ProxmoxTaskStatus> GetTaskStatusAsync(ProxmoxTask task, CancellationToken cancellationToken);
    /// <summary>The last <paramref name="lines"/> lines of the task log.</summary>
    Task<ProxmoxTaskLog> GetTaskLogTailAsync(ProxmoxTask task, int lines, CancellationToken cancellationToken);
    /// <summary>Polls the task (adaptive back-off) until it stops or <paramref name="maxWait"/> elapses;
    /// returns the last status seen (<see cref="ProxmoxTaskOutcome.Running"/> when time ran out).</summary>
    Task<ProxmoxTaskStatus> WaitForTaskAsync(ProxmoxTask task, TimeSpan maxWait, CancellationToken cancellationToken);

    /// <summary>
    /// Tasks of a Proxmox task <paramref name="type"/> (<c>vzstart</c>…) on a container that this service's own Proxmox
    /// user started on <paramref name="node"/> since <paramref name="since"/>, running or finished, oldest first — to find
    /// the task of an action whose answer (the UPID) was lost.
    /// </summary>
    Task<IReadOnlyList<ProxmoxTask>> FindOwnTasksAsync(string node, int vmid, string type, DateTimeOffset since, CancellationToken cancellationToken);

    // Storage and templates
    Task<IReadOnlyList<StorageInfo>> ListStoragesAsync(string node, CancellationToken cancellationToken);
    Task<IReadOnlyList<TemplateInfo>> ListTemplatesAsync(string node, string storage, CancellationToken cancellationToken);
}
