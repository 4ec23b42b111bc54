using ProxmoxEmulator;

namespace ProxmoxLxc.Fuzz.Tests;

/// <summary>A seeded container of the fuzz cluster.</summary>
internal sealed record SeedContainer(int Vmid, string Hostname, string Node, string? Pool, bool Running, string? Tags = null);

/// <summary>A key restriction as the API takes it (<c>allowedNodes</c>, <c>allowedPools</c>, <c>vmidRange</c>).</summary>
internal sealed record Restriction(string[] Nodes, string[] Pools, (int Min, int Max)? Range)
{
    public static Restriction None { get; } = new([], [], null);

    public bool IsRestricted => Nodes.Length > 0 || Pools.Length > 0 || Range is not null;

    public bool Allows(SeedContainer container) =>
        (Nodes.Length == 0 || Nodes.Contains(container.Node, StringComparer.Ordinal))
        && (Pools.Length == 0 || (container.Pool is not null && Pools.Contains(container.Pool, StringComparer.Ordinal)))
        && (Range is not { } r || (container.Vmid >= r.Min && container.Vmid <= r.Max));

    public object ToRequest() => new
    {
        allowedNodes = Nodes,
        allowedPools = Pools,
        vmidRange = Range is { } r ? new { min = r.Min, max = r.Max } : null,
    };

    public override string ToString() =>
        !IsRestricted ? "unrestricted"
        : string.Join(' ', new[]
        {
            Nodes.Length > 0 ? "nodes=" + string.Join(',', Nodes) : null,
            Pools.Length > 0 ? "pools=" + string.Join(',', Pools) : null,
            Range is { } r ? $"vmids={r.Min}-{r.Max}" : null,
        }.Where(s => s is not null));
}

/// <summary>A caller of a case: a key of some scopes and restriction, or no/invalid key.</summary>
internal sealed record Actor(string Name, string[] Scopes, Restriction Restriction)
{
    public override string ToString() => $"{Name} [{string.Join(',', Scopes)}] {Restriction}";
}

/// <summary>
/// The fixed world every case starts from: the emulator's cluster (containers inside and outside the restricted
/// keys' restrictions, one node and pool that hold only hidden containers), the actors, and the values of the
/// cluster that generators draw on by parameter name.
/// </summary>
internal static class FuzzWorld
{
    public const string Debian = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst";
    public const string Ubuntu = "local:vztmpl/ubuntu-24.04-standard_24.04-2_amd64.tar.zst";

    public static IReadOnlyList<SeedContainer> Containers { get; } =
    [
        new(100, "web1", "pve1", "web", Running: true, Tags: "prod;web"),
        new(101, "db1", "pve2", "db", Running: false, Tags: "prod"),
        new(102, "cache1", "pve1", null, Running: false),
        new(173, "devbox", "pve2", "dev", Running: true),
        new(4711, "vault-keeper", "pve3", "vault", Running: true),
    ];

    public static IReadOnlyList<string> Nodes { get; } = ["pve1", "pve2", "pve3"];

    public static IReadOnlyList<string> Pools { get; } = ["web", "db", "dev", "vault"];

    public static IReadOnlyList<string> AllScopes { get; } =
        ["admin", "containers:read", "containers:power", "containers:write", "audit:read", "keys:admin"];

    /// <summary>Actors with a key: every scope alone, unrestricted; every restriction with all scopes and with read+audit only.</summary>
    public static IReadOnlyList<Actor> KeyActors { get; } = BuildActors();

    /// <summary>Callers without a usable key (401 path).</summary>
    public static IReadOnlyList<string> NoKeyActors { get; } = ["anonymous", "malformed-key", "unknown-key"];

    public static EmulatorOptions EmulatorOptions()
    {
        NodeOptions Node(string name) => new()
        {
            Name = name,
            Storages =
            [
                new StorageOptions
                {
                    Name = "local", Type = "dir", Content = "vztmpl,rootdir,backup,iso", Total = 100L << 30, Used = 20L << 30,
                    Templates = [new TemplateOptions { VolId = Debian, Size = 125_000_000 }, new TemplateOptions { VolId = Ubuntu, Size = 130_000_000 }],
                },
                new StorageOptions { Name = "local-lvm", Type = "lvmthin", Content = "rootdir,images", Total = 400L << 30, Used = 40L << 30 },
            ],
        };

        return new EmulatorOptions
        {
            DefaultTaskDuration = TimeSpan.Zero,
            Nodes = [.. Nodes.Select(Node)],
            Pools = [.. Pools],
            Containers =
            [
                .. Containers.Select(c => new ContainerOptions
                {
                    Vmid = c.Vmid, Node = c.Node, Hostname = c.Hostname, Running = c.Running, Pool = c.Pool, Tags = c.Tags,
                    Memory = 1024, Cores = 2, DiskGiB = 8, OsTemplate = Debian, Ip = "10.0.0.10/24", Gateway = "10.0.0.1",
                }),
            ],
        };
    }

    private static List<Actor> BuildActors()
    {
        var actors = AllScopes.Select(s => new Actor("unrestricted-" + s, [s], Restriction.None)).ToList();
        var restrictions = new (string Name, Restriction Restriction)[]
        {
            ("node-pve1", new Restriction(["pve1"], [], null)),
            ("pool-web", new Restriction([], ["web"], null)),
            ("vmids-100-149", new Restriction([], [], (100, 149))),
        };
        foreach (var (name, restriction) in restrictions)
        {
            actors.Add(new Actor(name + "-admin", ["admin"], restriction));
            actors.Add(new Actor(name + "-reader", ["containers:read", "audit:read"], restriction));
        }

        return actors;
    }

    /// <summary>
    /// What a restricted actor must never be told: vmid, hostname and pool of every container outside its restriction
    /// (a pool only when no visible container is in it), and the nodes outside its <c>allowedNodes</c> (nodes are
    /// visible to keys without a node restriction: <c>GET /nodes</c>).
    /// </summary>
    public static IReadOnlyList<string> ForeignTokens(Restriction restriction)
    {
        if (!restriction.IsRestricted)
        {
            return [];
        }

        var visible = Containers.Where(restriction.Allows).ToList();
        var foreign = Containers.Where(c => !restriction.Allows(c)).ToList();
        var visiblePools = visible.Select(c => c.Pool).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var tokens = new List<string>();
        tokens.AddRange(foreign.Select(c => c.Vmid.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        tokens.AddRange(foreign.Select(c => c.Hostname));
        tokens.AddRange(foreign.Select(c => c.Pool).OfType<string>().Where(p => !visiblePools.Contains(p)));
        if (restriction.Nodes.Length > 0)
        {
            tokens.AddRange(Nodes.Where(n => !restriction.Nodes.Contains(n, StringComparer.Ordinal)));
        }

        return [.. tokens.Distinct(StringComparer.Ordinal)];
    }
}
