using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>
/// <see cref="IClusterInventory"/> for this instance. A read finds the current view or, when it is older than
/// <see cref="ProxmoxOptions.InventoryMaxAgeSeconds"/>, joins the one refresh under way (started if none). A refresh runs
/// detached from the request that started it, so a cancelled caller does not fail the others. Changes recorded with
/// <see cref="Put"/> / <see cref="Remove"/> apply to the view at once and are laid over any refresh that was requested
/// before them (its answer may predate them); a refresh requested later supersedes them. When a refresh replaces the
/// view, the <see cref="IInventoryObserver"/>s are told (previous and new view) before the refresh's readers get it.
/// </summary>
internal sealed class ClusterInventory(
    IProxmoxGateway gateway, IOptions<ProxmoxOptions> options, TimeProvider time, IEnumerable<IInventoryObserver> observers) : IClusterInventory
{
    private readonly IInventoryObserver[] _observers = [.. observers];

    private readonly Lock _sync = new();
    private readonly List<Change> _changes = [];
    private InventoryView? _view;
    private Refresh? _inflight;
    private long _changeSeq;

    private TimeSpan MaxAge => TimeSpan.FromSeconds(options.Value.InventoryMaxAgeSeconds);

    public InventoryView? Latest => Volatile.Read(ref _view);

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
            InventoryView? replaced = null;
            InventoryView current;
            lock (_sync)
            {
                // Changes recorded before this refresh was requested are in Proxmox's answer (or were undone there).
                _changes.RemoveAll(c => c.Seq <= refresh.ChangeSeq);
                var fresh = Apply(fetched, _changes);
                if (_view is null || _view.FetchedAt <= fresh.FetchedAt)
                {
                    replaced = _view;
                    Volatile.Write(ref _view, fresh);
                }

                current = _view;
            }

            if (replaced is not null)
            {
                foreach (var observer in _observers)
                {
                    await observer.ViewReplacedAsync(replaced, current);
                }
            }

            return current;
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

    /// <summary><paramref name="view"/> with <paramref name="changes"/> laid over its containers, the later change to an id
    /// winning.</summary>
    private static InventoryView Apply(InventoryView view, List<Change> changes)
    {
        var last = new Dictionary<int, ClusterContainer?>(changes.Count);
        foreach (var change in changes)
        {
            last[change.VmId] = change.Container;
        }

        return view.WithChanges(last);
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
