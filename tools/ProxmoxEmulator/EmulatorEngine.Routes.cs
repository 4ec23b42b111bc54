namespace ProxmoxEmulator;

public sealed partial class EmulatorEngine
{
    private const string Node = "node:string@pve-node";
    private const string Vmid = "vmid:integer@pve-vmid";

    /// <summary>Config keys the emulator stores from create/update (schema names).</summary>
    private static readonly string[] ConfigKeyDecls =
    [
        "arch:string=amd64|i386|arm64|armhf|riscv32|riscv64", "cmode:string", "console:boolean", "cores:integer", "cpulimit:number",
        "cpuunits:integer", "description:string", "features:string@property-string", "hostname:string@dns-name", "memory:integer",
        "mp[n]:string@property-string", "nameserver:string@lxc-ip-with-ll-iface-list", "net[n]:string@property-string", "onboot:boolean",
        "ostype:string", "protection:boolean", "rootfs:string@property-string", "searchdomain:string@dns-name-list",
        "startup:string@pve-startup-order", "swap:integer", "tags:string@pve-tag-list", "timezone:string@pve-ct-timezone",
        "tty:integer", "unprivileged:boolean", "template:boolean", "entrypoint:string", "env:string",
        "hookscript:string@pve-volume-id", "dev[n]:string@property-string", "unused[n]:string@property-string",
    ];

    private static readonly HashSet<string> ConfigKeys = new(ConfigKeyDecls.Select(d => d[..d.IndexOf(':', StringComparison.Ordinal)]), StringComparer.Ordinal);

    private List<EmulatorRoute> BuildRoutes()
    {
        const string Lxc = "/nodes/{node}/lxc/{vmid}";
        EmulatorRoute R(string method, string path, Func<ApiRequest, System.Text.Json.Nodes.JsonNode?> handler, params string[] parameters) =>
            new(method, path, parameters, handler);
        return
        [
            new("GET", "/access/ticket", [], _ => null) { Anonymous = true },
            new("POST", "/access/ticket", ["username:string", "password:string", "realm:string@pve-realm", "otp:string", "new-format:boolean"], Login) { Anonymous = true },
            R("GET", "/version", Version),
            R("GET", "/cluster/resources", ClusterResources, "type:string=vm|storage|node|sdn"),
            R("GET", "/cluster/nextid", NextId, Vmid),
            R("GET", "/cluster/tasks", ClusterTasks),
            R("GET", "/nodes", NodeList),
            R("GET", "/nodes/{node}/status", NodeStatus, Node),
            R("GET", "/nodes/{node}/storage", StorageList, Node, "content:string@pve-storage-content-list", "storage:string@pve-storage-id", "enabled:boolean"),
            R("GET", "/nodes/{node}/storage/{storage}/content", StorageContent, Node, "storage:string@pve-storage-id", "content:string@pve-storage-content", Vmid),
            R("GET", "/nodes/{node}/storage/{storage}/status", StorageStatus, Node, "storage:string@pve-storage-id"),
            R("GET", "/nodes/{node}/tasks", TaskList, Node, "vmid:integer", "start:integer", "limit:integer", "source:string=archive|active|all",
                "typefilter:string", "userfilter:string", "since:integer", "until:integer", "errors:boolean", "statusfilter:string"),
            R("GET", "/nodes/{node}/tasks/{upid}/status", TaskStatus, Node, "upid:string"),
            R("GET", "/nodes/{node}/tasks/{upid}/log", TaskLog, Node, "upid:string", "start:integer", "limit:integer", "download:boolean"),
            R("GET", "/nodes/{node}/lxc", LxcList, Node),
            R("POST", "/nodes/{node}/lxc", LxcCreate,
                [Node, Vmid, "ostemplate:string", "password:string", "ssh-public-keys:string", "start:boolean", "pool:string@pve-poolid",
                 "storage:string@pve-storage-id", "force:boolean", "unique:boolean", "restore:boolean", "ignore-unpack-errors:boolean",
                 "debug:boolean", .. ConfigKeyDecls]),
            R("GET", Lxc, LxcIndex, Node, Vmid),
            R("DELETE", Lxc, LxcDelete, Node, Vmid, "purge:boolean", "force:boolean", "destroy-unreferenced-disks:boolean"),
            R("GET", Lxc + "/config", LxcConfigGet, Node, Vmid, "current:boolean", "snapshot:string@pve-configid"),
            R("PUT", Lxc + "/config", LxcConfigPut,
                [Node, Vmid, "digest:string", "delete:string@pve-configid-list", "revert:string@pve-configid-list", .. ConfigKeyDecls]),
            R("GET", Lxc + "/pending", LxcPending, Node, Vmid),
            R("GET", Lxc + "/status", LxcStatusIndex, Node, Vmid),
            R("GET", Lxc + "/status/current", LxcStatusCurrent, Node, Vmid),
            R("POST", Lxc + "/status/start", LxcStart, Node, Vmid, "skiplock:boolean"),
            R("POST", Lxc + "/status/stop", LxcStop, Node, Vmid, "skiplock:boolean", "overrule-shutdown:boolean"),
            R("POST", Lxc + "/status/shutdown", LxcShutdown, Node, Vmid, "timeout:integer", "forceStop:boolean"),
            R("POST", Lxc + "/status/reboot", LxcReboot, Node, Vmid, "timeout:integer"),
            R("POST", Lxc + "/status/suspend", LxcSuspend, Node, Vmid),
            R("POST", Lxc + "/status/resume", LxcResume, Node, Vmid),
            R("PUT", Lxc + "/resize", LxcResize, Node, Vmid, "disk:string=rootfs|mp0|mp1|mp2|mp3|mp4|mp5|mp6|mp7|mp8|mp9", "size:string", "digest:string"),
            R("POST", Lxc + "/clone", LxcClone, Node, Vmid, "newid:integer@pve-vmid", "hostname:string@dns-name", "full:boolean",
                "storage:string@pve-storage-id", "target:string@pve-node", "snapname:string@pve-configid", "pool:string@pve-poolid", "description:string"),
            R("POST", Lxc + "/template", LxcTemplate, Node, Vmid),
            R("GET", Lxc + "/snapshot", SnapshotList, Node, Vmid),
            R("POST", Lxc + "/snapshot", SnapshotCreate, Node, Vmid, "snapname:string@pve-configid", "description:string"),
            R("DELETE", Lxc + "/snapshot/{snapname}", SnapshotDelete, Node, Vmid, "snapname:string@pve-configid", "force:boolean"),
            R("POST", Lxc + "/snapshot/{snapname}/rollback", SnapshotRollback, Node, Vmid, "snapname:string@pve-configid", "start:boolean"),
            R("GET", Lxc + "/rrddata", RrdData, Node, Vmid, "timeframe:string=hour|day|week|month|year", "cf:string=AVERAGE|MAX"),
            R("GET", Lxc + "/interfaces", Interfaces, Node, Vmid),
        ];
    }
}
