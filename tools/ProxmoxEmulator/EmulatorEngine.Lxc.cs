using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ProxmoxEmulator;

public sealed partial class EmulatorEngine
{
    private static readonly HashSet<string> HotplugKeys = new(StringComparer.Ordinal) { "cpulimit", "cpuunits", "memory", "swap" };

    private static string Inv(long v) => v.ToString(CultureInfo.InvariantCulture);

    // ---- helpers -------------------------------------------------------------------------------------------

    private ContainerState LoadConfig(string node, int vmid)
    {
        var ct = State.FindContainer(vmid);
        if (ct is null || ct.Node != node)
            throw new PveException(500, $"Configuration file 'nodes/{node}/lxc/{Inv(vmid)}.conf' does not exist");
        return ct;
    }

    private static void CheckLock(ContainerState ct)
    {
        if (ct.Lock is { } l)
            throw new PveException(500, $"CT is locked ({l})");
    }

    private void LockFile(int vmid)
    {
        if (Faults.TakeLockTimeout(vmid))
            throw new PveException(500, $"can't lock file '/run/lock/lxc/pve-config-{Inv(vmid)}.lock' - got timeout");
    }

    private static void CheckDigest(ContainerState ct, string? digest)
    {
        if (digest is not null && !string.Equals(digest, ct.Digest, StringComparison.OrdinalIgnoreCase))
            throw new PveException(500, "detected modified configuration - file changed by other user? Try again.");
    }

    private JsonElement FormatOf(string schemaKey)
    {
        var method = Schema.Find("POST", "/nodes/{node}/lxc")!;
        method.TryGetProperty(schemaKey, out var schema, out _);
        return schema.GetProperty("format");
    }

    private string RandomMac() =>
        "BC:24:11:" + string.Join(':', Enumerable.Range(0, 3).Select(_ => Faults.NextInt(256).ToString("X2", CultureInfo.InvariantCulture)));

    private static string TaskUser(ApiRequest req) => req.User.Length == 0 ? "root@pam" : req.User;

    /// <summary>Normalizes a config value the way PVE writes it (allocates new disks, fills hwaddr/type).</summary>
    private string NormalizeValue(ContainerState ct, string key, string value, string? oldValue)
    {
        var m = SchemaValidator.IndexedNameRegex.Match(key);
        var baseKey = m.Success ? m.Groups[1].Value : key;
        switch (baseKey)
        {
            case "net":
                {
                    var format = FormatOf("net[n]");
                    var (values, _) = PropertyString.Parse(value, format);
                    if (!values.ContainsKey("hwaddr"))
                    {
                        var old = oldValue is null ? null : PropertyString.ParseLoose(oldValue, null).GetValueOrDefault("hwaddr");
                        values["hwaddr"] = old ?? RandomMac();
                    }
                    values.TryAdd("type", "veth");
                    return PropertyString.Print(values, format);
                }
            case "rootfs" or "mp":
                {
                    var format = FormatOf(baseKey == "mp" ? "mp[n]" : "rootfs");
                    var (values, _) = PropertyString.Parse(value, format);
                    if (values.TryGetValue("volume", out var volume) && NewDiskRegex().Match(volume) is { Success: true } nd)
                    {
                        var storageId = nd.Groups[1].Value;
                        var node = State.FindNode(ct.Node)!;
                        var storage = node.FindStorage(storageId) ?? throw new PveException(500, $"storage '{storageId}' does not exist");
                        if (!storage.Content.Contains("rootdir"))
                            throw new PveException(500, $"storage '{storageId}' does not support container directories");
                        var bytes = (long)Math.Round(double.Parse(nd.Groups[2].Value, CultureInfo.InvariantCulture) * (1L << 30));
                        values["volume"] = AllocateVolume(ct, storage);
                        values["size"] = Sizes.Format(bytes);
                    }
                    return PropertyString.Print(values, format);
                }
            case "features":
                {
                    var format = FormatOf("features");
                    return PropertyString.Print(PropertyString.Parse(value, format).Values, format);
                }
            case "tags":
                return string.Join(';', value.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal));
            default:
                return value;
        }
    }

    private static string AllocateVolume(ContainerState ct, StorageState storage)
    {
        var used = ct.Config.Values.Concat(ct.Pending.Values).ToList();
        var n = 0;
        while (used.Any(v => v.Contains($"vm-{Inv(ct.Vmid)}-disk-{Inv(n)}", StringComparison.Ordinal)))
            n++;
        return storage.Type == "dir"
            ? $"{storage.Name}:{Inv(ct.Vmid)}/vm-{Inv(ct.Vmid)}-disk-{Inv(n)}.raw"
            : $"{storage.Name}:vm-{Inv(ct.Vmid)}-disk-{Inv(n)}";
    }

    [GeneratedRegex(@"^([^:\s]+):(\d+(\.\d+)?)$")]
    private static partial Regex NewDiskRegex();

    // ---- list / create / index / delete --------------------------------------------------------------------

    private JsonNode? LxcList(ApiRequest req)
    {
        var node = req.Node;
        var arr = new JsonArray();
        foreach (var ct in State.Containers.Where(c => c.Node == node))
            arr.Add(VmStatus(ct, current: false));
        return arr;
    }

    private JsonNode? LxcCreate(ApiRequest req)
    {
        var node = req.Node;
        var vmid = req.Vmid;
        var ostemplate = req.Required("ostemplate");
        if (State.FindContainer(vmid) is { } existing)
            throw new PveException(500, $"CT {Inv(vmid)} already exists on node '{existing.Node}'");
        var pool = req.Str("pool");
        if (pool is not null && !State.PoolSet.Contains(pool))
            throw new PveException(403, $"Permission check failed (pool '{pool}' does not exist)");
        _ = req.Str("password");
        _ = req.Str("ssh-public-keys");
        _ = req.Bool("force");
        _ = req.Bool("restore");
        _ = req.Bool("unique");
        _ = req.Bool("ignore-unpack-errors");
        _ = req.Bool("debug");
        var start = req.Bool("start");
        var storageDefault = req.Str("storage") ?? "local";

        var ct = new ContainerState(vmid, node) { Pool = pool, CreatedAt = Now };
        var values = req.Matching(ConfigKeys).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        values.TryAdd("rootfs", storageDefault + ":4");
        values.TryAdd("arch", "amd64");
        values.TryAdd("hostname", "CT" + Inv(vmid));
        values.TryAdd("memory", "512");
        values.TryAdd("swap", "512");
        values.TryAdd("unprivileged", "1");
        values.TryAdd("ostype", GuessOsType(ostemplate));
        foreach (var (key, value) in values.OrderBy(k => k.Key == "rootfs" ? 0 : 1))
            ct.Config[key] = NormalizeValue(ct, key, value, null);
        ct.Lock = "create";
        State.AddContainer(ct);

        return StartTask(node, "vzcreate", Inv(vmid), TaskUser(req), async scope =>
        {
            var ok = false;
            try
            {
                var storageId = ostemplate.Split(':')[0];
                var template = State.FindNode(node)?.FindStorage(storageId)?.Templates.FirstOrDefault(t => t.VolId == ostemplate);
                if (template is null)
                    throw new PveException(500, $"unable to create CT {Inv(vmid)} - volume '{ostemplate}' does not exist");
                var file = ostemplate[(ostemplate.IndexOf('/', StringComparison.Ordinal) + 1)..];
                scope.Log($"extracting archive '/var/lib/vz/template/cache/{file}'");
                await scope.WaitAsync();
                scope.Log($"Total bytes read: {Inv(template.Size * 4)} ({Sizes.Format(template.Size * 4)})");
                scope.Log($"Detected container architecture: {ct.Config.GetValueOrDefault("arch")}");
                lock (State.Sync)
                {
                    ct.Lock = null;
                    if (start)
                        StartContainer(ct);
                }
                ok = true;
            }
            finally
            {
                if (!ok)
                {
                    lock (State.Sync)
                    {
                        if (State.FindContainer(vmid) == ct)
                            State.RemoveContainer(vmid);
                    }
                }
            }
        });
    }

    private static string GuessOsType(string ostemplate)
    {
        var slash = ostemplate.LastIndexOf('/');
        var file = slash >= 0 ? ostemplate[(slash + 1)..] : ostemplate;
        var os = file.Split('-', '_')[0].ToLowerInvariant();
        return os is "debian" or "devuan" or "ubuntu" or "centos" or "fedora" or "opensuse" or "archlinux" or "alpine" or "gentoo" or "nixos"
            ? os : os is "rockylinux" or "almalinux" ? "centos" : "unmanaged";
    }

    private JsonNode? LxcIndex(ApiRequest req)
    {
        LoadConfig(req.Node, req.Vmid);
        var arr = new JsonArray();
        foreach (var sub in new[] { "config", "pending", "status", "vncproxy", "termproxy", "vncwebsocket", "spiceproxy", "migrate", "clone", "snapshot", "resize", "rrd", "rrddata", "firewall", "feature", "interfaces", "mtunnel", "mtunnelwebsocket", "move_volume", "remote_migrate", "template" })
            arr.Add(new JsonObject { ["subdir"] = sub });
        return arr;
    }

    private JsonNode? LxcDelete(ApiRequest req)
    {
        var node = req.Node;
        var vmid = req.Vmid;
        var force = req.Bool("force");
        _ = req.Bool("purge");
        _ = req.Bool("destroy-unreferenced-disks");
        var ct = LoadConfig(node, vmid);
        LockFile(vmid);
        CheckLock(ct);
        if (ct.Config.GetValueOrDefault("protection") == "1")
            throw new PveException(500, $"can't remove CT {Inv(vmid)} - protection mode enabled");
        if (ct.Running && !force)
            throw new PveException(500, $"unable to destroy CT {Inv(vmid)} - container is running");
        ct.Lock = "destroyed";
        return StartTask(node, "vzdestroy", Inv(vmid), TaskUser(req), async scope =>
        {
            try
            {
                if (ct.Running)
                    scope.Log($"stopping CT {Inv(vmid)}");
                await scope.WaitAsync();
                lock (State.Sync)
                {
                    ct.Running = false;
                    State.RemoveContainer(vmid);
                }
                scope.Log($"Logical volume \"vm-{Inv(vmid)}-disk-0\" successfully removed.");
            }
            finally
            {
                lock (State.Sync)
                {
                    if (ct.Lock == "destroyed")
                        ct.Lock = null;
                }
            }
        });
    }

    // ---- config --------------------------------------------------------------------------------------------

    private JsonNode? LxcConfigGet(ApiRequest req)
    {
        var ct = LoadConfig(req.Node, req.Vmid);
        var current = req.Bool("current");
        var snapname = req.Str("snapshot");
        SortedDictionary<string, string> config;
        if (snapname is not null)
        {
            var snap = ct.Snapshots.FirstOrDefault(s => s.Name == snapname) ?? throw new PveException(500, $"snapshot '{snapname}' does not exist");
            config = snap.Config;
        }
        else
        {
            config = new SortedDictionary<string, string>(ct.Config, StringComparer.Ordinal);
            if (!current)
            {
                foreach (var (k, v) in ct.Pending)
                    config[k] = v;
                foreach (var k in ct.PendingDelete)
                    config.Remove(k);
            }
        }
        var obj = new JsonObject();
        var returns = ConfigReturnTypes();
        foreach (var (k, v) in config)
            obj[k] = TypedValue(returns, k, v);
        obj["digest"] = ct.Digest;
        return obj;
    }

    private Dictionary<string, string>? _configReturnTypes;

    private Dictionary<string, string> ConfigReturnTypes()
    {
        if (_configReturnTypes is not null)
            return _configReturnTypes;
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        using var stream = typeof(ApiSchema).Assembly.GetManifestResourceStream("ProxmoxEmulator.lxc-api-schema.json")!;
        using var doc = JsonDocument.Parse(stream);
        var returns = doc.RootElement.GetProperty("endpoints").GetProperty("/nodes/{node}/lxc/{vmid}/config").GetProperty("GET").GetProperty("returns");
        foreach (var p in returns.GetProperty("properties").EnumerateObject())
            types[p.Name] = p.Value.TryGetProperty("type", out var t) ? t.GetString() ?? "string" : "string";
        return _configReturnTypes = types;
    }

    private static JsonValue TypedValue(Dictionary<string, string> types, string key, string value)
    {
        var m = SchemaValidator.IndexedNameRegex.Match(key);
        var type = types.GetValueOrDefault(key) ?? (m.Success ? types.GetValueOrDefault(m.Groups[1].Value + "[n]") : null) ?? "string";
        if (key is "snaptime")
            type = "integer";
        return type switch
        {
            "integer" or "boolean" when long.TryParse(value, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            "number" when double.TryParse(value, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            _ => JsonValue.Create(value),
        };
    }

    private JsonNode? LxcConfigPut(ApiRequest req)
    {
        var ct = LoadConfig(req.Node, req.Vmid);
        var digest = req.Str("digest");
        var delete = req.Str("delete")?.Split([',', ';', ' ', '\0'], StringSplitOptions.RemoveEmptyEntries) ?? [];
        var revert = req.Str("revert")?.Split([',', ';', ' ', '\0'], StringSplitOptions.RemoveEmptyEntries) ?? [];
        var values = req.Matching(ConfigKeys).ToList();
        if (values.Count == 0 && delete.Length == 0 && revert.Length == 0)
            throw new PveException(500, "no options specified");
        LockFile(ct.Vmid);
        CheckDigest(ct, digest);
        CheckLock(ct);
        foreach (var key in delete)
        {
            if (key is "memory" or "rootfs" or "ostype")
                throw new PveException(500, $"unable to delete required option '{key}'");
            if (values.Any(v => v.Key == key))
                throw PveException.Param("delete", $"you can't use '-{key}' and -delete {key}' at the same time");
        }
        foreach (var key in revert)
        {
            ct.Pending.Remove(key);
            ct.PendingDelete.Remove(key);
        }
        foreach (var (key, raw) in values)
        {
            var value = NormalizeValue(ct, key, raw, ct.Config.GetValueOrDefault(key));
            var hot = HotplugKeys.Contains(key) || key.StartsWith("net", StringComparison.Ordinal)
                || ((key.StartsWith("mp", StringComparison.Ordinal) || key.StartsWith("dev", StringComparison.Ordinal)) && !ct.Config.ContainsKey(key));
            if (ct.Running && !hot)
            {
                ct.Pending[key] = value;
                ct.PendingDelete.Remove(key);
            }
            else
            {
                ct.Config[key] = value;
                ct.Pending.Remove(key);
            }
        }
        foreach (var key in delete)
        {
            if (ct.Running && !HotplugKeys.Contains(key) && !key.StartsWith("net", StringComparison.Ordinal))
            {
                ct.PendingDelete.Add(key);
                ct.Pending.Remove(key);
            }
            else
            {
                ct.Config.Remove(key);
                ct.Pending.Remove(key);
            }
        }
        return null;
    }

    private JsonNode? LxcPending(ApiRequest req)
    {
        var ct = LoadConfig(req.Node, req.Vmid);
        var returns = ConfigReturnTypes();
        var arr = new JsonArray();
        foreach (var key in ct.Config.Keys.Union(ct.Pending.Keys).Union(ct.PendingDelete).Order(StringComparer.Ordinal))
        {
            var obj = new JsonObject { ["key"] = key };
            if (ct.Config.TryGetValue(key, out var v))
                obj["value"] = TypedValue(returns, key, v);
            if (ct.Pending.TryGetValue(key, out var p))
                obj["pending"] = TypedValue(returns, key, p);
            if (ct.PendingDelete.Contains(key))
                obj["delete"] = 1;
            arr.Add(obj);
        }
        // Proxmox lists every scalar key of the loaded config, which includes the digest parse_pct_config adds
        // (pve-guest-common GuestHelpers.pm config_with_pending_array).
        arr.Add(new JsonObject { ["key"] = "digest", ["value"] = ct.Digest });
        return arr;
    }

    private static void ApplyPending(ContainerState ct)
    {
        foreach (var (k, v) in ct.Pending)
            ct.Config[k] = v;
        foreach (var k in ct.PendingDelete)
            ct.Config.Remove(k);
        ct.Pending.Clear();
        ct.PendingDelete.Clear();
    }

    private void StartContainer(ContainerState ct)
    {
        ApplyPending(ct);
        ct.Running = true;
        ct.Suspended = false;
        ct.StartedAt = Now;
    }

    // ---- status --------------------------------------------------------------------------------------------

    private JsonNode? LxcStatusIndex(ApiRequest req)
    {
        LoadConfig(req.Node, req.Vmid);
        var arr = new JsonArray();
        foreach (var sub in new[] { "current", "start", "stop", "shutdown", "reboot", "suspend", "resume" })
            arr.Add(new JsonObject { ["subdir"] = sub });
        return arr;
    }

    private JsonNode? LxcStatusCurrent(ApiRequest req) => VmStatus(LoadConfig(req.Node, req.Vmid), current: true);

    /// <summary>Runs a power operation: sync precondition, lock check inside the worker, effect at the end.</summary>
    private string PowerTask(ApiRequest req, string type, Action<ContainerState>? syncCheck, Action<ContainerState> effect, bool skiplock = false)
    {
        var node = req.Node;
        var vmid = req.Vmid;
        var existing = State.FindContainer(vmid);
        if (existing is not null && existing.Node == node)
            syncCheck?.Invoke(existing);
        return StartTask(node, type, Inv(vmid), TaskUser(req), async scope =>
        {
            ContainerState ct;
            lock (State.Sync)
            {
                ct = LoadConfig(node, vmid);
                LockFile(vmid);
                if (!skiplock)
                    CheckLock(ct);
                if (type == "vzstart" && ct.IsTemplate)
                    throw new PveException(500, "you can't start a CT if it's a template");
            }
            await scope.WaitAsync();
            lock (State.Sync)
                effect(ct);
        });
    }

    private JsonNode? LxcStart(ApiRequest req) => PowerTask(req, "vzstart",
        ct => { if (ct.Running) throw new PveException(500, $"CT {Inv(ct.Vmid)} already running"); },
        StartContainer, req.Bool("skiplock"));

    private static void StopContainer(ContainerState ct)
    {
        ct.Running = false;
        ct.Suspended = false;
        ct.StartedAt = null;
    }

    private static void RequireRunning(ContainerState ct)
    {
        if (!ct.Running)
            throw new PveException(500, $"CT {Inv(ct.Vmid)} not running");
    }

    private JsonNode? LxcStop(ApiRequest req)
    {
        _ = req.Bool("overrule-shutdown");
        return PowerTask(req, "vzstop", RequireRunning, StopContainer, req.Bool("skiplock"));
    }

    private JsonNode? LxcShutdown(ApiRequest req)
    {
        _ = req.Int("timeout");
        _ = req.Bool("forceStop");
        return PowerTask(req, "vzshutdown", RequireRunning, StopContainer);
    }

    private JsonNode? LxcReboot(ApiRequest req)
    {
        _ = req.Int("timeout");
        return PowerTask(req, "vzreboot",
            ct => { if (!ct.Running) throw new PveException(500, $"VM {Inv(ct.Vmid)} not running"); },
            StartContainer);
    }

    private JsonNode? LxcSuspend(ApiRequest req) => PowerTask(req, "vzsuspend", RequireRunning, ct => ct.Suspended = true);

    private JsonNode? LxcResume(ApiRequest req) => PowerTask(req, "vzresume",
        ct =>
        {
            if (ct.Running && !ct.Suspended)
                throw new PveException(500, $"CT {Inv(ct.Vmid)} already running");
        },
        ct =>
        {
            ct.Suspended = false;
            if (!ct.Running)
                StartContainer(ct);
        });

    // ---- resize / clone / template -------------------------------------------------------------------------

    private JsonNode? LxcResize(ApiRequest req)
    {
        var node = req.Node;
        var ct = LoadConfig(node, req.Vmid);
        var disk = req.Required("disk");
        var sizeText = req.Required("size");
        LockFile(ct.Vmid);
        CheckDigest(ct, req.Str("digest"));
        CheckLock(ct);
        if (!ct.Config.TryGetValue(disk, out var volumeString))
            throw new PveException(500, $"unable to parse volume ID '{disk}'");
        var current = Sizes.VolumeSize(volumeString);
        var grow = sizeText.StartsWith('+');
        if (!Sizes.TryParse(grow ? sizeText[1..] : sizeText, out var amount))
            throw PveException.Param("size", "value does not match the regex pattern");
        var target = grow ? current + amount : amount;
        if (target < current)
            throw new PveException(500, "unable to shrink disk size");
        if (target == current)
            throw new PveException(500, "disk is already at specified size");
        return StartTask(node, "resize", Inv(ct.Vmid), TaskUser(req), async scope =>
        {
            scope.Log($"  Size of logical volume pve/vm-{Inv(ct.Vmid)}-disk-0 changed from {Sizes.Format(current)} to {Sizes.Format(target)}.");
            await scope.WaitAsync();
            lock (State.Sync)
            {
                var values = PropertyString.Parse(ct.Config[disk], FormatOf(disk == "rootfs" ? "rootfs" : "mp[n]")).Values;
                values["size"] = Sizes.Format(target);
                ct.Config[disk] = PropertyString.Print(values, FormatOf(disk == "rootfs" ? "rootfs" : "mp[n]"));
            }
        });
    }

    private JsonNode? LxcClone(ApiRequest req)
    {
        var node = req.Node;
        var src = LoadConfig(node, req.Vmid);
        var newid = req.Int("newid")!.Value;
        var targetNode = req.Str("target") ?? node;
        var storageId = req.Str("storage");
        var pool = req.Str("pool");
        var snapname = req.Str("snapname");
        var full = req.Bool("full", defaultValue: !src.IsTemplate);
        if (full && src.Running && snapname is null)
            throw new PveException(500, "Cannot do full clones on a running container without snapshots");
        LockFile(src.Vmid);
        if (State.FindContainer(newid) is { } existing)
            throw new PveException(500, $"CT {Inv(newid)} already exists on node '{existing.Node}'");
        CheckLock(src);
        CheckNode(targetNode);
        if (pool is not null && !State.PoolSet.Contains(pool))
            throw new PveException(403, $"Permission check failed (pool '{pool}' does not exist)");
        IDictionary<string, string> sourceConfig = src.Config;
        if (snapname is not null)
            sourceConfig = src.Snapshots.FirstOrDefault(s => s.Name == snapname)?.Config ?? throw new PveException(500, $"snapshot '{snapname}' does not exist");
        StorageState? storage = null;
        if (storageId is not null)
        {
            storage = State.FindNode(targetNode)!.FindStorage(storageId) ?? throw new PveException(500, $"storage '{storageId}' does not exist");
            if (!storage.Content.Contains("rootdir"))
                throw new PveException(500, $"storage '{storageId}' does not support container directories");
        }

        var clone = new ContainerState(newid, targetNode) { Pool = pool, CreatedAt = Now };
        foreach (var (key, value) in sourceConfig)
        {
            if (key is "lock" or "parent" or "snaptime" or "description")
                continue;
            var m = SchemaValidator.IndexedNameRegex.Match(key);
            var baseKey = m.Success ? m.Groups[1].Value : key;
            if (baseKey is "rootfs" or "mp")
            {
                var format = FormatOf(baseKey == "mp" ? "mp[n]" : "rootfs");
                var values = PropertyString.Parse(value, format).Values;
                var volStorageId = values.GetValueOrDefault("volume")?.Split(':')[0] ?? "local";
                var volStorage = storage ?? State.FindNode(targetNode)!.FindStorage(volStorageId) ?? State.FindNode(node)!.FindStorage(volStorageId)!;
                values["volume"] = AllocateVolume(clone, volStorage);
                clone.Config[key] = PropertyString.Print(values, format);
            }
            else if (baseKey == "net")
            {
                var format = FormatOf("net[n]");
                var values = PropertyString.Parse(value, format).Values;
                values["hwaddr"] = RandomMac();
                clone.Config[key] = PropertyString.Print(values, format);
            }
            else if (baseKey != "unused")
            {
                clone.Config[key] = value;
            }
        }
        if (req.Str("hostname") is { } hostname)
            clone.Config["hostname"] = hostname;
        if (req.Str("description") is { } description)
            clone.Config["description"] = description;
        clone.Lock = "create";
        src.Lock = "disk";
        State.AddContainer(clone);
        return StartTask(node, "vzclone", Inv(src.Vmid), TaskUser(req), async scope =>
        {
            var ok = false;
            try
            {
                scope.Log($"create full clone of mountpoint rootfs ({src.Config.GetValueOrDefault("rootfs")})");
                await scope.WaitAsync();
                lock (State.Sync)
                    clone.Lock = null;
                ok = true;
            }
            finally
            {
                lock (State.Sync)
                {
                    if (src.Lock == "disk")
                        src.Lock = null;
                    if (!ok && State.FindContainer(newid) == clone)
                        State.RemoveContainer(newid);
                }
            }
        });
    }

    private JsonNode? LxcTemplate(ApiRequest req)
    {
        var ct = LoadConfig(req.Node, req.Vmid);
        LockFile(ct.Vmid);
        CheckLock(ct);
        if (ct.Running)
            throw new PveException(500, "unable to create template, because CT contains snapshots or is running");
        StartTask(req.Node, "vztemplate", Inv(ct.Vmid), TaskUser(req), async scope =>
        {
            await scope.WaitAsync();
            lock (State.Sync)
                ct.Config["template"] = "1";
        });
        return null;
    }

    // ---- snapshots -----------------------------------------------------------------------------------------

    private JsonNode? SnapshotList(ApiRequest req)
    {
        var ct = LoadConfig(req.Node, req.Vmid);
        var arr = new JsonArray();
        foreach (var s in ct.Snapshots)
        {
            var obj = new JsonObject { ["name"] = s.Name, ["description"] = s.Description ?? "", ["snaptime"] = s.SnapTime };
            if (s.Parent is not null)
                obj["parent"] = s.Parent;
            arr.Add(obj);
        }
        var current = new JsonObject { ["name"] = "current", ["description"] = "You are here!", ["running"] = ct.Running ? 1 : 0, ["digest"] = ct.Digest };
        if (ct.Config.GetValueOrDefault("parent") is { } parent)
            current["parent"] = parent;
        arr.Add(current);
        return arr;
    }

    private JsonNode? SnapshotCreate(ApiRequest req)
    {
        var node = req.Node;
        var vmid = req.Vmid;
        var name = req.Required("snapname");
        var description = req.Str("description");
        if (name is "current" or "vzdump")
            throw new PveException(500, $"unable to use snapshot name '{name}' (reserved name)");
        LoadConfig(node, vmid);
        return StartTask(node, "vzsnapshot", Inv(vmid), TaskUser(req), async scope =>
        {
            ContainerState ct;
            lock (State.Sync)
            {
                ct = LoadConfig(node, vmid);
                LockFile(vmid);
                CheckLock(ct);
                if (ct.Snapshots.Any(s => s.Name == name))
                    throw new PveException(500, $"snapshot name '{name}' already used");
                ct.Lock = "snapshot";
            }
            try
            {
                await scope.WaitAsync();
                lock (State.Sync)
                {
                    var parent = ct.Config.GetValueOrDefault("parent");
                    var snap = new SnapshotState { Name = name, Description = description, SnapTime = UnixNow, Parent = parent };
                    foreach (var (k, v) in ct.Config.Where(kv => kv.Key is not ("lock" or "parent")))
                        snap.Config[k] = v;
                    if (parent is not null)
                        snap.Config["parent"] = parent;
                    if (description is not null)
                        snap.Config["description"] = description;
                    snap.Config["snaptime"] = Inv(snap.SnapTime);
                    ct.Snapshots.Add(snap);
                    ct.Config["parent"] = name;
                }
            }
            finally
            {
                lock (State.Sync)
                {
                    if (ct.Lock == "snapshot")
                        ct.Lock = null;
                }
            }
        });
    }

    private JsonNode? SnapshotDelete(ApiRequest req)
    {
        var node = req.Node;
        var vmid = req.Vmid;
        var name = req.Required("snapname");
        var force = req.Bool("force");
        LoadConfig(node, vmid);
        return StartTask(node, "vzdelsnapshot", Inv(vmid), TaskUser(req), async scope =>
        {
            ContainerState ct;
            SnapshotState snap;
            lock (State.Sync)
            {
                ct = LoadConfig(node, vmid);
                LockFile(vmid);
                if (!force)
                    CheckLock(ct);
                snap = ct.Snapshots.FirstOrDefault(s => s.Name == name) ?? throw new PveException(500, $"snapshot '{name}' does not exist");
                ct.Lock = "snapshot-delete";
            }
            try
            {
                await scope.WaitAsync();
                lock (State.Sync)
                {
                    ct.Snapshots.Remove(snap);
                    foreach (var child in ct.Snapshots.Where(s => s.Parent == name))
                    {
                        child.Parent = snap.Parent;
                        if (snap.Parent is null)
                            child.Config.Remove("parent");
                        else
                            child.Config["parent"] = snap.Parent;
                    }
                    if (ct.Config.GetValueOrDefault("parent") == name)
                    {
                        if (snap.Parent is null)
                            ct.Config.Remove("parent");
                        else
                            ct.Config["parent"] = snap.Parent;
                    }
                }
            }
            finally
            {
                lock (State.Sync)
                {
                    if (ct.Lock == "snapshot-delete")
                        ct.Lock = null;
                }
            }
        });
    }

    private JsonNode? SnapshotRollback(ApiRequest req)
    {
        var node = req.Node;
        var vmid = req.Vmid;
        var name = req.Required("snapname");
        var start = req.Bool("start");
        LoadConfig(node, vmid);
        return StartTask(node, "vzrollback", Inv(vmid), TaskUser(req), async scope =>
        {
            ContainerState ct;
            SnapshotState snap;
            lock (State.Sync)
            {
                ct = LoadConfig(node, vmid);
                LockFile(vmid);
                CheckLock(ct);
                snap = ct.Snapshots.FirstOrDefault(s => s.Name == name) ?? throw new PveException(500, $"snapshot '{name}' does not exist");
                ct.Lock = "rollback";
                if (ct.Running)
                {
                    scope.Log($"stopping CT {Inv(vmid)}");
                    StopContainer(ct);
                }
            }
            try
            {
                await scope.WaitAsync();
                lock (State.Sync)
                {
                    ct.Config.Clear();
                    foreach (var (k, v) in snap.Config.Where(kv => kv.Key is not ("snaptime" or "parent" or "description")))
                        ct.Config[k] = v;
                    ct.Config["parent"] = name;
                    ct.Pending.Clear();
                    ct.PendingDelete.Clear();
                    if (start)
                        StartContainer(ct);
                }
            }
            finally
            {
                lock (State.Sync)
                {
                    if (ct.Lock == "rollback")
                        ct.Lock = null;
                }
            }
        });
    }
}
