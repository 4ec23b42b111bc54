namespace ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

/// <summary>
/// The emulator's clock for tests that decide when a Proxmox task ends: the system clock, except that a timer due in
/// <see cref="Held"/> or later (an emulator task given that duration) fires only when the test calls
/// <see cref="Release"/>. Shorter timers run as usual.
/// </summary>
public sealed class TaskGate : TimeProvider
{
    /// <summary>Give a task type this duration (<c>TaskDurations</c>) to hold its tasks until <see cref="Release"/>.</summary>
    public static readonly TimeSpan Held = TimeSpan.FromHours(1);

    private readonly List<HeldTimer> _held = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime < Held)
        {
            return base.CreateTimer(callback, state, dueTime, period);
        }

        var timer = new HeldTimer(callback, state);
        lock (_held)
        {
            _held.Add(timer);
        }

        return timer;
    }

    /// <summary>Ends every held task now (the tasks started later are held again).</summary>
    public void Release()
    {
        HeldTimer[] timers;
        lock (_held)
        {
            timers = [.. _held];
            _held.Clear();
        }

        foreach (var timer in timers)
        {
            timer.Fire();
        }
    }

    private sealed class HeldTimer(TimerCallback callback, object? state) : ITimer
    {
        private int _done;

        public void Fire()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                ThreadPool.QueueUserWorkItem(_ => callback(state));
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period) => _done == 0;

        public void Dispose() => Interlocked.Exchange(ref _done, 1);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
