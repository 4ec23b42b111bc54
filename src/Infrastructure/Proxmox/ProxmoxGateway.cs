using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Infrastructure.Proxmox.Wire;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary><see cref="IProxmoxGateway"/> over the Proxmox VE REST API (<c>/api2/json</c>).</summary>
internal sealed partial class ProxmoxGateway(ProxmoxApiClient api, IOptions<ProxmoxOptions> options, TimeProvider timeProvider) : IProxmoxGateway
{
    // ---------------- cluster and nodes ----------------

    public async Task<ProxmoxVersion> GetVersionAsync(CancellationToken cancellationToken)
    {
        var wire = await api.GetAsync<WireVersion>("version", "version", cancellationToken);
        return new ProxmoxVersion(wire.Version ?? "unknown", wire.Release, wire.RepoId);
    }

    public async Task<ClusterResources> GetClusterResourcesAsync(CancellationToken cancellationToken)
    {
        var wire = await api.GetAsync<List<WireClusterResource>>("cluster/resources", "cluster.resources", cancellationToken);
        var containers = wire.Where(r => r.Type == "lxc" && r.VmId is not null && r.Node is not null).Select(ToClusterContainer).ToList();
        var nodes = wire.Where(r => r.Type == "node" && r.Node is not null).Select(r => new ClusterNode
        {
            Node = r.Node!,
            Status = r.Status ?? "unknown",
            Cpu = r.Cpu,
            MaxCpu = r.MaxCpu,
            MemoryBytes = r.Mem,
            MaxMemoryBytes = r.MaxMem,
            DiskBytes = r.Disk,
            MaxDiskBytes = r.MaxDisk,
            UptimeSeconds = r.Uptime,
        }).ToList();
        return new ClusterResources(containers, nodes)
        {
            UsedVmIds = wire.Where(r => r.Type is "lxc" or "qemu" && r.VmId is not null).Select(r => r.VmId!.Value).ToHashSet(),
            Pools = wire.Where(r => r.Type == "pool" && !string.IsNullOrEmpty(r.Pool)).Select(r => r.Pool!).Distinct(StringComparer.Ordinal).ToList(),
        };
    }

    public async Task<ClusterContainer?> FindContainerAsync(int vmid, CancellationToken cancellationToken)
    {
        var wire = await api.GetAsync<List<WireClusterResource>>("cluster/resources", "cluster.resources", cancellationToken, Param("type", "vm"));
        var match = wire.FirstOrDefault(r => r.Type == "lxc" && r.VmId == vmid && r.Node is not null);
        return match is null ? null : ToClusterContainer(match);
    }

    public async Task<int> GetNextVmIdAsync(CancellationToken cancellationToken)
    {
        // Proxmox answers {"data":"100"} (a string) in practice; accept a number too.
        var data = await api.GetAsync("cluster/nextid", "cluster.nextid", cancellationToken);
        var text = ProxmoxJson.AsText(data);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new ProxmoxErrorException("Proxmox returned an invalid next VM id.");
    }

    public async Task<IReadOnlyList<NodeInfo>> ListNodesAsync(CancellationToken cancellationToken)
    {
        var wire = await api.GetAsync<List<WireNode>>("nodes", "nodes.list", cancellationToken);
        return wire.Where(n => n.Node is not null).Select(n => new NodeInfo
        {
            Node = n.Node!,
            Status = n.Status ?? "unknown",
            Cpu = n.Cpu,
            MaxCpu = n.MaxCpu,
            MemoryBytes = n.Mem,
            MaxMemoryBytes = n.MaxMem,
            UptimeSeconds = n.Uptime,
            SslFingerprint = n.SslFingerprint,
        }).ToList();
    }

    public async Task<NodeStatus> GetNodeStatusAsync(string node, CancellationToken cancellationToken)
    {
        var wire = await api.GetAsync<WireNodeStatus>($"nodes/{Segment("node", node)}/status", "nodes.status", cancellationToken);
        return new NodeStatus
        {
            Cpu = wire.Cpu,
            CpuCount = wire.CpuInfo?.Cpus ?? 0,
            MemoryTotalBytes = wire.Memory?.Total ?? 0,
            MemoryUsedBytes = wire.Memory?.Used ?? 0,
            MemoryFreeBytes = wire.Memory?.Free ?? 0,
            RootFsTotalBytes = wire.RootFs?.Total ?? 0,
            RootFsUsedBytes = wire.RootFs?.Used ?? 0,
            RootFsAvailableBytes = wire.RootFs?.Avail ?? 0,
            UptimeSeconds = wire.Uptime,
            LoadAverage = (wire.LoadAvg ?? []).Select(l => double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0).ToList(),
            PveVersion = wire.PveVersion,
            KernelRelease = wire.CurrentKernel?.Release,
        };
    }

    public async Task<IReadOnlyList<NodeContainer>> ListNodeContainersAsync(string node, CancellationToken cancellationToken)
    {
        var wire = await api.GetAsync<List<WireNodeContainer>>($"nodes/{Segment("node", node)}/lxc", "lxc.list", cancellationToken);
        return wire.Select(c => new NodeContainer
        {
            VmId = c.VmId,
            Status = c.Status ?? "unknown",
            Name = c.Name,
            Cpus = c.Cpus,
            Cpu = c.Cpu,
            MemoryBytes = c.Mem,
            MaxMemoryBytes = c.MaxMem,
            MaxSwapBytes = c.MaxSwap,
            DiskBytes = c.Disk,
            MaxDiskBytes = c.MaxDisk,
            UptimeSeconds = c.Uptime,
            Tags = LxcPropertyStrings.ParseTags(c.Tags),
            Lock = NullIfEmpty(c.Lock),
            Template = c.Template,
        }).ToList();
    }

    // ---------------- lifecycle ----------------

    public Task<ProxmoxTask> CreateContainerAsync(ContainerCreateSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var p = new ParameterList();
        p.Add("vmid", spec.VmId);
        p.AddSingleLine("ostemplate", spec.OsTemplate);
        p.AddSingleLine("hostname", spec.Hostname);
        p.Add("cores", spec.Cores);
        p.Add("cpulimit", spec.CpuLimit);
        p.Add("cpuunits", spec.CpuUnits);
        p.Add("memory", spec.MemoryMiB);
        p.Add("swap", spec.SwapMiB);
        if (spec.RootFs is not null)
            p.AddRaw("rootfs", LxcPropertyStrings.BuildRootFs(spec.RootFs));
        AddNetworks(p, spec.Networks);
        var mpIndexes = new HashSet<int>();
        foreach (var mp in spec.MountPoints)
        {
            if (!mpIndexes.Add(mp.Index))
                throw new RequestValidationException($"mp{mp.Index}", "Duplicate mount point index.");
            p.AddRaw($"mp{mp.Index}", LxcPropertyStrings.BuildMountPoint(mp));
        }

        p.AddSecret("password", spec.Password);
        p.AddMultiLine("ssh-public-keys", spec.SshPublicKeys);
        p.Add("unprivileged", spec.Unprivileged);
        if (spec.Features is not null && LxcPropertyStrings.BuildFeatures(spec.Features) is { } features)
            p.AddRaw("features", features);
        p.Add("onboot", spec.OnBoot);
        p.Add("start", spec.Start);
        if (spec.Tags.Count > 0)
            p.AddRaw("tags", LxcPropertyStrings.BuildTags("tags", spec.Tags));
        p.AddSingleLine("pool", spec.Pool);
        p.AddMultiLine("description", spec.Description);
        p.AddSingleLine("nameserver", spec.Nameserver);
        p.AddSingleLine("searchdomain", spec.SearchDomain);
        return PostTaskAsync($"nodes/{Segment("node", spec.Node)}/lxc", p, "lxc.create", cancellationToken);
    }

    public Task<ProxmoxTask> DeleteContainerAsync(string node, int vmid, bool purge, bool force, CancellationToken cancellationToken)
    {
        var p = new ParameterList();
        if (purge)
            p.Add("purge", true);
        if (force)
            p.Add("force", true);
        return TaskAsync(HttpMethod.Delete, CtPath(node, vmid), p, "lxc.delete", cancellationToken);
    }

    public Task<ProxmoxTask> CloneContainerAsync(string node, int vmid, ContainerCloneSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var p = new ParameterList();
        p.Add("newid", spec.NewVmId);
        p.AddSingleLine("hostname", spec.Hostname);
        p.Add("full", spec.Full);
        p.AddSingleLine("target", spec.TargetNode);
        if (spec.TargetStorage is not null)
        {
            LxcPropertyStrings.EnsureStorageId("storage", spec.TargetStorage);
            p.AddRaw("storage", spec.TargetStorage);
        }

        p.AddSingleLine("pool", spec.Pool);
        p.AddMultiLine("description", spec.Description);
        return PostTaskAsync(CtPath(node, vmid) + "/clone", p, "lxc.clone", cancellationToken);
    }

    public Task<ProxmoxTask> ResizeDiskAsync(string node, int vmid, string disk, DiskResize size, CancellationToken cancellationToken)
    {
        if (!DiskNameRegex().IsMatch(disk))
            throw new RequestValidationException("disk", "Disk must be 'rootfs' or 'mpN'.");
        var p = new ParameterList();
        p.AddRaw("disk", disk);
        p.AddRaw("size", LxcPropertyStrings.BuildResizeSize(size));
        return TaskAsync(HttpMethod.Put, CtPath(node, vmid) + "/resize", p, "lxc.resize", cancellationToken);
    }

    // ---------------- config ----------------

    public async Task<ContainerConfig> GetConfigAsync(string node, int vmid, CancellationToken cancellationToken)
    {
        var data = await api.GetAsync(CtPath(node, vmid) + "/config", "lxc.config.get", cancellationToken);
        if (data.ValueKind != JsonValueKind.Object)
            throw new ProxmoxErrorException("Proxmox returned an unexpected container configuration.");
        var raw = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in data.EnumerateObject())
        {
            if (ProxmoxJson.AsText(property.Value) is { } text)
                raw[property.Name] = text;
        }

        return ConfigMapping.ToConfig(raw);
    }

    public Task UpdateConfigAsync(string node, int vmid, ContainerConfigUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var p = new ParameterList();
        p.AddSingleLine("hostname", update.Hostname);
        p.Add("cores", update.Cores);
        p.Add("cpulimit", update.CpuLimit);
        p.Add("cpuunits", update.CpuUnits);
        p.Add("memory", update.MemoryMiB);
        p.Add("swap", update.SwapMiB);
        if (update.Networks is not null)
            AddNetworks(p, update.Networks);
        var delete = new List<string>(update.Delete);
        if (update.Features is not null)
        {
            if (LxcPropertyStrings.BuildFeatures(update.Features) is { } features)
                p.AddRaw("features", features);
            else
                delete.Add("features");
        }

        p.Add("onboot", update.OnBoot);
        if (update.Tags is not null)
        {
            if (update.Tags.Count > 0)
                p.AddRaw("tags", LxcPropertyStrings.BuildTags("tags", update.Tags));
            else
                delete.Add("tags");
        }

        p.AddMultiLine("description", update.Description);
        p.AddSingleLine("nameserver", update.Nameserver);
        p.AddSingleLine("searchdomain", update.SearchDomain);
        foreach (var key in delete)
        {
            if (!ConfigKeyRegex().IsMatch(key))
                throw new RequestValidationException("delete", $"'{key}' is not a valid configuration key.");
            if (p.Contains(key))
                throw new RequestValidationException("delete", $"'{key}' cannot be set and deleted at once.");
        }

        if (delete.Count > 0)
            p.AddRaw("delete", string.Join(',', delete.Distinct(StringComparer.Ordinal)));
        if (p.Count == 0)
            return Task.CompletedTask; // nothing to change; Proxmox would answer "no options specified"
        if (update.Digest is not null)
        {
            if (!DigestRegex().IsMatch(update.Digest))
                throw new RequestValidationException("digest", "Digest must be a hexadecimal SHA-1/SHA-256 value.");
            p.AddRaw("digest", update.Digest);
        }

        return api.SendAsync(HttpMethod.Put, CtPath(node, vmid) + "/config", p.Items, "lxc.config.update", cancellationToken);
    }

    public async Task<IReadOnlyList<PendingChange>> GetPendingChangesAsync(string node, int vmid, CancellationToken cancellationToken)
    {
        var wire = await api.GetAsync<List<WirePending>>(CtPath(node, vmid) + "/pending", "lxc.pending", cancellationToken);
        return wire.Where(w => w.Key is not null).Select(w => new PendingChange(w.Key!, w.Value, w.Pending, w.Delete)).ToList();
    }

    // ---------------- status and power ----------------

    public async Task<ContainerStatus> GetStatusAsync(string node, int vmid, CancellationToken cancellationToken)
    {
        var w = await api.GetAsync<WireContainerStatus>(CtPath(node, vmid) + "/status/current", "lxc.status", cancellationToken);
        return new ContainerStatus
        {
            VmId = w.VmId == 0 ? vmid : w.VmId,
            Status = w.Status ?? "unknown",
            Name = w.Name,
            UptimeSeconds = w.Uptime,
            Cpu = w.Cpu,
            Cpus = w.Cpus,
            MemoryBytes = w.Mem,
            MaxMemoryBytes = w.MaxMem,
            SwapBytes = w.Swap,
            MaxSwapBytes = w.MaxSwap,
            DiskBytes = w.Disk,
            MaxDiskBytes = w.MaxDisk,
            NetInBytes = w.NetIn,
            NetOutBytes = w.NetOut,
            DiskReadBytes = w.DiskRead,
            DiskWriteBytes = w.DiskWrite,
            Lock = NullIfEmpty(w.Lock),
            HaManaged = w.Ha?.Managed ?? false,
            Template = w.Template,
            Tags = LxcPropertyStrings.ParseTags(w.Tags),
            Pid = w.Pid,
        };
    }

    public Task<ProxmoxTask> StartAsync(string node, int vmid, CancellationToken cancellationToken) =>
        PostTaskAsync(CtPath(node, vmid) + "/status/start", new ParameterList(), "lxc.start", cancellationToken);

    public Task<ProxmoxTask> StopAsync(string node, int vmid, CancellationToken cancellationToken) =>
        PostTaskAsync(CtPath(node, vmid) + "/status/stop", new ParameterList(), "lxc.stop", cancellationToken);

    public Task<ProxmoxTask> ShutdownAsync(string node, int vmid, int? timeoutSeconds, bool forceStop, CancellationToken cancellationToken)
    {
        var p = new ParameterList();
        p.Add("timeout", timeoutSeconds);
        if (forceStop)
            p.Add("forceStop", true);
        return PostTaskAsync(CtPath(node, vmid) + "/status/shutdown", p, "lxc.shutdown", cancellationToken);
    }

    public Task<ProxmoxTask> RebootAsync(string node, int vmid, int? timeoutSeconds, CancellationToken cancellationToken)
    {
        var p = new ParameterList();
        p.Add("timeout", timeoutSeconds);
        return PostTaskAsync(CtPath(node, vmid) + "/status/reboot", p, "lxc.reboot", cancellationToken);
    }

    public Task<ProxmoxTask> SuspendAsync(string node, int vmid, CancellationToken cancellationToken) =>
        PostTaskAsync(CtPath(node, vmid) + "/status/suspend", new ParameterList(), "lxc.suspend", cancellationToken);

    public Task<ProxmoxTask> ResumeAsync(string node, int vmid, CancellationToken cancellationToken) =>
        PostTaskAsync(CtPath(node, vmid) + "/status/resume", new ParameterList(), "lxc.resume", cancellationToken);

    // ---------------- snapshots ----------------

    public async Task<IReadOnlyList<ContainerSnapshot>> ListSnapshotsAsync(string node, int vmid, CancellationToken cancellationToken)
    {
        var wire = await api.GetAsync<List<WireSnapshot>>(CtPath(node, vmid) + "/snapshot", "lxc.snapshot.list", cancellationToken);
        return wire.Where(s => s.Name is not null && s.Name != "current")
            .Select(s => new ContainerSnapshot(s.Name!, NullIfEmpty(s.Description), NullIfEmpty(s.Parent),
                s.SnapTime is > 0 ? DateTimeOffset.FromUnixTimeSeconds(s.SnapTime.Value) : null))
            .ToList();
    }

    public Task<ProxmoxTask> CreateSnapshotAsync(string node, int vmid, string name, string? description, CancellationToken cancellationToken)
    {
        var p = new ParameterList();
        p.AddRaw("snapname", SnapshotName(name));
        if (!string.IsNullOrEmpty(description))
            p.AddSingleLine("description", description);
        return PostTaskAsync(CtPath(node, vmid) + "/snapshot", p, "lxc.snapshot.create", cancellationToken);
    }

    public Task<ProxmoxTask> DeleteSnapshotAsync(string node, int vmid, string name, CancellationToken cancellationToken) =>
        TaskAsync(HttpMethod.Delete, $"{CtPath(node, vmid)}/snapshot/{SnapshotName(name)}", new ParameterList(), "lxc.snapshot.delete", cancellationToken);

    public Task<ProxmoxTask> RollbackSnapshotAsync(string node, int vmid, string name, CancellationToken cancellationToken) =>
        PostTaskAsync($"{CtPath(node, vmid)}/snapshot/{SnapshotName(name)}/rollback", new ParameterList(), "lxc.snapshot.rollback", cancellationToken);

    // ---------------- monitoring ----------------

    public async Task<IReadOnlyList<RrdPoint>> GetRrdDataAsync(string node, int vmid, RrdTimeframe timeframe, RrdConsolidation consolidation, CancellationToken cancellationToken)
    {
        var frame = timeframe switch
        {
            RrdTimeframe.Hour => "hour",
            RrdTimeframe.Day => "day",
            RrdTimeframe.Week => "week",
            RrdTimeframe.Month => "month",
            RrdTimeframe.Year => "year",
            _ => throw new ArgumentOutOfRangeException(nameof(timeframe)),
        };
        var cf = consolidation == RrdConsolidation.Max ? "MAX" : "AVERAGE";
        var wire = await api.GetAsync<List<WireRrdPoint>>(CtPath(node, vmid) + "/rrddata", "lxc.rrddata", cancellationToken,
            Param("timeframe", frame), Param("cf", cf));
        return wire.Select(w => new RrdPoint
        {
            Time = DateTimeOffset.FromUnixTimeSeconds((long)w.Time),
            Cpu = w.Cpu,
            MaxCpu = w.MaxCpu,
            MemoryBytes = w.Mem,
            MaxMemoryBytes = w.MaxMem,
            DiskBytes = w.Disk,
            MaxDiskBytes = w.MaxDisk,
            NetIn = w.NetIn,
            NetOut = w.NetOut,
            DiskRead = w.DiskRead,
            DiskWrite = w.DiskWrite,
        }).ToList();
    }

    public async Task<IReadOnlyList<ContainerInterface>> GetInterfacesAsync(string node, int vmid, CancellationToken cancellationToken)
    {
        var data = await api.GetAsync(CtPath(node, vmid) + "/interfaces", "lxc.interfaces", cancellationToken);
        if (data.ValueKind != JsonValueKind.Array)
            return []; // a stopped container answers {"data":null}
        var wire = ProxmoxApiClient.Deserialize<List<WireInterface>>(data, "lxc.interfaces");
        return wire.Where(i => i.Name is not null).Select(i => new ContainerInterface(
            i.Name!,
            NullIfEmpty(i.HardwareAddress) ?? NullIfEmpty(i.HwAddr),
            Addresses(i))).ToList();
    }

    // ---------------- tasks ----------------

    public async Task<ProxmoxTaskStatus> GetTaskStatusAsync(ProxmoxTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var wire = await api.GetAsync<WireTaskStatus>(TaskPath(task) + "/status", "tasks.status", cancellationToken);
        return TaskStatusMapping.ToStatus(task, wire.Status, wire.ExitStatus);
    }

    public async Task<ProxmoxTaskLog> GetTaskLogTailAsync(ProxmoxTask task, int lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentOutOfRangeException.ThrowIfLessThan(lines, 1);
        var (page, total) = await GetTaskLogAsync(task, 0, lines, cancellationToken);
        if (total > lines)
            (page, total) = await GetTaskLogAsync(task, total - lines, lines, cancellationToken);
        return new ProxmoxTaskLog(page, total);
    }

    public async Task<ProxmoxTaskStatus> WaitForTaskAsync(ProxmoxTask task, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var settings = options.Value;
        var deadline = timeProvider.GetUtcNow() + maxWait;
        var delay = settings.TaskPollInitialDelay;
        while (true)
        {
            var status = await GetTaskStatusAsync(task, cancellationToken);
            var remaining = deadline - timeProvider.GetUtcNow();
            if (!status.IsRunning || remaining <= TimeSpan.Zero)
                return status;
            await Task.Delay(delay < remaining ? delay : remaining, timeProvider, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min((long)(delay.Ticks * 1.6), settings.TaskPollMaxDelay.Ticks));
        }
    }

    // ---------------- storage ----------------

    public async Task<IReadOnlyList<StorageInfo>> ListStoragesAsync(string node, CancellationToken cancellationToken)
    {
        var wire = await api.GetAsync<List<WireStorage>>($"nodes/{Segment("node", node)}/storage", "storage.list", cancellationToken);
        return wire.Where(s => s.Storage is not null).Select(s => new StorageInfo
        {
            Storage = s.Storage!,
            Type = s.Type,
            Content = (s.Content ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Active = s.Active,
            Enabled = s.Enabled,
            Shared = s.Shared,
            TotalBytes = s.Total,
            UsedBytes = s.Used,
            AvailableBytes = s.Avail,
        }).ToList();
    }

    public async Task<IReadOnlyList<TemplateInfo>> ListTemplatesAsync(string node, string storage, CancellationToken cancellationToken)
    {
        LxcPropertyStrings.EnsureStorageId("storage", storage);
        var wire = await api.GetAsync<List<WireStorageContent>>(
            $"nodes/{Segment("node", node)}/storage/{Segment("storage", storage)}/content", "storage.content", cancellationToken,
            Param("content", "vztmpl"));
        return wire.Where(c => c.VolId is not null && (c.Content is null or "vztmpl")).Select(c => new TemplateInfo
        {
            VolId = c.VolId!,
            Name = c.VolId![(c.VolId!.LastIndexOf('/') + 1)..],
            Storage = storage,
            Node = node,
            SizeBytes = c.Size,
            Format = c.Format,
            CreatedAt = c.CTime is > 0 ? DateTimeOffset.FromUnixTimeSeconds(c.CTime.Value) : null,
        }).ToList();
    }

    // ---------------- helpers ----------------

    private async Task<(IReadOnlyList<ProxmoxTaskLogLine> Lines, int Total)> GetTaskLogAsync(ProxmoxTask task, int start, int limit, CancellationToken cancellationToken)
    {
        var root = await api.SendForEnvelopeAsync(HttpMethod.Get, TaskPath(task) + "/log",
            [Param("start", start.ToString(CultureInfo.InvariantCulture)), Param("limit", limit.ToString(CultureInfo.InvariantCulture))],
            "tasks.log", cancellationToken);
        var data = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var d) ? d : default;
        var wire = data.ValueKind == JsonValueKind.Array ? ProxmoxApiClient.Deserialize<List<WireTaskLogLine>>(data, "tasks.log") : [];
        var lines = wire.Select(l => new ProxmoxTaskLogLine(l.N, l.T ?? string.Empty)).ToList();
        var total = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("total", out var t)
            && int.TryParse(ProxmoxJson.AsText(t), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : start + lines.Count;
        return (lines, total);
    }

    private async Task<ProxmoxTask> PostTaskAsync(string path, ParameterList parameters, string operation, CancellationToken cancellationToken) =>
        await TaskAsync(HttpMethod.Post, path, parameters, operation, cancellationToken);

    private async Task<ProxmoxTask> TaskAsync(HttpMethod method, string path, ParameterList parameters, string operation, CancellationToken cancellationToken)
    {
        var data = await api.SendAsync(method, path, parameters.Items, operation, cancellationToken);
        var upid = ProxmoxJson.AsText(data);
        return Upid.TryParse(upid, out var task)
            ? task
            : throw new ProxmoxErrorException($"Proxmox did not return a task id for {operation}.");
    }

    private static void AddNetworks(ParameterList p, IReadOnlyList<ContainerNetwork> networks)
    {
        var seen = new HashSet<int>();
        foreach (var network in networks)
        {
            if (!seen.Add(network.Index))
                throw new RequestValidationException($"net{network.Index}", "Duplicate network index.");
            p.AddRaw($"net{network.Index}", LxcPropertyStrings.BuildNetwork(network));
        }
    }

    private static List<ContainerIpAddress> Addresses(WireInterface i)
    {
        if (i.IpAddresses is { Count: > 0 })
        {
            return i.IpAddresses.Where(a => !string.IsNullOrEmpty(a.IpAddress))
                .Select(a => new ContainerIpAddress(a.IpAddress!, a.IpAddressType ?? (a.IpAddress!.Contains(':', StringComparison.Ordinal) ? "inet6" : "inet"), a.Prefix))
                .ToList();
        }

        var list = new List<ContainerIpAddress>();
        foreach (var (cidr, family) in new[] { (i.Inet, "inet"), (i.Inet6, "inet6") })
        {
            if (string.IsNullOrEmpty(cidr))
                continue;
            var slash = cidr.IndexOf('/', StringComparison.Ordinal);
            var prefix = slash > 0 && int.TryParse(cidr[(slash + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : 0;
            list.Add(new ContainerIpAddress(slash > 0 ? cidr[..slash] : cidr, family, prefix));
        }

        return list;
    }

    private static ClusterContainer ToClusterContainer(WireClusterResource r) => new()
    {
        VmId = r.VmId!.Value,
        Node = r.Node!,
        Status = r.Status ?? "unknown",
        Name = r.Name,
        Template = r.Template,
        Cpu = r.Cpu,
        MaxCpu = r.MaxCpu,
        MemoryBytes = r.Mem,
        MaxMemoryBytes = r.MaxMem,
        DiskBytes = r.Disk,
        MaxDiskBytes = r.MaxDisk,
        UptimeSeconds = r.Uptime,
        NetInBytes = r.NetIn,
        NetOutBytes = r.NetOut,
        DiskReadBytes = r.DiskRead,
        DiskWriteBytes = r.DiskWrite,
        Tags = LxcPropertyStrings.ParseTags(r.Tags),
        Pool = NullIfEmpty(r.Pool),
        Lock = NullIfEmpty(r.Lock),
        HaState = NullIfEmpty(r.HaState),
    };

    private static string CtPath(string node, int vmid)
    {
        if (vmid is < 100 or > 999_999_999)
            throw new RequestValidationException("vmid", "VM id must be between 100 and 999999999.");
        return $"nodes/{Segment("node", node)}/lxc/{vmid.ToString(CultureInfo.InvariantCulture)}";
    }

    private static string TaskPath(ProxmoxTask task) => $"nodes/{Segment("node", task.Node)}/tasks/{Uri.EscapeDataString(task.Upid)}";

    private static string Segment(string field, string value)
    {
        if (string.IsNullOrWhiteSpace(value) || !NodeOrStorageRegex().IsMatch(value))
            throw new RequestValidationException(field, $"'{field}' has an invalid value.");
        return Uri.EscapeDataString(value);
    }

    private static string SnapshotName(string name)
    {
        if (!SnapshotNameRegex().IsMatch(name) || name is "current" or "vzdump")
            throw new RequestValidationException("snapname", "Snapshot names start with a letter, use letters, digits, '-' or '_', at most 40 characters, and are not 'current' or 'vzdump'.");
        return name;
    }

    private static KeyValuePair<string, string> Param(string key, string value) => new(key, value);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    [GeneratedRegex(@"^(rootfs|mp\d{1,3})\z", RegexOptions.CultureInvariant)]
    private static partial Regex DiskNameRegex();

    [GeneratedRegex(@"^[a-z][a-z0-9_-]*\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ConfigKeyRegex();

    [GeneratedRegex("^[0-9a-fA-F]{40,64}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex DigestRegex();

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9\-_.]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex NodeOrStorageRegex();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9_-]{1,39}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SnapshotNameRegex();
}
