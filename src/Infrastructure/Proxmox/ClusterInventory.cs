using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>
/// <see cref="IClusterInventory"/> for this instance. A read finds the current view or, when it is older than
/// <see cref="ProxmoxOptions.InventoryMaxAgeSeconds"/>, joins the one refresh under way (started if none). A refresh runs
/// detached from the request that started it, so a cancelled caller does not fail the others. Changes recorded with
/// <see cref="Put"/> / <see cref="Remove"/> apply to the view at once and are laid over any refresh that was requested
/// before them (its answer may predate them); a refresh requested later supersedes them.
/// </summary>
internal sealed class ClusterInventory(IProxmoxGateway gateway, IOptions<ProxmoxOptions> options, TimeProvider time) : IClusterInventory
{
    private readonly Lock _sync = new();
    private readonly List<Change> _changes = [];
    private InventoryView? _view;
    private Refresh? _inflight;
    private long _changeSeq;

    private TimeSpan MaxAge => TimeSpan.FromSeconds(options.Value.InventoryMaxAgeSeconds);

    public ValueTask<InventoryView> GetAsync(CancellationToken cancellationToken)
    {
        var view = Volatile.Read(ref _view);
        if (view is not null && time.GetUtcNow() - view.FetchedAt < MaxAge)
        {
            return ValueTask.FromResult(view);
        }

        return new ValueTask<InventoryView>(StartOrJoin(DateTimeOffset.MinValue).WaitAsync(cancellationToken));
    }

    public Task<InventoryView> RefreshAsync(DateTimeOffset notBefore, CancellationToken cancellationToken) =>
        StartOrJoin(notBefore).WaitAsync(cancellationToken);

    public void Put(ClusterContainer container)
    {
        ArgumentNullException.ThrowIfNull(container);
        Record(new Change(container.VmId, container));
    }

    public void Remove(int vmId) => Record(new Change(vmId, null));

    private void Record(Change change)
    {
        lock (_sync)
        {
            change.Seq = ++_changeSeq;
            _changes.Add(change);
            if (_view is { } view)
            {
                Volatile.Write(ref _view, Apply(view, [change]));
            }
        }
    }

    private Task<InventoryView> StartOrJoin(DateTimeOffset notBefore)
    {
        lock (_sync)
        {
            if (_inflight is { } running && running.StartedAt >= notBefore)
            {
                return running.Task;
            }

            var refresh = new Refresh(time.GetUtcNow(), _changeSeq);
            _inflight = refresh;
            refresh.Task = Task.Run(() => RunAsync(refresh));
            return refresh.Task;
        }
    }

    private async Task<InventoryView> RunAsync(Refresh refresh)
    {
        try
        {
            var resources = await gateway.GetClusterResourcesAsync(CancellationToken.None);
            var containerIds = resources.Containers.Select(c => c.VmId).ToHashSet();
            var fetched = new InventoryView(resources.Containers, resources.Nodes, refresh.StartedAt)
            {
                OtherGuestIds = resources.UsedVmIds.Where(id => !containerIds.Contains(id)).ToHashSet(),
                Pools = resources.Pools,
            };
            lock (_sync)
            {
                // Changes recorded before this refresh was requested are in Proxmox's answer (or were undone there).
                _changes.RemoveAll(c => c.Seq <= refresh.ChangeSeq);
                var fresh = Apply(fetched, _changes);
                if (_view is null || _view.FetchedAt <= fresh.FetchedAt)
                {
                    Volatile.Write(ref _view, fresh);
                }

                return _view;
            }
        }
        finally
        {
            lock (_sync)
            {
                if (ReferenceEquals(_inflight, refresh))
                {
                    _inflight = null;
                }
            }
        }
    }

    /// <summary><paramref name="view"/> with <paramref name="changes"/> laid over its containers.</summary>
    private static InventoryView Apply(InventoryView view, List<Change> changes)
    {
        if (changes.Count == 0)
        {
            return view;
        }

        var byId = new SortedDictionary<int, ClusterContainer>();
        foreach (var container in view.Containers)
        {
            byId.TryAdd(container.VmId, container);
        }

        foreach (var change in changes)
        {
            if (change.Container is null)
            {
                byId.Remove(change.VmId);
            }
            else
            {
                byId[change.VmId] = change.Container;
            }
        }

        return new InventoryView([.. byId.Values], view.Nodes, view.FetchedAt) { OtherGuestIds = view.OtherGuestIds, Pools = view.Pools };
    }

    private sealed class Change(int vmId, ClusterContainer? container)
    {
        public int VmId { get; } = vmId;
        public ClusterContainer? Container { get; } = container;
        public long Seq { get; set; }
    }

    private sealed class Refresh(DateTimeOffset startedAt, long changeSeq)
    {
        public DateTimeOffset StartedAt { get; } = startedAt;
        public long ChangeSeq { get; } = changeSeq;
        public Task<InventoryView> Task { get; set; } = System.Threading.Tasks.Task.FromResult<InventoryView>(null!);
    }
}
