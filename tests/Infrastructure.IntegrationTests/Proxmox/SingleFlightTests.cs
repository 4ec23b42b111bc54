using ProxmoxLxc.Infrastructure.Proxmox;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Proxmox;

[TestFixture]
public sealed class SingleFlightTests
{
    /// <summary>A call that finishes when the test says so and records the token it was given.</summary>
    private sealed class GatedCall
    {
        private readonly TaskCompletionSource<int> _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Starts { get; private set; }
        public CancellationToken Token { get; private set; }

        public async Task<int> RunAsync(CancellationToken cancellationToken)
        {
            Starts++;
            Token = cancellationToken;
            await using var registration = cancellationToken.Register(() => _gate.TrySetCanceled(cancellationToken));
            return await _gate.Task;
        }

        public void Finish(int value) => _gate.TrySetResult(value);
    }

    [Test]
    public async Task RunAsync_ConcurrentIdenticalKeys_ShareOneCall()
    {
        var flights = new SingleFlight<int>();
        var call = new GatedCall();

        var first = flights.RunAsync("k", call.RunAsync, CancellationToken.None);
        var second = flights.RunAsync("k", call.RunAsync, CancellationToken.None);
        call.Finish(7);

        Assert.Multiple(async () =>
        {
            Assert.That(await first, Is.EqualTo(7));
            Assert.That(await second, Is.EqualTo(7));
            Assert.That(call.Starts, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task RunAsync_OneOfTwoCallersCancels_OtherGetsTheResultAndTheCallRuns()
    {
        var flights = new SingleFlight<int>();
        var call = new GatedCall();
        using var leaving = new CancellationTokenSource();

        var left = flights.RunAsync("k", call.RunAsync, leaving.Token);
        var staying = flights.RunAsync("k", call.RunAsync, CancellationToken.None);
        await leaving.CancelAsync();

        Assert.CatchAsync<OperationCanceledException>(async () => await left);
        Assert.That(call.Token.IsCancellationRequested, Is.False, "the shared call outlives one caller");
        call.Finish(3);
        Assert.That(await staying, Is.EqualTo(3));
    }

    [Test]
    public async Task RunAsync_EveryCallerCancels_SharedCallCancelledAndNextCallerStartsAFreshOne()
    {
        var flights = new SingleFlight<int>();
        var abandoned = new GatedCall();
        using var one = new CancellationTokenSource();
        using var two = new CancellationTokenSource();

        var a = flights.RunAsync("k", abandoned.RunAsync, one.Token);
        var b = flights.RunAsync("k", abandoned.RunAsync, two.Token);
        await one.CancelAsync();
        await two.CancelAsync();

        Assert.CatchAsync<OperationCanceledException>(async () => await a);
        Assert.CatchAsync<OperationCanceledException>(async () => await b);
        Assert.That(abandoned.Token.IsCancellationRequested, Is.True, "no caller waits any more: the call is given up");

        var fresh = new GatedCall();
        var c = flights.RunAsync("k", fresh.RunAsync, CancellationToken.None);
        fresh.Finish(9);
        Assert.Multiple(async () =>
        {
            Assert.That(await c, Is.EqualTo(9));
            Assert.That(fresh.Starts, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task RunAsync_CallFails_EveryCallerSeesTheFailureAndTheKeyIsFree()
    {
        var flights = new SingleFlight<int>();
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        var a = flights.RunAsync("k", _ => gate.Task, CancellationToken.None);
        var b = flights.RunAsync("k", _ => gate.Task, CancellationToken.None);
        gate.SetException(new InvalidOperationException("boom"));

        Assert.ThrowsAsync<InvalidOperationException>(async () => await a);
        Assert.ThrowsAsync<InvalidOperationException>(async () => await b);
        Assert.That(await flights.RunAsync("k", _ => Task.FromResult(5), CancellationToken.None), Is.EqualTo(5));
    }
}
