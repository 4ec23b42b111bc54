using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ProxmoxEmulator;

/// <summary>
/// The emulated cluster. All members are safe to call from tests; mutate through <see cref="Mutate"/> (or the helpers)
/// so changes are atomic with respect to API requests, and enumerate a container's collections inside <see cref="Read"/>.
/// </summary>
public sealed class ClusterState
{
    private readonly Dictionary<string, NodeState> _nodes = new(StringComparer.Ordinal);
    private readonly SortedDictionary<int, ContainerState> _containers = [];
    private readonly Dictionary<string, TaskState> _tasks = new(StringComparer.Ordinal);
    private readonly List<TaskState> _taskOrder = [];

    internal ClusterState(TimeProvider time) => Time = time;

    internal object Sync { get; } = new();

    internal TimeProvider Time { get; }

    /// <summary>Pool ids.</summary>
    public IReadOnlyCollection<string> Pools { get { lock (Sync) return [.. PoolSet]; } }

    internal SortedSet<string> PoolSet { get; } = new(StringComparer.Ordinal);

    /// <summary>Nodes (snapshot of the list; the node objects are live).</summary>
    public IReadOnlyList<NodeState> Nodes { get { lock (Sync) return [.. _nodes.Values]; } }

    /// <summary>Containers (snapshot of the list; the container objects are live, lock <see cref="Mutate"/> to change them).</summary>
    public IReadOnlyList<ContainerState> Containers { get { lock (Sync) return [.. _containers.Values]; } }

    /// <summary>Tasks in start order.</summary>
    public IReadOnlyList<TaskState> Tasks { get { lock (Sync) return [.. _taskOrder]; } }

    /// <summary>Finds a node by name.</summary>
    public NodeState? FindNode(string name) { lock (Sync) return _nodes.GetValueOrDefault(name); }

    /// <summary>Finds a container by id.</summary>
    public ContainerState? FindContainer(int vmid) { lock (Sync) return _containers.GetValueOrDefault(vmid); }

    /// <summary>Finds a task by UPID.</summary>
    public TaskState? FindTask(string upid) { lock (Sync) return _tasks.GetValueOrDefault(upid); }

    /// <summary>Runs <paramref name="action"/> under the state lock.</summary>
    public void Mutate(Action<ClusterState> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (Sync)
            action(this);
    }

    /// <summary>
    /// Reads under the state lock. Container objects are live and running tasks change them (a snapshot task adds to
    /// <see cref="ContainerState.Snapshots"/> when it ends), so a test enumerating one of their collections copies it here.
    /// </summary>
    public T Read<T>(Func<ClusterState, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (Sync)
            return read(this);
    }

    /// <summary>Sets or clears (<c>null</c>) the lock of a container, e.g. <c>backup</c>.</summary>
    public void SetLock(int vmid, string? lockValue) =>
        Mutate(s => (s.FindContainer(vmid) ?? throw new KeyNotFoundException($"CT {vmid} not found")).Lock = lockValue);

    /// <summary>Marks a node online or offline (offline: per-node calls give 595).</summary>
    public void SetNodeOnline(string node, bool online) =>
        Mutate(s => (s.FindNode(node) ?? throw new KeyNotFoundException($"node {node} not found")).Online = online);

    /// <summary>Waits until the task is stopped (polling) and returns it.</summary>
    public async Task<TaskState> WaitForTaskAsync(string upid, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var task = FindTask(upid) ?? throw new KeyNotFoundException("no such task " + upid);
            if (!task.IsRunning)
                return task;
            await Task.Delay(5, cts.Token);
        }
    }

    internal void AddNode(NodeState node) => _nodes[node.Name] = node;

    /// <summary>Removes nodes, pools and containers (tasks stay).</summary>
    internal void Clear()
    {
        _nodes.Clear();
        _containers.Clear();
        PoolSet.Clear();
    }

    internal void AddContainer(ContainerState ct) => _containers[ct.Vmid] = ct;

    /// <summary>Removes a container (tests: behind the client's back, as a delete by someone else would).</summary>
    public bool RemoveContainer(int vmid)
    {
        lock (Sync)
            return _containers.Remove(vmid);
    }

    internal void AddTask(TaskState task)
    {
        _tasks[task.Upid] = task;
        _taskOrder.Add(task);
    }
}

/// <summary>A cluster node.</summary>
public sealed class NodeState
{
    internal NodeState(NodeOptions o, DateTimeOffset bootTime)
    {
        Name = o.Name;
        Online = o.Online;
        MaxCpu = o.MaxCpu;
        MaxMem = o.MaxMem;
        MaxDisk = o.MaxDisk;
        BootTime = bootTime;
        Storages = [.. o.Storages.Select(s => new StorageState(s))];
    }

    /// <summary>Node name.</summary>
    public string Name { get; }

    /// <summary>Online flag (settable).</summary>
    public bool Online { get; set; }

    /// <summary>CPUs.</summary>
    public int MaxCpu { get; set; }

    /// <summary>Memory bytes.</summary>
    public long MaxMem { get; set; }

    /// <summary>Root disk bytes.</summary>
    public long MaxDisk { get; set; }

    /// <summary>When the node "booted" (uptime base).</summary>
    public DateTimeOffset BootTime { get; }

    /// <summary>Storages.</summary>
    public List<StorageState> Storages { get; }

    /// <summary>Finds a storage by id.</summary>
    public StorageState? FindStorage(string name) => Storages.FirstOrDefault(s => s.Name == name);
}

/// <summary>A storage on a node.</summary>
public sealed class StorageState
{
    internal StorageState(StorageOptions o)
    {
        Name = o.Name;
        Type = o.Type;
        Content = new SortedSet<string>(o.Content.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
        Total = o.Total;
        Used = o.Used;
        Active = o.Active;
        Templates = [.. o.Templates.Select(t => new TemplateOptions { VolId = t.VolId, Size = t.Size })];
    }

    /// <summary>Storage id.</summary>
    public string Name { get; }

    /// <summary>Storage type.</summary>
    public string Type { get; }

    /// <summary>Content types.</summary>
    public SortedSet<string> Content { get; }

    /// <summary>Capacity in bytes.</summary>
    public long Total { get; set; }

    /// <summary>Base used bytes (volumes of containers are added when reporting).</summary>
    public long Used { get; set; }

    /// <summary>Active flag.</summary>
    public bool Active { get; set; }

    /// <summary>Templates on this storage (remove one to make a create fail on this node).</summary>
    public List<TemplateOptions> Templates { get; }
}

/// <summary>A container. <see cref="Config"/> holds the raw Proxmox config strings.</summary>
public sealed class ContainerState
{
    internal ContainerState(int vmid, string node)
    {
        Vmid = vmid;
        Node = node;
    }

    /// <summary>VM id.</summary>
    public int Vmid { get; }

    /// <summary>Node.</summary>
    public string Node { get; set; }

    /// <summary>Running (or suspended) flag.</summary>
    public bool Running { get; set; }

    /// <summary>Suspended (frozen) flag.</summary>
    public bool Suspended { get; set; }

    /// <summary>Pool membership.</summary>
    public string? Pool { get; set; }

    /// <summary>When the container was created (RRD data starts here).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Start time (uptime base) when running.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>Config keys and their raw values (<c>rootfs</c> → <c>local-lvm:vm-100-disk-0,size=8G</c>).</summary>
    public SortedDictionary<string, string> Config { get; } = new(StringComparer.Ordinal);

    /// <summary>Pending values (applied at next start/reboot).</summary>
    public SortedDictionary<string, string> Pending { get; } = new(StringComparer.Ordinal);

    /// <summary>Pending deletions.</summary>
    public SortedSet<string> PendingDelete { get; } = new(StringComparer.Ordinal);

    /// <summary>Snapshots in creation order.</summary>
    public List<SnapshotState> Snapshots { get; } = [];

    /// <summary>Lock (<c>create</c>, <c>backup</c>, <c>snapshot</c>, ...), stored as config key <c>lock</c>.</summary>
    public string? Lock
    {
        get => Config.GetValueOrDefault("lock");
        set
        {
            if (value is null)
                Config.Remove("lock");
            else
                Config["lock"] = value;
        }
    }

    /// <summary>Host name.</summary>
    public string Hostname => Config.GetValueOrDefault("hostname") ?? "CT" + Vmid.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether this CT is a template.</summary>
    public bool IsTemplate => Config.GetValueOrDefault("template") == "1";

    /// <summary>Memory in MiB.</summary>
    public long MemoryMiB => long.TryParse(Config.GetValueOrDefault("memory"), CultureInfo.InvariantCulture, out var m) ? m : 512;

    /// <summary>Swap in MiB.</summary>
    public long SwapMiB => long.TryParse(Config.GetValueOrDefault("swap"), CultureInfo.InvariantCulture, out var m) ? m : 512;

    /// <summary>Cores (0 = all host cores, reported as node CPUs).</summary>
    public int Cores => int.TryParse(Config.GetValueOrDefault("cores"), CultureInfo.InvariantCulture, out var c) ? c : 0;

    /// <summary>Root disk size in bytes.</summary>
    public long RootDiskBytes => Config.TryGetValue("rootfs", out var r) ? Sizes.VolumeSize(r) : 0;

    /// <summary>The config file text (as written to <c>/etc/pve/nodes/NODE/lxc/VMID.conf</c>).</summary>
    public string Serialize()
    {
        var sb = new StringBuilder();
        AppendSection(sb, Config);
        if (Pending.Count > 0 || PendingDelete.Count > 0)
        {
            sb.Append("\n[pve:pending]\n");
            AppendSection(sb, Pending);
            if (PendingDelete.Count > 0)
                sb.Append("delete: ").Append(string.Join(',', PendingDelete)).Append('\n');
        }
        foreach (var snap in Snapshots)
        {
            sb.Append('\n').Append('[').Append(snap.Name).Append("]\n");
            AppendSection(sb, snap.Config);
        }
        return sb.ToString();
    }

    /// <summary>SHA-1 hex of <see cref="Serialize"/>, as returned in <c>digest</c>.</summary>
#pragma warning disable CA5350 // Proxmox defines the digest as SHA-1; it is a change detector, not a security control.
    public string Digest => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(Serialize())));
#pragma warning restore CA5350

    private static void AppendSection(StringBuilder sb, IEnumerable<KeyValuePair<string, string>> section)
    {
        foreach (var (k, v) in section)
        {
            if (k == "description")
            {
                foreach (var line in v.Split('\n'))
                    sb.Append('#').Append(line).Append('\n');
                continue;
            }
            sb.Append(k).Append(": ").Append(v).Append('\n');
        }
    }
}

/// <summary>A snapshot.</summary>
public sealed class SnapshotState
{
    /// <summary>Snapshot name.</summary>
    public required string Name { get; init; }

    /// <summary>Description.</summary>
    public string? Description { get; set; }

    /// <summary>Unix time of creation.</summary>
    public long SnapTime { get; init; }

    /// <summary>Parent snapshot name.</summary>
    public string? Parent { get; set; }

    /// <summary>Config at snapshot time (includes <c>snaptime</c>, <c>parent</c>, <c>description</c>).</summary>
    public SortedDictionary<string, string> Config { get; } = new(StringComparer.Ordinal);
}

/// <summary>An emulated worker task.</summary>
public sealed class TaskState
{
    private readonly List<string> _log = [];

    internal TaskState(string upid, string node, int pid, long pstart, long startTime, string type, string id, string user)
    {
        Upid = upid;
        Node = node;
        Pid = pid;
        PStart = pstart;
        StartTime = startTime;
        Type = type;
        Id = id;
        User = user;
    }

    /// <summary>UPID string.</summary>
    public string Upid { get; }

    /// <summary>Node.</summary>
    public string Node { get; }

    /// <summary>Worker pid.</summary>
    public int Pid { get; }

    /// <summary>Process start ticks.</summary>
    public long PStart { get; }

    /// <summary>Unix start time.</summary>
    public long StartTime { get; }

    /// <summary>Task type (<c>vzcreate</c>, ...).</summary>
    public string Type { get; }

    /// <summary>Task id (usually the vmid).</summary>
    public string Id { get; }

    /// <summary>User or token id that started it.</summary>
    public string User { get; }

    /// <summary>How many other tasks (any node, any type) were running when this one started: the concurrency a
    /// client caused, read without racing the clock.</summary>
    public int RunningAtStart { get; internal set; }

    /// <summary>True until the worker ends.</summary>
    public bool IsRunning => ExitStatus is null;

    /// <summary><c>OK</c>, <c>WARNINGS: n</c> or the error text; null while running.</summary>
    public string? ExitStatus { get; internal set; }

    /// <summary>Unix end time.</summary>
    public long? EndTime { get; internal set; }

    /// <summary>Log lines (snapshot).</summary>
    public IReadOnlyList<string> Log { get { lock (_log) return [.. _log]; } }

    internal int Warnings { get; set; }

    internal void AppendLog(string line)
    {
        lock (_log)
            _log.Add(line);
    }
}

/// <summary>Size helpers (PVE parse_size / format_size; powers of 1024).</summary>
internal static class Sizes
{
    public static long VolumeSize(string volumeString)
    {
        var values = PropertyString.ParseLoose(volumeString, "volume");
        return values.TryGetValue("size", out var size) && TryParse(size, out var bytes) ? bytes : 0;
    }

    /// <summary>Parses <c>8G</c>, <c>512M</c>, <c>1.5T</c>, <c>1024</c> (bytes).</summary>
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        if (text.Length == 0)
            return false;
        var unit = char.ToUpperInvariant(text[^1]);
        var multiplier = unit switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, 'T' => 1L << 40, _ => 1L };
        var number = multiplier == 1 ? text : text[..^1];
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            return false;
        bytes = (long)Math.Round(value * multiplier);
        return true;
    }

    /// <summary>Formats like PVE: the largest unit that divides the size exactly.</summary>
    public static string Format(long bytes)
    {
        foreach (var (suffix, unit) in new[] { ("T", 1L << 40), ("G", 1L << 30), ("M", 1L << 20), ("K", 1L << 10) })
        {
            if (bytes >= unit && bytes % unit == 0)
                return (bytes / unit).ToString(CultureInfo.InvariantCulture) + suffix;
        }
        return bytes.ToString(CultureInfo.InvariantCulture);
    }
}
