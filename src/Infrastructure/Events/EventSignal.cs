namespace ProxmoxLxc.Infrastructure.Events;

/// <summary>
/// Wakes this instance's event readers at once when this instance commits events (other instances' events are found
/// by the readers' poll). Remembers the highest event id committed here, so a reader that checks after it read never
/// misses a wake-up.
/// </summary>
internal sealed class EventSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _next = NewSource();
    private long _latest;

    /// <summary>Completes when events are committed here after this was read.</summary>
    public Task Next
    {
        get
        {
            lock (_gate)
            {
                return _next.Task;
            }
        }
    }

    /// <summary>The highest event id committed by this instance.</summary>
    public long Latest => Interlocked.Read(ref _latest);

    public void Committed(long latestId)
    {
        TaskCompletionSource woken;
        lock (_gate)
        {
            if (latestId > _latest)
            {
                Interlocked.Exchange(ref _latest, latestId);
            }

            woken = _next;
            _next = NewSource();
        }

        woken.TrySetResult();
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
