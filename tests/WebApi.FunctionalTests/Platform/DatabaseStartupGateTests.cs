using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.WebApi.ErrorHandling;
using ProxmoxLxc.WebApi.Hosting;

namespace ProxmoxLxc.WebApi.FunctionalTests.Platform;

/// <summary>
/// Requests that reach the web server while the database is still being migrated and seeded wait for it, except
/// liveness; after the bound, or when the database's start-up failed, they get a 503 problem and never reach the rest of
/// the pipeline.
/// </summary>
public sealed class DatabaseStartupGateTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [TestCase("/api/v1/keys")]
    [TestCase("/health/ready")]
    [TestCase("/metrics")]
    public async Task Request_WhileTheDatabaseIsPrepared_WaitsThenGoesOn(string path)
    {
        var startup = new FakeStartup();
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = Gate(startup, _ => { reached.TrySetResult(); return Task.CompletedTask; });
        var context = Context(path);

        var passing = gate.InvokeAsync(context);
        Assert.Multiple(() =>
        {
            Assert.That(passing.IsCompleted, Is.False, "the request waits");
            Assert.That(reached.Task.IsCompleted, Is.False, "nothing behind the gate ran");
        });

        startup.Finish(ready: true);
        await passing.WaitAsync(Patience);
        Assert.That(reached.Task.IsCompleted, Is.True);
    }

    [Test]
    public async Task Liveness_WhileTheDatabaseIsPrepared_GoesOnAtOnce()
    {
        var ran = false;
        var gate = Gate(new FakeStartup(), _ => { ran = true; return Task.CompletedTask; });

        await gate.InvokeAsync(Context(HealthEndpoints.LivePath)).WaitAsync(Patience);

        Assert.That(ran, Is.True);
    }

    [Test]
    public async Task Request_TheDatabaseStartupFailed_Is503ProblemAndGoesNoFurther()
    {
        var startup = new FakeStartup();
        var ran = false;
        var gate = Gate(startup, _ => { ran = true; return Task.CompletedTask; });
        var context = Context("/api/v1/containers");
        var body = new MemoryStream();
        context.Response.Body = body;

        var passing = gate.InvokeAsync(context);
        startup.Finish(ready: false);
        await passing.WaitAsync(Patience);

        using var problem = JsonDocument.Parse(body.ToArray());
        Assert.Multiple(() =>
        {
            Assert.That(ran, Is.False);
            Assert.That(context.Response.StatusCode, Is.EqualTo(StatusCodes.Status503ServiceUnavailable));
            Assert.That(context.Response.ContentType, Does.StartWith("application/problem+json"));
            Assert.That(problem.RootElement.GetProperty("code").GetString(), Is.EqualTo("service_unavailable"));
            Assert.That(problem.RootElement.GetProperty("detail").GetString(), Does.Contain("database"));
        });
    }

    [Test]
    public async Task Request_StillWaitingAfterTheBound_Is503WithRetryAfterAndGoesNoFurther()
    {
        var clock = new ManualTimers();
        var ran = false;
        var gate = Gate(new FakeStartup(), _ => { ran = true; return Task.CompletedTask; }, clock);
        var context = Context("/api/v1/containers");
        var body = new MemoryStream();
        context.Response.Body = body;

        var passing = gate.InvokeAsync(context);
        Assert.That(passing.IsCompleted, Is.False, "the request waits up to the bound");
        clock.Fire(DatabaseStartupGate.MaxWait);
        await passing.WaitAsync(Patience);

        using var problem = JsonDocument.Parse(body.ToArray());
        Assert.Multiple(() =>
        {
            Assert.That(ran, Is.False);
            Assert.That(context.Response.StatusCode, Is.EqualTo(StatusCodes.Status503ServiceUnavailable));
            Assert.That(context.Response.Headers.RetryAfter.ToString(), Is.EqualTo("5"));
            Assert.That(problem.RootElement.GetProperty("code").GetString(), Is.EqualTo("service_unavailable"));
            Assert.That(problem.RootElement.GetProperty("detail").GetString(), Does.Contain("starting"));
        });
    }

    [Test]
    public async Task Request_ClientLeavesWhileWaiting_EndsWithoutGoingOnOrThrowing()
    {
        var ran = false;
        var gate = Gate(new FakeStartup(), _ => { ran = true; return Task.CompletedTask; });
        using var aborted = new CancellationTokenSource();
        var context = Context("/api/v1/keys");
        context.RequestAborted = aborted.Token;

        var passing = gate.InvokeAsync(context);
        await aborted.CancelAsync();
        await passing.WaitAsync(Patience);

        Assert.Multiple(() =>
        {
            Assert.That(passing.IsCompletedSuccessfully, Is.True);
            Assert.That(ran, Is.False);
        });
    }

    [Test]
    public async Task Request_DatabaseReady_GoesOnWithoutWaiting()
    {
        var startup = new Mock<IDatabaseStartup>(MockBehavior.Strict);
        startup.SetupGet(s => s.IsReady).Returns(true);
        var ran = false;
        var gate = Gate(startup.Object, _ => { ran = true; return Task.CompletedTask; });

        var passing = gate.InvokeAsync(Context("/api/v1/keys"));

        Assert.Multiple(() =>
        {
            Assert.That(passing.IsCompletedSuccessfully, Is.True, "no wait once ready");
            Assert.That(ran, Is.True);
        });
        startup.Verify(s => s.WaitAsync(It.IsAny<CancellationToken>()), Times.Never);
        await passing;
    }

    /// <summary>Problem details as the service configures them (AddWebApi).</summary>
    private static readonly ServiceProvider Services = new ServiceCollection().AddLogging()
        .AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDetailsSetup.Customize).BuildServiceProvider();

    [OneTimeTearDown]
    public static void DisposeServices() => Services.Dispose();

    private static DatabaseStartupGate Gate(IDatabaseStartup startup, RequestDelegate next, TimeProvider? time = null) =>
        new(next, startup, Services.GetRequiredService<IProblemDetailsService>(), time ?? TimeProvider.System);

    private static DefaultHttpContext Context(string path)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = path;
        return context;
    }

    /// <summary>A clock whose timers fire only when told: <see cref="Fire"/> fires those due within the given time.</summary>
    private sealed class ManualTimers : TimeProvider
    {
        private readonly List<(TimeSpan Due, TimerCallback Callback, object? State)> _timers = [];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (_timers)
            {
                _timers.Add((dueTime, callback, state));
            }

            return new Unused();
        }

        public void Fire(TimeSpan elapsed)
        {
            List<(TimeSpan Due, TimerCallback Callback, object? State)> due;
            lock (_timers)
            {
                due = _timers.Where(t => t.Due <= elapsed).ToList();
            }

            Assert.That(due, Is.Not.Empty, "a timer was set for the bound");
            foreach (var timer in due)
            {
                timer.Callback(timer.State);
            }
        }

        private sealed class Unused : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    private sealed class FakeStartup : IDatabaseStartup
    {
        private readonly TaskCompletionSource<bool> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool IsReady => _done.Task is { IsCompletedSuccessfully: true, Result: true };

        public Task<bool> WaitAsync(CancellationToken cancellationToken) => _done.Task.WaitAsync(cancellationToken);

        public void Finish(bool ready) => _done.SetResult(ready);
    }
}
