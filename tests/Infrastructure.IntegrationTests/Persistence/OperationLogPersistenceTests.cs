using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Operations;
using ProxmoxLxc.Domain.ApiKeys;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Operations;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Persistence;

/// <summary>The operation-log writer and recorder on every provider.</summary>
public class OperationLogPersistenceTests(DatabaseProvider provider) : ProviderMatrixFixture(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task StopAsync_QueuedRowsBeyondOneBatch_WritesEveryRow()
    {
        await using var host = await StartHostAsync();
        var buffer = host.Services.GetRequiredService<OperationLogBuffer>();
        var writer = host.HostedService<OperationLogWriter>();
        const int count = (OperationLogWriter.BatchSize * 2) + 37;

        await writer.StartAsync(CancellationToken.None);
        for (var i = 0; i < count; i++)
        {
            await buffer.EnqueueAsync(OperationLog.Begin($"r{i}", "GET", "/api/v1/keys", null, Now.AddTicks(i)));
        }

        await writer.StopAsync(CancellationToken.None);

        await using var db = host.NewContext();
        Assert.Multiple(async () =>
        {
            Assert.That(await db.OperationLogs.CountAsync(), Is.EqualTo(count));
            Assert.That(await db.OperationLogs.Select(o => o.RequestId).Distinct().CountAsync(), Is.EqualTo(count));
        });
    }

    [Test]
    public async Task StopAsync_CallStillInFlight_ItsRowQueuedAfterTheStopBeganIsWritten()
    {
        await using var host = await StartHostAsync();
        var buffer = host.Services.GetRequiredService<OperationLogBuffer>();
        var writer = host.HostedService<OperationLogWriter>();
        await writer.StartAsync(CancellationToken.None);

        // A call received before the stop that queues its row only after the stop began (a server that does not wait
        // for requests in flight, or one slower than the drain).
        buffer.CallReceived();
        var stopping = writer.StopAsync(CancellationToken.None);
        Assert.That(stopping.IsCompleted, Is.False, "the stop waits for the call in flight");
        await buffer.EnqueueAsync(OperationLog.Begin("late", "GET", "/api/v1/keys", null, Now));
        buffer.CallFinished();
        await stopping;

        await using var db = host.NewContext();
        Assert.That(await db.OperationLogs.Select(o => o.RequestId).ToListAsync(), Is.EqualTo(new[] { "late" }));
    }

    [Test]
    public async Task StopAsync_CalledAgainWhileTheFirstStopStillWrites_ReturnsOnlyOnceTheRowsAreWritten()
    {
        // The test host stops the service twice at once (WebApplicationFactory, and the entry point's RunAsync when the
        // application begins stopping). The first call takes the queued row and is held in its write; the second found
        // the queue empty and, before this was fixed, returned at once — its caller then read the log without that row.
        await using var host = await StartHostAsync();
        var buffer = new OperationLogBuffer();
        var database = new HeldDbContextFactory(host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>());
        var writer = new OperationLogWriter(buffer, database, NullLogger<OperationLogWriter>.Instance);
        await buffer.EnqueueAsync(OperationLog.Begin("last", "GET", "/api/v1/keys", null, Now));

        var first = writer.StopAsync(CancellationToken.None);
        await database.Entered;
        var second = writer.StopAsync(CancellationToken.None);
        Assert.That(second.IsCompleted, Is.False, "the second stop waits for the first one's write");

        database.Release();
        await second;
        await using (var db = host.NewContext())
        {
            Assert.That(await db.OperationLogs.Select(o => o.RequestId).ToListAsync(), Is.EqualTo(new[] { "last" }));
        }

        await first;
    }

    [Test]
    public async Task WhenCallsFinishedAsync_CallNeverFinishes_GivesUpAfterTheBound()
    {
        await using var host = await StartHostAsync();
        var buffer = host.Services.GetRequiredService<OperationLogBuffer>();
        buffer.CallReceived();

        var finished = await buffer.WhenCallsFinishedAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(finished, Is.False);
            Assert.That(buffer.OpenCalls, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task StopAsync_RowsQueuedBeforeStart_AreDrained()
    {
        await using var host = await StartHostAsync();
        var buffer = host.Services.GetRequiredService<OperationLogBuffer>();
        for (var i = 0; i < 10; i++)
        {
            await buffer.EnqueueAsync(OperationLog.Begin($"r{i}", "GET", "/api/v1/keys", null, Now));
        }

        var writer = host.HostedService<OperationLogWriter>();
        await writer.StartAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);

        await using var db = host.NewContext();
        Assert.That(await db.OperationLogs.CountAsync(), Is.EqualTo(10));
    }

    [Test]
    public async Task EndAsync_ReadCall_QueuesTheRowInsteadOfWriting()
    {
        var caller = new CallerIdentity("reader000001", "reader", Scopes.Expand([Scopes.ContainersRead]), KeyRestriction.None);
        await using var host = await StartHostAsync(caller, new ManualTimeProvider(Now));
        await using var scope = host.Services.CreateAsyncScope();
        var recorder = scope.ServiceProvider.GetRequiredService<IOperationRecorder>();

        recorder.Describe("ListThings", isMutating: false, "{}", null);
        recorder.Completed();
        await recorder.EndAsync(new CallEnd(200, OperationOutcome.Succeeded));

        var buffer = host.Services.GetRequiredService<OperationLogBuffer>();
        await using var db = host.NewContext();
        Assert.Multiple(async () =>
        {
            Assert.That(await db.OperationLogs.CountAsync(), Is.Zero);
            Assert.That(buffer.Reader.TryRead(out var queued), Is.True);
            Assert.That(queued!.HttpStatus, Is.EqualTo(200));
            Assert.That(queued.Outcome, Is.EqualTo(OperationOutcome.Succeeded));
            Assert.That(queued.KeyId, Is.EqualTo("reader000001"));
        });
    }

    [Test]
    public async Task EndAsync_PersistedCommand_UpdatesTheSameRow()
    {
        await using var host = await StartHostAsync(time: new ManualTimeProvider(Now));
        await using var scope = host.Services.CreateAsyncScope();
        var recorder = scope.ServiceProvider.GetRequiredService<IOperationRecorder>();
        recorder.Describe("DoThing", isMutating: true, "{}", 101);

        await recorder.BeginAsync();
        await recorder.TargetAsync(101, "pve1"); // the first write: the target, before anything is dispatched
        await using (var db = host.NewContext())
        {
            var first = await db.OperationLogs.SingleAsync();
            Assert.That(first.Outcome, Is.EqualTo(OperationOutcome.Running));
            Assert.That(first.Node, Is.EqualTo("pve1"));
        }

        recorder.Rejected("conflict", "busy");
        await recorder.EndAsync(new CallEnd(409, OperationOutcome.Rejected, "conflict", "HTTP 409"));
        await recorder.EndAsync(new CallEnd(500, OperationOutcome.Failed, "internal_error", "HTTP 500"));

        await using var check = host.NewContext();
        var row = await check.OperationLogs.SingleAsync();
        Assert.Multiple(() =>
        {
            Assert.That(row.Id, Is.EqualTo(recorder.Current.Id));
            Assert.That(row.ErrorCode, Is.EqualTo("conflict"));
            Assert.That(row.Outcome, Is.EqualTo(OperationOutcome.Rejected));
            Assert.That(row.HttpStatus, Is.EqualTo(409));
            Assert.That(row.VmId, Is.EqualTo(101));
            Assert.That(row.Method, Is.EqualTo("CLI"));
        });
    }

    [TestCase(401, OperationOutcome.Rejected, "unauthenticated")]
    [TestCase(404, OperationOutcome.Rejected, "not_found")]
    // A 503 that never reached a handler cannot come from Proxmox (only handlers call it): it is the service's own.
    [TestCase(503, OperationOutcome.Failed, "service_unavailable")]
    public async Task EndAsync_CallThatNeverReachedAHandler_OutcomeFollowsTheChannel(int status, OperationOutcome outcome, string code)
    {
        await using var host = await StartHostAsync(time: new ManualTimeProvider(Now));
        await using var scope = host.Services.CreateAsyncScope();
        var recorder = scope.ServiceProvider.GetRequiredService<IOperationRecorder>();

        await recorder.EndAsync(new CallEnd(status, outcome, code, $"HTTP {status}"));

        host.Services.GetRequiredService<OperationLogBuffer>().Reader.TryRead(out var queued);
        Assert.Multiple(() =>
        {
            Assert.That(queued, Is.Not.Null);
            Assert.That(queued!.Outcome, Is.EqualTo(outcome));
            Assert.That(queued.ErrorCode, Is.EqualTo(code));
            Assert.That(queued.HttpStatus, Is.EqualTo(status));
        });
    }
}

/// <summary>Hands out the real contexts, but the first asynchronous request waits until the test releases it.</summary>
internal sealed class HeldDbContextFactory(IDbContextFactory<AppDbContext> inner) : IDbContextFactory<AppDbContext>
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first asynchronous request arrived (and is held).</summary>
    public Task Entered => _entered.Task;

    public void Release() => _released.TrySetResult();

    public AppDbContext CreateDbContext() => inner.CreateDbContext();

    public async Task<AppDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
    {
        _entered.TrySetResult();
        await _released.Task.WaitAsync(cancellationToken);
        return await inner.CreateDbContextAsync(cancellationToken);
    }
}
