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
    /// The view as it is now, however old, without asking Proxmox (null before the first refresh) — for readers that
    /// only need to notice a newer view, such as an open event stream re-resolving its pool visibility.
    /// </summary>
    InventoryView? Latest { get; }

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

    /// <summary>Built by <see cref="WithChanges"/>: the containers already merged, the lookup copied and patched.</summary>
    private InventoryView(InventoryView previous, IReadOnlyList<ClusterContainer> containers, Dictionary<int, ClusterContainer> byId)
    {
        Containers = containers;
        Nodes = previous.Nodes;
        FetchedAt = previous.FetchedAt;
        OtherGuestIds = previous.OtherGuestIds;
        Pools = previous.Pools;
        _byId = byId;
    }

    /// <summary>
    /// This view with <paramref name="changes"/> laid over its containers (a container replaces or adds the entry with
    /// its id; null removes it), keeping the order by vmid. One pass over the sorted list and a copy of the lookup:
    /// a change made through the API costs copying two arrays, not sorting the cluster again.
    /// </summary>
    public InventoryView WithChanges(IReadOnlyDictionary<int, ClusterContainer?> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return this;
        }

        var byId = new Dictionary<int, ClusterContainer>(_byId);
        var added = new List<ClusterContainer>();
        foreach (var (vmId, container) in changes)
        {
            if (container is null)
            {
                byId.Remove(vmId);
            }
            else
            {
                if (!_byId.ContainsKey(vmId))
                {
                    added.Add(container);
                }

                byId[vmId] = container;
            }
        }

        added.Sort(static (a, b) => a.VmId.CompareTo(b.VmId));
        var merged = new List<ClusterContainer>(Containers.Count + added.Count);
        var next = 0;
        foreach (var existing in Containers)
        {
            while (next < added.Count && added[next].VmId < existing.VmId)
            {
                merged.Add(added[next++]);
            }

            if (!changes.TryGetValue(existing.VmId, out var changed))
            {
                merged.Add(existing);
            }
            else if (changed is not null)
            {
                merged.Add(changed);
            }
        }

        while (next < added.Count)
        {
            merged.Add(added[next++]);
        }

        return new InventoryView(this, merged, byId);
    }

    public ClusterContainer? Find(int vmId) => _byId.GetValueOrDefault(vmId);

    public bool Contains(int vmId) => _byId.ContainsKey(vmId);

    /// <summary>Whether any guest (container or QEMU VM) holds <paramref name="vmId"/>.</summary>
    public bool IsVmIdUsed(int vmId) => _byId.ContainsKey(vmId) || OtherGuestIds.Contains(vmId);

    /// <summary>Whole seconds since <see cref="FetchedAt"/> (the HTTP <c>Age</c> header).</summary>
    public long AgeSeconds(DateTimeOffset now) => Math.Max(0, (long)(now - FetchedAt).TotalSeconds);
}
