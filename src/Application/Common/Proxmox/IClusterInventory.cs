namespace ProxmoxLxc.Application.Common.Proxmox;

/// <summary>
/// This instance's picture of <c>/cluster/resources</c>: which containers exist, on which node, in which pool, with the
/// figures the list shows. Handlers read containers and nodes only through it, never from Proxmox directly. A view is
/// never older than <c>Proxmox:InventoryMaxAgeSeconds</c> when handed out (0 = every read asks Proxmox); concurrent
/// refreshes share one Proxmox call. Changes made through this API are put into it at once.
/// </summary>
public interface IClusterInventory
{
    /// <summary>The current view, refreshed first (one shared call) when it is older than the maximum age.</summary>
    ValueTask<InventoryView> GetAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A view fetched from Proxmox no earlier than <paramref name="notBefore"/> — after Proxmox said a container is not
    /// where the view put it. Joins a refresh already under way when it started late enough.
    /// </summary>
    Task<InventoryView> RefreshAsync(DateTimeOffset notBefore, CancellationToken cancellationToken);

    /// <summary>Records a container created, cloned or changed through this API (replaces any entry with its id).</summary>
    void Put(ClusterContainer container);

    /// <summary>Records a container deleted through this API.</summary>
    void Remove(int vmId);
}

/// <summary>An immutable inventory snapshot and when its Proxmox answer was requested.</summary>
public sealed class InventoryView
{
    private readonly Dictionary<int, ClusterContainer> _byId;

    public InventoryView(IReadOnlyList<ClusterContainer> containers, IReadOnlyList<ClusterNode> nodes, DateTimeOffset fetchedAt)
    {
        ArgumentNullException.ThrowIfNull(containers);
        ArgumentNullException.ThrowIfNull(nodes);
        Containers = containers;
        Nodes = nodes;
        FetchedAt = fetchedAt;
        _byId = new Dictionary<int, ClusterContainer>(containers.Count);
        foreach (var container in containers)
        {
            _byId.TryAdd(container.VmId, container);
        }
    }

    /// <summary>Containers ordered by vmid.</summary>
    public IReadOnlyList<ClusterContainer> Containers { get; }

    public IReadOnlyList<ClusterNode> Nodes { get; }

    /// <summary>Ids held by guests that are not containers (QEMU VMs): a new container cannot take them either.</summary>
    public IReadOnlySet<int> OtherGuestIds { get; init; } = new HashSet<int>();

    /// <summary>Resource pools (<c>type: pool</c> entries). Empty when there are none, or when the Proxmox version does
    /// not list pools in <c>/cluster/resources</c> (before PVE 8.1): then existence cannot be decided from the view.</summary>
    public IReadOnlyList<string> Pools { get; init; } = [];

    /// <summary>When the Proxmox call behind this view was started (its age counts from here).</summary>
    public DateTimeOffset FetchedAt { get; }

    public ClusterContainer? Find(int vmId) => _byId.GetValueOrDefault(vmId);

    public bool Contains(int vmId) => _byId.ContainsKey(vmId);

    /// <summary>Whether any guest (container or QEMU VM) holds <paramref name="vmId"/>.</summary>
    public bool IsVmIdUsed(int vmId) => _byId.ContainsKey(vmId) || OtherGuestIds.Contains(vmId);

    /// <summary>Whole seconds since <see cref="FetchedAt"/> (the HTTP <c>Age</c> header).</summary>
    public long AgeSeconds(DateTimeOffset now) => Math.Max(0, (long)(now - FetchedAt).TotalSeconds);
}
