namespace ProxmoxEmulator;

/// <summary>
/// Configuration of a Proxmox VE emulator instance: seed cluster, credentials, ticket lifetime, task durations and
/// faults. Bindable from configuration (section <c>Emulator</c> in the Host app). Empty <see cref="Nodes"/> means
/// "use the default seed" (see <see cref="DefaultSeed"/>); empty <see cref="Users"/> and <see cref="Tokens"/> mean
/// "use the default credentials" (<c>root@pam</c> / <see cref="DefaultPassword"/>, token <see cref="DefaultTokenId"/>).
/// </summary>
public sealed class EmulatorOptions
{
    /// <summary>Default user password.</summary>
    public const string DefaultPassword = "emulator-root-pw";

    /// <summary>Default API token id (full form <c>user@realm!tokenid</c>).</summary>
    public const string DefaultTokenId = "root@pam!ci";

    /// <summary>Default API token secret.</summary>
    public const string DefaultTokenSecret = "5f3c1a9e-8d2b-4c6f-9a7e-0b1d2c3e4f50";

    /// <summary>Address Kestrel binds to when started through <see cref="ProxmoxEmulatorServer"/>.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>Port (0 = pick a free port).</summary>
    public int Port { get; set; }

    /// <summary>Cluster name reported by <c>POST /access/ticket</c>.</summary>
    public string ClusterName { get; set; } = "emulator";

    /// <summary>Cluster nodes with their storages.</summary>
    public List<NodeOptions> Nodes { get; set; } = [];

    /// <summary>Containers present at start.</summary>
    public List<ContainerOptions> Containers { get; set; } = [];

    /// <summary>Extra generated containers on top of <see cref="Containers"/> (benchmarks at cluster scale; 0 = none).</summary>
    public int GeneratedContainers { get; set; }

    /// <summary>First vmid of the generated containers.</summary>
    public int GeneratedFirstVmid { get; set; } = 1000;

    /// <summary>Entries the request journal keeps (oldest dropped first); counters keep counting.</summary>
    public int JournalCapacity { get; set; } = RequestJournal.DefaultCapacity;

    /// <summary>Resource pools (pool membership is set on the container).</summary>
    public List<string> Pools { get; set; } = [];

    /// <summary>Users that may log in with <c>POST /access/ticket</c>.</summary>
    public List<UserOptions> Users { get; set; } = [];

    /// <summary>API tokens.</summary>
    public List<TokenOptions> Tokens { get; set; } = [];

    /// <summary>Ticket lifetime (Proxmox: 2 h).</summary>
    public TimeSpan TicketLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Delay before answering a 401 (Proxmox: 3 s; default 0 here).</summary>
    public TimeSpan AuthFailureDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Task duration when <see cref="TaskDurations"/> has no entry for the task type.</summary>
    public TimeSpan DefaultTaskDuration { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Task duration per task type (<c>vzcreate</c>, <c>vzstart</c>, <c>vzclone</c>, ...).</summary>
    public Dictionary<string, TimeSpan> TaskDurations { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Emit numbers such as vmid and sizes as JSON strings (NOTES §4); also switchable at runtime.</summary>
    public bool StringNumbers { get; set; }

    /// <summary>Fault rules active from the start (see <see cref="EmulatorFaults"/>).</summary>
    public List<FaultRule> Faults { get; set; } = [];

    /// <summary>Clock used for tickets, task times and uptime (tests may shift it to expire tickets).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Seed of the pseudo random generator (MAC addresses, usage figures, fault rates).</summary>
    public int RandomSeed { get; set; } = 4711;

    /// <summary>
    /// The default seed: nodes <c>pve1</c>, <c>pve2</c> (online); storages <c>local</c> (dir, vztmpl+rootdir+backup) and
    /// <c>local-lvm</c> (lvmthin, rootdir+images) on each; Debian 12, Ubuntu 24.04 and Alpine 3.20 templates on
    /// <c>pve1:local</c>, pve2 lacks Alpine; CT 100 <c>web1</c> running on pve1 in pool <c>web</c>, CT 101 <c>db1</c>
    /// stopped on pve2 in pool <c>db</c>, CT 102 <c>cache1</c> stopped on pve1 without pool.
    /// </summary>
    public static EmulatorOptions DefaultSeed()
    {
        var options = new EmulatorOptions();
        options.ApplyDefaultSeed();
        return options;
    }

    internal void ApplyDefaultSeed()
    {
        const string Debian = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst";
        const string Ubuntu = "local:vztmpl/ubuntu-24.04-standard_24.04-2_amd64.tar.zst";
        const string Alpine = "local:vztmpl/alpine-3.20-default_20240908_amd64.tar.xz";
        NodeOptions MakeNode(string name, params string[] templates) => new()
        {
            Name = name,
            Storages =
            [
                new StorageOptions
                {
                    Name = "local", Type = "dir", Content = "vztmpl,rootdir,backup,iso", Total = 100L << 30, Used = 20L << 30,
                    Templates = templates.Select(t => new TemplateOptions { VolId = t, Size = t.Contains("alpine", StringComparison.Ordinal) ? 3_200_000 : 125_000_000 }).ToList(),
                },
                new StorageOptions { Name = "local-lvm", Type = "lvmthin", Content = "rootdir,images", Total = 400L << 30, Used = 40L << 30 },
            ],
        };
        Nodes = [MakeNode("pve1", Debian, Ubuntu, Alpine), MakeNode("pve2", Debian, Ubuntu)];
        Pools = ["web", "db"];
        Containers =
        [
            new ContainerOptions
            {
                Vmid = 100, Node = "pve1", Hostname = "web1", Running = true, Pool = "web", Tags = "prod;web",
                Memory = 1024, Cores = 2, DiskGiB = 8, OsTemplate = Debian, Ip = "10.0.0.100/24", Gateway = "10.0.0.1",
            },
            new ContainerOptions
            {
                Vmid = 101, Node = "pve2", Hostname = "db1", Running = false, Pool = "db", Tags = "prod;db",
                Memory = 2048, Cores = 2, DiskGiB = 16, OsTemplate = Ubuntu,
            },
            new ContainerOptions
            {
                Vmid = 102, Node = "pve1", Hostname = "cache1", Running = false, Tags = "dev",
                Memory = 512, Cores = 1, DiskGiB = 4, OsTemplate = Alpine,
            },
        ];
    }
}

/// <summary>A cluster node.</summary>
public sealed class NodeOptions
{
    /// <summary>Node name, e.g. <c>pve1</c>.</summary>
    public string Name { get; set; } = "pve1";

    /// <summary>Offline nodes appear in <c>/nodes</c> as offline; calls proxied to them give 595.</summary>
    public bool Online { get; set; } = true;

    /// <summary>Number of CPUs.</summary>
    public int MaxCpu { get; set; } = 8;

    /// <summary>Memory in bytes.</summary>
    public long MaxMem { get; set; } = 32L << 30;

    /// <summary>Root disk in bytes.</summary>
    public long MaxDisk { get; set; } = 100L << 30;

    /// <summary>Storages on this node.</summary>
    public List<StorageOptions> Storages { get; set; } = [];
}

/// <summary>A storage on a node.</summary>
public sealed class StorageOptions
{
    /// <summary>Storage id, e.g. <c>local</c>.</summary>
    public string Name { get; set; } = "local";

    /// <summary>Storage type (<c>dir</c>, <c>lvmthin</c>, <c>zfspool</c>, ...).</summary>
    public string Type { get; set; } = "dir";

    /// <summary>Comma-separated content types (<c>vztmpl,rootdir</c>).</summary>
    public string Content { get; set; } = "rootdir";

    /// <summary>Capacity in bytes.</summary>
    public long Total { get; set; } = 100L << 30;

    /// <summary>Used bytes (container volumes are added on top).</summary>
    public long Used { get; set; }

    /// <summary>Whether the storage is active.</summary>
    public bool Active { get; set; } = true;

    /// <summary>Templates (content <c>vztmpl</c>) present on this storage.</summary>
    public List<TemplateOptions> Templates { get; set; } = [];
}

/// <summary>A container template volume.</summary>
public sealed class TemplateOptions
{
    /// <summary>Volume id, e.g. <c>local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst</c>.</summary>
    public string VolId { get; set; } = "";

    /// <summary>Size in bytes.</summary>
    public long Size { get; set; } = 100_000_000;
}

/// <summary>A container in the seed.</summary>
public sealed class ContainerOptions
{
    /// <summary>VM id.</summary>
    public int Vmid { get; set; }

    /// <summary>Node the container lives on.</summary>
    public string Node { get; set; } = "pve1";

    /// <summary>Host name.</summary>
    public string Hostname { get; set; } = "ct";

    /// <summary>Running at start.</summary>
    public bool Running { get; set; }

    /// <summary>Pool membership (optional).</summary>
    public string? Pool { get; set; }

    /// <summary>Tags, <c>;</c>-separated (optional).</summary>
    public string? Tags { get; set; }

    /// <summary>Memory in MiB.</summary>
    public int Memory { get; set; } = 512;

    /// <summary>Swap in MiB.</summary>
    public int Swap { get; set; } = 512;

    /// <summary>Cores.</summary>
    public int Cores { get; set; } = 1;

    /// <summary>Root disk size in GiB (on <see cref="RootStorage"/>).</summary>
    public int DiskGiB { get; set; } = 8;

    /// <summary>Storage of the root disk.</summary>
    public string RootStorage { get; set; } = "local-lvm";

    /// <summary>Template the container was made from (sets <c>ostype</c>).</summary>
    public string? OsTemplate { get; set; }

    /// <summary>IPv4 config of <c>net0</c> (<c>dhcp</c> or CIDR).</summary>
    public string Ip { get; set; } = "dhcp";

    /// <summary>IPv4 gateway of <c>net0</c> (optional).</summary>
    public string? Gateway { get; set; }

    /// <summary>Whether this is a template.</summary>
    public bool Template { get; set; }

    /// <summary>Extra raw config keys (e.g. <c>features: nesting=1</c>, <c>description</c>).</summary>
    public Dictionary<string, string> ExtraConfig { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>A user who can log in.</summary>
public sealed class UserOptions
{
    /// <summary>User id with realm, e.g. <c>root@pam</c>.</summary>
    public string UserId { get; set; } = "root@pam";

    /// <summary>Password.</summary>
    public string Password { get; set; } = EmulatorOptions.DefaultPassword;
}

/// <summary>An API token.</summary>
public sealed class TokenOptions
{
    /// <summary>Full token id <c>user@realm!tokenid</c>.</summary>
    public string TokenId { get; set; } = EmulatorOptions.DefaultTokenId;

    /// <summary>Secret (UUID).</summary>
    public string Secret { get; set; } = EmulatorOptions.DefaultTokenSecret;
}
