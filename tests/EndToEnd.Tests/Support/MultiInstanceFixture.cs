namespace ProxmoxLxc.EndToEnd.Tests.Support;

/// <summary>
/// A fixture with <see cref="ServiceInstances"/> of its own (three instances by default) on one PostgreSQL database
/// and one standalone emulator, started once; before each test every killed instance is started again. Override
/// <see cref="Options"/> for another count, task durations or settings (e.g. <c>RateLimiting__Redis</c>).
/// </summary>
public abstract class MultiInstanceFixture
{
    private ServiceInstances? _instances;

    protected ServiceInstances Instances => _instances ?? throw new InvalidOperationException("The instances have not started.");

    protected virtual ServiceInstancesOptions Options => new();

    [OneTimeSetUp]
    public async Task StartInstancesAsync() => _instances = await ServiceInstances.StartAsync(Options);

    [SetUp]
    public Task RestartKilledInstancesAsync() => Instances.EnsureRunningAsync();

    [OneTimeTearDown]
    public async Task StopInstancesAsync()
    {
        if (_instances is not null)
        {
            await _instances.DisposeAsync();
        }
    }
}
