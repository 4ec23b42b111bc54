namespace ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

/// <summary>The system clock plus an offset that tests can advance (timers keep real time).</summary>
public sealed class TestTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));
}
