using System.Globalization;
using System.Text.Json.Nodes;

namespace ProxmoxEmulator;

public sealed partial class EmulatorEngine
{
    /// <summary>SHA-256 fingerprint of the served certificate (set by the host), reported in <c>GET /nodes</c>.</summary>
    public string? CertificateFingerprint { get; set; }

    /// <summary>
    /// Puts nodes, pools and containers back to the seed of <see cref="Options"/> and restarts the pseudo random
    /// generator (MAC addresses, usage figures), so every caller sees the same cluster as after start. Tasks, the
    /// journal and faults are kept; wait for running tasks first, or they change the restored containers when they end.
    /// </summary>
    public void ResetCluster()
    {
        lock (State.Sync)
        {
            State.Clear();
            Faults.Reseed(Options.RandomSeed);
            Seed();
        }
    }

    private void Seed()
    {
        var now = Now;
        foreach (var n in Options.Nodes)
            State.AddNode(new NodeState(n, now.AddDays(-3)));
        foreach (var pool in Options.Pools)
            State.PoolSet.Add(pool);
        foreach (var c in Options.Containers.Concat(GeneratedContainers()))
        {
            var ct = new ContainerState(c.Vmid, c.Node) { Pool = c.Pool, CreatedAt = now.AddDays(-30) };
            if (c.Pool is not null)
                State.PoolSet.Add(c.Pool);
            ct.Config["arch"] = "amd64";
            ct.Config["cores"] = Inv(c.Cores);
            ct.Config["hostname"] = c.Hostname;
            ct.Config["memory"] = Inv(c.Memory);
            ct.Config["swap"] = Inv(c.Swap);
            ct.Config["ostype"] = c.OsTemplate is null ? "debian" : GuessOsType(c.OsTemplate);
            ct.Config["unprivileged"] = "1";
            var storage = State.FindNode(c.Node)?.FindStorage(c.RootStorage);
            var volume = storage?.Type == "dir" ? $"{c.RootStorage}:{Inv(c.Vmid)}/vm-{Inv(c.Vmid)}-disk-0.raw" : $"{c.RootStorage}:vm-{Inv(c.Vmid)}-disk-0";
            ct.Config["rootfs"] = $"{volume},size={Inv(c.DiskGiB)}G";
            var gw = c.Gateway is null ? "" : ",gw=" + c.Gateway;
            ct.Config["net0"] = $"name=eth0,bridge=vmbr0{gw},hwaddr={RandomMac()},ip={c.Ip},type=veth";
            if (!string.IsNullOrEmpty(c.Tags))
                ct.Config["tags"] = c.Tags;
            if (c.Template)
                ct.Config["template"] = "1";
            foreach (var (k, v) in c.ExtraConfig)
                ct.Config[k] = v;
            if (c.Running)
            {
                ct.Running = true;
                ct.StartedAt = now.AddHours(-5);
            }
            State.AddContainer(ct);
        }
    }

    /// <summary>
    /// <see cref="EmulatorOptions.GeneratedContainers"/> extra containers (for benchmarks at cluster scale): ids from
    /// <see cref="EmulatorOptions.GeneratedFirstVmid"/> upwards, spread round-robin over the online nodes, every other one running.
    /// </summary>
    private IEnumerable<ContainerOptions> GeneratedContainers()
    {
        var nodes = Options.Nodes.Where(n => n.Online).Select(n => n.Name).ToList();
        for (var i = 0; i < Options.GeneratedContainers && nodes.Count > 0; i++)
        {
            var vmid = Options.GeneratedFirstVmid + i;
            yield return new ContainerOptions
            {
                Vmid = vmid,
                Node = nodes[i % nodes.Count],
                Hostname = $"gen{Inv(vmid)}",
                Running = i % 2 == 0,
                Tags = "generated",
            };
        }
    }

    /// <summary>Moves a container to another node behind the client's back (as a migration by someone else would).</summary>
    public void MoveContainer(int vmid, string node) => State.Mutate(s =>
    {
        if (s.FindNode(node) is null)
            throw new KeyNotFoundException($"node '{node}' does not exist");
        (s.FindContainer(vmid) ?? throw new KeyNotFoundException($"CT {vmid} not found")).Node = node;
    });

    // ---- synthetic usage ----------------------------------------------------------------------------------

    private static double Wave(double t, double period, double phase) => (1 + Math.Sin((t / period) + phase)) / 2;

    private static (double Cpu, long Mem, long NetIn, long NetOut, long DiskRead, long DiskWrite, long Uptime, long Disk) Usage(ContainerState ct, DateTimeOffset at)
    {
        var maxDisk = ct.RootDiskBytes;
        var disk = (long)(maxDisk * (0.25 + (0.1 * Wave(ct.Vmid, 7, 0))));
        if (!ct.Running || ct.StartedAt is not { } started)
            return (0, 0, 0, 0, 0, 0, 0, disk);
        var uptime = Math.Max(0, (long)(at - started).TotalSeconds);
        var t = at.ToUnixTimeMilliseconds() / 1000.0;
        var cpu = Math.Round(0.01 + (0.2 * Wave(t, 13, ct.Vmid)), 4);
        var mem = (long)(ct.MemoryMiB * 1024 * 1024 * (0.15 + (0.2 * Wave(t, 29, ct.Vmid))));
        var netIn = (uptime * (900 + ct.Vmid)) + (long)(t % 1000);
        var netOut = (uptime * (400 + ct.Vmid)) + (long)(t % 700);
        return (cpu, mem, netIn, netOut, uptime * 4096, uptime * 2048, uptime, disk);
    }

    private JsonObject VmStatus(ContainerState ct, bool current)
    {
        var u = Usage(ct, Now);
        var cpus = ct.Cores > 0 ? ct.Cores : State.FindNode(ct.Node)?.MaxCpu ?? 1;
        var obj = new JsonObject
        {
            ["vmid"] = ct.Vmid,
            ["name"] = ct.Hostname,
            ["status"] = ct.Running ? "running" : "stopped",
            ["type"] = "lxc",
            ["cpus"] = cpus,
            ["cpu"] = u.Cpu,
            ["mem"] = u.Mem,
            ["maxmem"] = ct.MemoryMiB * 1024 * 1024,
            ["swap"] = 0,
            ["maxswap"] = ct.SwapMiB * 1024 * 1024,
            ["disk"] = u.Disk,
            ["maxdisk"] = ct.RootDiskBytes,
            ["netin"] = u.NetIn,
            ["netout"] = u.NetOut,
            ["diskread"] = u.DiskRead,
            ["diskwrite"] = u.DiskWrite,
            ["uptime"] = u.Uptime,
        };
        if (ct.Running)
            obj["pid"] = 10_000 + ct.Vmid;
        if (ct.Config.GetValueOrDefault("tags") is { } tags)
            obj["tags"] = tags;
        if (ct.Lock is { } l)
            obj["lock"] = l;
        if (ct.IsTemplate)
            obj["template"] = 1;
        if (current)
            obj["ha"] = new JsonObject { ["managed"] = 0 };
        return obj;
    }

    // ---- cluster -------------------------------------------------------------------------------------------

    private JsonNode? Version(ApiRequest req)
    {
        _ = req;
        return new JsonObject { ["version"] = "9.1.2", ["release"] = "9.1", ["repoid"] = "7b5a9a4c1e3d2f10" };
    }

    private JsonNode? NextId(ApiRequest req)
    {
        if (req.Int("vmid") is { } wanted)
        {
            if (State.FindContainer(wanted) is not null)
                throw PveException.Param("vmid", $"VM {Inv(wanted)} already exists");
            return Inv(wanted);
        }
        var id = 100;
        while (State.FindContainer(id) is not null)
            id++;
        return Inv(id);
    }

    private JsonNode? ClusterResources(ApiRequest req)
    {
        var type = req.Str("type");
        var arr = new JsonArray();
        if (type is null or "vm")
        {
            foreach (var ct in State.Containers)
            {
                var u = Usage(ct, Now);
                var cpus = ct.Cores > 0 ? ct.Cores : State.FindNode(ct.Node)?.MaxCpu ?? 1;
                var obj = new JsonObject
                {
                    ["id"] = "lxc/" + Inv(ct.Vmid),
                    ["type"] = "lxc",
                    ["vmid"] = ct.Vmid,
                    ["node"] = ct.Node,
                    ["status"] = ct.Running ? "running" : "stopped",
                    ["name"] = ct.Hostname,
                    ["template"] = ct.IsTemplate ? 1 : 0,
                    ["uptime"] = u.Uptime,
                    ["maxcpu"] = cpus,
                    ["cpu"] = u.Cpu,
                    ["maxmem"] = ct.MemoryMiB * 1024 * 1024,
                    ["mem"] = u.Mem,
                    ["maxdisk"] = ct.RootDiskBytes,
                    ["disk"] = u.Disk,
                    ["netin"] = u.NetIn,
                    ["netout"] = u.NetOut,
                    ["diskread"] = u.DiskRead,
                    ["diskwrite"] = u.DiskWrite,
                };
                if (ct.Config.GetValueOrDefault("tags") is { } tags)
                    obj["tags"] = tags;
                if (ct.Lock is { } l)
                    obj["lock"] = l;
                if (ct.Pool is { } pool)
                    obj["pool"] = pool;
                arr.Add(obj);
            }
        }
        if (type is null or "node")
        {
            foreach (var n in State.Nodes)
                arr.Add(NodeEntry(n));
        }
        if (type is null or "storage")
        {
            foreach (var n in State.Nodes)
            {
                foreach (var s in n.Storages)
                {
                    arr.Add(new JsonObject
                    {
                        ["id"] = $"storage/{n.Name}/{s.Name}",
                        ["type"] = "storage",
                        ["node"] = n.Name,
                        ["storage"] = s.Name,
                        ["status"] = n.Online ? "available" : "unknown",
                        ["plugintype"] = s.Type,
                        ["content"] = string.Join(',', s.Content),
                        ["shared"] = 0,
                        ["disk"] = StorageUsed(n, s),
                        ["maxdisk"] = s.Total,
                    });
                }
            }
        }
        if (type is null)
        {
            foreach (var pool in State.PoolSet)
                arr.Add(new JsonObject { ["id"] = "pool/" + pool, ["type"] = "pool", ["pool"] = pool });
        }
        return arr;
    }

    private JsonObject NodeEntry(NodeState n)
    {
        var obj = new JsonObject
        {
            ["id"] = "node/" + n.Name,
            ["type"] = "node",
            ["node"] = n.Name,
            ["status"] = n.Online ? "online" : "offline",
            ["level"] = "",
        };
        if (n.Online)
        {
            var running = State.Containers.Where(c => c.Node == n.Name && c.Running).ToList();
            obj["cpu"] = Math.Round(0.02 + running.Sum(c => Usage(c, Now).Cpu) / n.MaxCpu, 4);
            obj["maxcpu"] = n.MaxCpu;
            obj["mem"] = (2L << 30) + running.Sum(c => Usage(c, Now).Mem);
            obj["maxmem"] = n.MaxMem;
            obj["disk"] = n.MaxDisk / 5;
            obj["maxdisk"] = n.MaxDisk;
            obj["uptime"] = (long)(Now - n.BootTime).TotalSeconds;
        }
        if (CertificateFingerprint is not null)
            obj["ssl_fingerprint"] = CertificateFingerprint;
        return obj;
    }

    private JsonNode? NodeList(ApiRequest req)
    {
        _ = req;
        var arr = new JsonArray();
        foreach (var n in State.Nodes)
            arr.Add(NodeEntry(n));
        return arr;
    }

    private JsonNode? NodeStatus(ApiRequest req)
    {
        var n = State.FindNode(req.Node)!;
        var entry = NodeEntry(n);
        var mem = (long)(entry["mem"]?.GetValue<long>() ?? 0);
        return new JsonObject
        {
            ["cpu"] = entry["cpu"]?.DeepClone(),
            ["wait"] = 0.001,
            ["idle"] = 0,
            ["uptime"] = entry["uptime"]?.DeepClone(),
            ["loadavg"] = new JsonArray("0.12", "0.20", "0.18"),
            ["kversion"] = "Linux 6.14.8-2-pve #1 SMP PREEMPT_DYNAMIC PMX 6.14.8-2 (2025-07-22T10:04Z) x86_64",
            ["pveversion"] = "pve-manager/9.1.2/7b5a9a4c1e3d2f10",
            ["cpuinfo"] = new JsonObject { ["cpus"] = n.MaxCpu, ["cores"] = n.MaxCpu, ["sockets"] = 1, ["model"] = "Emulated CPU", ["mhz"] = "2400.000", ["hvm"] = "1", ["user_hz"] = 100, ["flags"] = "" },
            ["memory"] = new JsonObject { ["total"] = n.MaxMem, ["used"] = mem, ["free"] = n.MaxMem - mem, ["available"] = n.MaxMem - mem },
            ["swap"] = new JsonObject { ["total"] = 8L << 30, ["used"] = 0, ["free"] = 8L << 30 },
            ["rootfs"] = new JsonObject { ["total"] = n.MaxDisk, ["used"] = n.MaxDisk / 5, ["free"] = n.MaxDisk - (n.MaxDisk / 5), ["avail"] = n.MaxDisk - (n.MaxDisk / 5) },
            ["ksm"] = new JsonObject { ["shared"] = 0 },
            ["boot-info"] = new JsonObject { ["mode"] = "efi", ["secureboot"] = 0 },
            ["current-kernel"] = new JsonObject { ["sysname"] = "Linux", ["release"] = "6.14.8-2-pve", ["machine"] = "x86_64", ["version"] = "#1 SMP PREEMPT_DYNAMIC PMX 6.14.8-2" },
        };
    }

    // ---- storage -------------------------------------------------------------------------------------------

    private long StorageUsed(NodeState n, StorageState s) =>
        s.Used + s.Templates.Sum(t => t.Size) + State.Containers.Where(c => c.Node == n.Name)
            .SelectMany(c => c.Config.Where(kv => kv.Key == "rootfs" || kv.Key.StartsWith("mp", StringComparison.Ordinal)).Select(kv => kv.Value))
            .Where(v => v.StartsWith(s.Name + ":", StringComparison.Ordinal)).Sum(Sizes.VolumeSize);

    private JsonObject StorageInfo(NodeState n, StorageState s)
    {
        var used = StorageUsed(n, s);
        return new JsonObject
        {
            ["storage"] = s.Name,
            ["type"] = s.Type,
            ["content"] = string.Join(',', s.Content),
            ["active"] = s.Active ? 1 : 0,
            ["enabled"] = 1,
            ["shared"] = 0,
            ["total"] = s.Total,
            ["used"] = used,
            ["avail"] = s.Total - used,
            ["used_fraction"] = Math.Round((double)used / s.Total, 6),
        };
    }

    private JsonNode? StorageList(ApiRequest req)
    {
        var n = State.FindNode(req.Node)!;
        var content = req.Str("content")?.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries);
        var only = req.Str("storage");
        _ = req.Bool("enabled");
        var arr = new JsonArray();
        foreach (var s in n.Storages)
        {
            if (only is not null && s.Name != only)
                continue;
            if (content is not null && !content.Any(s.Content.Contains))
                continue;
            arr.Add(StorageInfo(n, s));
        }
        return arr;
    }

    private StorageState FindStorage(ApiRequest req)
    {
        var name = req.Required("storage");
        return State.FindNode(req.Node)!.FindStorage(name) ?? throw new PveException(500, $"storage '{name}' does not exist");
    }

    private JsonNode? StorageStatus(ApiRequest req) => StorageInfo(State.FindNode(req.Node)!, FindStorage(req));

    private JsonNode? StorageContent(ApiRequest req)
    {
        var n = State.FindNode(req.Node)!;
        var s = FindStorage(req);
        var content = req.Str("content");
        var vmid = req.Int("vmid");
        var arr = new JsonArray();
        var ctime = n.BootTime.AddDays(-60).ToUnixTimeSeconds();
        if ((content is null or "vztmpl") && vmid is null)
        {
            foreach (var t in s.Templates)
            {
                var format = t.VolId.EndsWith(".tar.zst", StringComparison.Ordinal) ? "tzst"
                    : t.VolId.EndsWith(".tar.xz", StringComparison.Ordinal) ? "txz" : "tgz";
                arr.Add(new JsonObject { ["volid"] = t.VolId, ["format"] = format, ["size"] = t.Size, ["ctime"] = ctime, ["content"] = "vztmpl" });
            }
        }
        if (content is null or "rootdir" or "images")
        {
            foreach (var ct in State.Containers.Where(c => c.Node == n.Name && (vmid is null || c.Vmid == vmid)))
            {
                foreach (var (key, value) in ct.Config.Where(kv => kv.Key == "rootfs" || kv.Key.StartsWith("mp", StringComparison.Ordinal)))
                {
                    var volume = PropertyString.ParseLoose(value, "volume").GetValueOrDefault("volume") ?? "";
                    if (!volume.StartsWith(s.Name + ":", StringComparison.Ordinal))
                        continue;
                    arr.Add(new JsonObject
                    {
                        ["volid"] = volume,
                        ["format"] = "raw",
                        ["size"] = Sizes.VolumeSize(value),
                        ["vmid"] = ct.Vmid,
                        ["ctime"] = ct.CreatedAt.ToUnixTimeSeconds(),
                        ["content"] = "rootdir",
                    });
                    _ = key;
                }
            }
        }
        return arr;
    }

    // ---- rrd / interfaces ----------------------------------------------------------------------------------

    private JsonNode? RrdData(ApiRequest req)
    {
        var ct = LoadConfig(req.Node, req.Vmid);
        var timeframe = req.Required("timeframe");
        var cf = req.Str("cf") ?? "AVERAGE";
        var (step, count) = timeframe switch
        {
            "hour" => (60, 60),
            "day" => (60, 1440),
            "week" => (1800, 336),
            "month" => (1800, 1440),
            _ => (21600, 1440),
        };
        var now = UnixNow;
        var end = now / step * step;
        var created = ct.CreatedAt.ToUnixTimeSeconds();
        var maxFactor = cf == "MAX" ? 1.5 : 1.0;
        var arr = new JsonArray();
        for (var i = count - 1; i >= 0; i--)
        {
            var time = end - ((long)i * step);
            var point = new JsonObject { ["time"] = time };
            if (time >= created)
            {
                var t = (double)time;
                var running = ct.Running || time < now - 3600;
                var cpus = ct.Cores > 0 ? ct.Cores : State.FindNode(ct.Node)?.MaxCpu ?? 1;
                point["maxcpu"] = cpus;
                point["maxmem"] = (double)(ct.MemoryMiB * 1024 * 1024);
                point["maxdisk"] = (double)ct.RootDiskBytes;
                point["disk"] = Math.Round(ct.RootDiskBytes * 0.3, 0);
                point["cpu"] = running ? Math.Round((0.01 + (0.2 * Wave(t, 600, ct.Vmid))) * maxFactor, 6) : 0.0;
                point["mem"] = running ? Math.Round(ct.MemoryMiB * 1024 * 1024 * (0.15 + (0.2 * Wave(t, 1800, ct.Vmid))) * maxFactor, 0) : 0.0;
                point["netin"] = running ? Math.Round((800 + (400 * Wave(t, 900, ct.Vmid))) * maxFactor, 3) : 0.0;
                point["netout"] = running ? Math.Round((300 + (200 * Wave(t, 700, ct.Vmid))) * maxFactor, 3) : 0.0;
                point["diskread"] = running ? Math.Round(2048 * Wave(t, 300, ct.Vmid) * maxFactor, 3) : 0.0;
                point["diskwrite"] = running ? Math.Round(1024 * Wave(t, 400, ct.Vmid) * maxFactor, 3) : 0.0;
            }
            arr.Add(point);
        }
        return arr;
    }

    private JsonNode? Interfaces(ApiRequest req)
    {
        var ct = LoadConfig(req.Node, req.Vmid);
        if (!ct.Running)
            return null;
        var arr = new JsonArray
        {
            new JsonObject
            {
                ["name"] = "lo", ["hwaddr"] = "00:00:00:00:00:00", ["hardware-address"] = "00:00:00:00:00:00",
                ["inet"] = "127.0.0.1/8", ["inet6"] = "::1/128",
                ["ip-addresses"] = new JsonArray(
                    new JsonObject { ["ip-address"] = "127.0.0.1", ["ip-address-type"] = "inet", ["prefix"] = 8 },
                    new JsonObject { ["ip-address"] = "::1", ["ip-address-type"] = "inet6", ["prefix"] = 128 }),
            },
        };
        foreach (var (key, value) in ct.Config.Where(kv => kv.Key.StartsWith("net", StringComparison.Ordinal)))
        {
            var net = PropertyString.ParseLoose(value, null);
            var ip = net.GetValueOrDefault("ip") ?? "dhcp";
            if (!ip.Contains('/', StringComparison.Ordinal))
                ip = $"10.{Inv(ct.Vmid / 65536 % 256)}.{Inv(ct.Vmid / 256 % 256)}.{Inv(ct.Vmid % 256)}/24";
            var slash = ip.IndexOf('/', StringComparison.Ordinal);
            var mac = (net.GetValueOrDefault("hwaddr") ?? "BC:24:11:00:00:00").ToLowerInvariant();
            arr.Add(new JsonObject
            {
                ["name"] = net.GetValueOrDefault("name") ?? key.Replace("net", "eth", StringComparison.Ordinal),
                ["hwaddr"] = mac,
                ["hardware-address"] = mac,
                ["inet"] = ip,
                ["ip-addresses"] = new JsonArray(new JsonObject
                {
                    ["ip-address"] = ip[..slash],
                    ["ip-address-type"] = "inet",
                    ["prefix"] = int.Parse(ip[(slash + 1)..], CultureInfo.InvariantCulture),
                }),
            });
        }
        return arr;
    }
}
