using ProxmoxLxc.Infrastructure.Hosting;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Hosting;

/// <summary>A stop that still writes runs once, and no stop call returns before it is done.</summary>
public class DrainingBackgroundServiceTests
{
    [Test]
    public async Task StopAsync_CalledThreeTimes_StopsOnceAndEveryCallWaitsForIt()
    {
        var service = new HeldStop();
        await service.StartAsync(CancellationToken.None);
        await service.Running;

        var calls = new[] { service.StopAsync(CancellationToken.None), service.StopAsync(CancellationToken.None), service.StopAsync(CancellationToken.None) };
        await service.Stopping;
        Assert.That(calls.Select(c => c.IsCompleted), Is.All.False, "no call returns while the stop still writes");

        service.Finish();
        await Task.WhenAll(calls);
        Assert.Multiple(() =>
        {
            Assert.That(service.Stops, Is.EqualTo(1));
            Assert.That(service.LoopEnded, Is.True, "the stop ended the loop first");
        });
    }

    [Test]
    public async Task StopAsync_TheStopFails_EveryCallSeesTheFailure()
    {
        var service = new HeldStop();
        await service.StartAsync(CancellationToken.None);

        var first = service.StopAsync(CancellationToken.None);
        var second = service.StopAsync(CancellationToken.None);
        service.Fail(new InvalidOperationException("write failed"));

        Assert.Multiple(() =>
        {
            Assert.That(async () => await first, Throws.InvalidOperationException.With.Message.EqualTo("write failed"));
            Assert.That(async () => await second, Throws.InvalidOperationException.With.Message.EqualTo("write failed"));
        });
    }

    [Test]
    public async Task StopAsync_AfterTheStopEnded_ReturnsAtOnceWithoutStoppingAgain()
    {
        var service = new HeldStop();
        await service.StartAsync(CancellationToken.None);
        service.Finish();
        await service.StopAsync(CancellationToken.None);

        await service.StopAsync(CancellationToken.None);

        Assert.That(service.Stops, Is.EqualTo(1));
    }

    /// <summary>A loop that waits for its cancellation, and a stop that ends it and then waits until the test lets it finish.</summary>
    private sealed class HeldStop : DrainingBackgroundService
    {
        private readonly TaskCompletionSource _running = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _stopping = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _stops;

        public int Stops => Volatile.Read(ref _stops);

        public bool LoopEnded { get; private set; }

        /// <summary>Completes when the loop runs (the host starts it on the thread pool).</summary>
        public Task Running => _running.Task;

        /// <summary>Completes when the stop has ended the loop and waits to finish.</summary>
        public Task Stopping => _stopping.Task;

        public void Finish() => _finish.TrySetResult();

        public void Fail(Exception exception) => _finish.TrySetException(exception);

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            _running.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                LoopEnded = true;
            }
        }

        protected override async Task StopOnceAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _stops);
            await StopLoopAsync(cancellationToken);
            _stopping.TrySetResult();
            await _finish.Task;
        }
    }
}
