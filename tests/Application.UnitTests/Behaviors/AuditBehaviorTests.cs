using System.Text.Json;
using Mediator;
using ProxmoxLxc.Application.Common.Auditing;
using ProxmoxLxc.Application.Common.Behaviors;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Application.Operations;
using ProxmoxLxc.Application.UnitTests.Common;
using ProxmoxLxc.Domain.ApiKeys;
using ProxmoxLxc.Domain.Operations;

namespace ProxmoxLxc.Application.UnitTests.Behaviors;

public class AuditBehaviorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private ManualTimeProvider _time = null!;
    private List<string> _events = null!;
    private RecordingOperationLogStore _store = null!;
    private IOperationRecorder _recorder = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new ManualTimeProvider(Start);
        _events = [];
        _store = new RecordingOperationLogStore(row => _events.Add($"save:{row.Outcome}"));
        _recorder = null!;
    }

    /// <summary>The row as the recorder leaves it once the call has ended.</summary>
    private OperationLog _entry => _store.Row ?? throw new InvalidOperationException("The call has not ended.");

    private AuditBehavior<TMessage, string> Behavior<TMessage>(CallerIdentity? caller = null)
        where TMessage : Application.Common.Messaging.IRequireScope, IMessage
    {
        _recorder = _store.NewRecorder(TestCallers.Current(caller ?? TestCallers.With(Scopes.Admin)), _time);
        _recorder.Received();
        return new(_recorder);
    }

    /// <summary>What the channel does once the call has been answered (the HTTP middleware, the command line).</summary>
    private Task EndCallAsync() => _recorder.EndAsync(CallEnd.Unanswered);

    [Test]
    public async Task Handle_CommandSucceeds_ChecksTheDatabaseBeforeTheHandlerAndSavesOnceWhenTheCallEnds()
    {
        var result = await Behavior<TestCommand>().Handle(new TestCommand("web"), (_, _) =>
        {
            _events.Add("handler");
            _time.Now = Start.AddMilliseconds(40);
            return ValueTask.FromResult("done");
        }, CancellationToken.None);
        var beforeEnd = _events.ToList();
        _time.Now = Start.AddMilliseconds(90);
        await EndCallAsync();

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo("done"));
            Assert.That(beforeEnd, Is.EqualTo(new[] { "handler" }), "a call that never targets a container is written when it ends");
            Assert.That(_store.Probes, Is.EqualTo(1), "the database was checked before the handler ran");
            Assert.That(_events, Is.EqualTo(new[] { "handler", "save:Succeeded" }));
            Assert.That(_entry.Outcome, Is.EqualTo(OperationOutcome.Succeeded));
            Assert.That(_entry.IsMutating, Is.True);
            Assert.That(_entry.StartedAt, Is.EqualTo(Start));
            Assert.That(_entry.DurationMs, Is.EqualTo(40));
            Assert.That(_entry.Action, Is.EqualTo("Test"));
            Assert.That(_entry.VmId, Is.EqualTo(101));
            Assert.That(_entry.KeyId, Is.EqualTo("key000000001"));
            Assert.That(_entry.KeyName, Is.EqualTo("test key"));
        });
    }

    [Test]
    public async Task Handle_QuerySucceeds_RecordsSuccessWithoutWriting()
    {
        await Behavior<TestQuery>().Handle(new TestQuery("x"), (_, _) => ValueTask.FromResult("ok"), CancellationToken.None);
        await EndCallAsync();

        Assert.Multiple(() =>
        {
            Assert.That(_store.Writes, Is.Empty);
            Assert.That(_store.Queued, Is.True);
            Assert.That(_entry.Outcome, Is.EqualTo(OperationOutcome.Succeeded));
            Assert.That(_entry.IsMutating, Is.False);
            Assert.That(_entry.Action, Is.EqualTo("Test"));
            Assert.That(_entry.Parameters, Is.EqualTo("""{"filter":"x"}"""));
        });
    }

    [Test]
    public async Task Handle_HandlerDenies_RecordsRejectedWithCodeAndSavesAfter()
    {
        var ex = Assert.ThrowsAsync<ForbiddenException>(async () =>
            await Behavior<TestCommand>().Handle(new TestCommand("web"), (_, _) =>
            {
                _events.Add("handler");
                throw new ForbiddenException(Scopes.ContainersWrite);
            }, CancellationToken.None));

        await EndCallAsync();

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo("insufficient_scope"));
            Assert.That(_entry.Outcome, Is.EqualTo(OperationOutcome.Rejected));
            Assert.That(_entry.ErrorCode, Is.EqualTo("insufficient_scope"));
            Assert.That(_entry.IsCompleted, Is.True);
            Assert.That(_events, Is.EqualTo(new[] { "handler", "save:Rejected" }));
        });
    }

    [Test]
    public async Task Handle_ValidationFails_RecordsRejectedValidationFailed()
    {
        Assert.ThrowsAsync<RequestValidationException>(async () =>
            await Behavior<TestQuery>().Handle(new TestQuery("x"),
                (_, _) => throw new RequestValidationException("filter", "bad", 400), CancellationToken.None));

        await EndCallAsync();

        Assert.Multiple(() =>
        {
            Assert.That(_entry.Outcome, Is.EqualTo(OperationOutcome.Rejected));
            Assert.That(_entry.ErrorCode, Is.EqualTo("validation_failed"));
        });
    }

    [Test]
    public async Task Handle_UpstreamFailure_RecordsFailedWithCode()
    {
        Assert.ThrowsAsync<ProxmoxUnavailableException>(async () =>
            await Behavior<TestCommand>().Handle(new TestCommand("web"),
                (_, _) => throw new ProxmoxUnavailableException("down"), CancellationToken.None));

        await EndCallAsync();

        Assert.Multiple(() =>
        {
            Assert.That(_entry.Outcome, Is.EqualTo(OperationOutcome.Failed));
            Assert.That(_entry.ErrorCode, Is.EqualTo("proxmox_unavailable"));
            Assert.That(_events, Is.EqualTo(new[] { "save:Failed" }));
        });
    }

    [Test]
    public async Task Handle_UnexpectedException_RecordsInternalErrorWithoutItsMessage()
    {
        Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await Behavior<TestCommand>().Handle(new TestCommand("web"),
                (_, _) => throw new InvalidOperationException("SELECT * FROM secrets"), CancellationToken.None));

        await EndCallAsync();

        Assert.Multiple(() =>
        {
            Assert.That(_entry.Outcome, Is.EqualTo(OperationOutcome.Failed));
            Assert.That(_entry.ErrorCode, Is.EqualTo("internal_error"));
            Assert.That(_entry.Error, Does.Not.Contain("SELECT"));
            Assert.That(_events, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Handle_CallerCancels_RecordsCancelled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAsync<OperationCanceledException>(async () =>
            await Behavior<TestCommand>().Handle(new TestCommand("web"),
                (_, ct) => throw new OperationCanceledException(ct), cts.Token));

        await EndCallAsync();

        Assert.Multiple(() =>
        {
            Assert.That(_entry.Outcome, Is.EqualTo(OperationOutcome.Failed));
            Assert.That(_entry.ErrorCode, Is.EqualTo("cancelled"));
            Assert.That(_events.Last(), Is.EqualTo("save:Failed"));
        });
    }

    [Test]
    public async Task Handle_HandlerAttachesTask_LeavesTheRowRunning()
    {
        await Behavior<TestCommand>().Handle(new TestCommand("web"), (_, _) =>
        {
            _recorder.TaskStarted(new ProxmoxTask("UPID:pve1:00001", "pve1", 1, 1, Start, "vzstart", "101", "root@pam"));
            return ValueTask.FromResult("started");
        }, CancellationToken.None);
        await EndCallAsync();

        Assert.Multiple(() =>
        {
            Assert.That(_entry.Outcome, Is.EqualTo(OperationOutcome.Running));
            Assert.That(_entry.IsCompleted, Is.False);
            Assert.That(_events, Is.EqualTo(new[] { "save:Running" }));
            Assert.That(_store.Followed, Is.EqualTo(new[] { _entry.Id }));
        });
    }

    [Test]
    public async Task Handle_CommandWithSecrets_StoresRedactedParameters()
    {
        var command = new TestCommand("web", "S3cr3t-Value-123",
            [new TestNetwork("eth0", "10.0.0.5/24", "Nested-S3cr3t-456")]);

        await Behavior<TestCommand>().Handle(command, (_, _) => ValueTask.FromResult("ok"), CancellationToken.None);
        await EndCallAsync();

        using var parameters = JsonDocument.Parse(_entry.Parameters!);
        var root = parameters.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(_entry.Parameters, Does.Not.Contain("S3cr3t"));
            Assert.That(root.GetProperty("password").GetString(), Is.EqualTo(AuditParameters.Redacted));
            Assert.That(root.GetProperty("networks")[0].GetProperty("password").GetString(), Is.EqualTo(AuditParameters.Redacted));
            Assert.That(root.GetProperty("networks")[0].GetProperty("ipv4").GetString(), Is.EqualTo("10.0.0.5/24"));
            Assert.That(root.GetProperty("name").GetString(), Is.EqualTo("web"));
        });
    }

    [Test]
    public async Task Handle_NoCaller_RecordsAnonymousRow()
    {
        _recorder = _store.NewRecorder(TestCallers.Current(null), _time);
        var behavior = new AuditBehavior<TestQuery, string>(_recorder);

        await behavior.Handle(new TestQuery("x"), (_, _) => ValueTask.FromResult("ok"), CancellationToken.None);
        await EndCallAsync();

        Assert.That(_entry.KeyId, Is.Null);
    }
}

public class AuditBehaviorFaultTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task EndAsync_CallUnderClaimEndedBeforeTargeting_RowWrittenWithoutLinkingTheClaim()
    {
        var store = new RecordingOperationLogStore();
        var recorder = store.NewRecorder(TestCallers.Current(TestCallers.With(Scopes.Admin)), new ManualTimeProvider(Start));
        recorder.Received();
        recorder.Describe("CreateContainer", isMutating: true, "{}", null);
        recorder.UnderClaim(42);
        await recorder.BeginAsync();
        recorder.Rejected("forbidden", "Pool 'dev' is outside this key's restriction.");

        await recorder.EndAsync(new CallEnd(403, OperationOutcome.Rejected, "forbidden", "HTTP 403"));

        Assert.That(store.InsertClaims, Is.EqualTo(new long?[] { null }), "nothing was dispatched: the (released) claim is not this row's");
    }

    [Test]
    public async Task EndAsync_CallUnderClaimSucceededWithoutTargeting_RowLinkedToTheClaim()
    {
        var store = new RecordingOperationLogStore();
        var recorder = store.NewRecorder(TestCallers.Current(TestCallers.With(Scopes.Admin)), new ManualTimeProvider(Start));
        recorder.Received();
        recorder.Describe("CreateApiKey", isMutating: true, "{}", null);
        recorder.UnderClaim(42);
        await recorder.BeginAsync();
        recorder.Completed();

        await recorder.EndAsync(new CallEnd(201, OperationOutcome.Succeeded));

        Assert.That(store.InsertClaims, Is.EqualTo(new long?[] { 42 }), "a retry with the key replays this call");
    }

    [Test]
    public async Task EndAsync_RowWriteFails_CallStillCountedAsFinished()
    {
        var store = new RecordingOperationLogStore();
        var recorder = store.NewRecorder(TestCallers.Current(TestCallers.With(Scopes.Admin)), new ManualTimeProvider(Start));
        recorder.Received();
        recorder.Describe("DoThing", isMutating: true, "{}", null);
        await recorder.BeginAsync();
        var openDuringCall = store.OpenCalls;
        store.FailWritesWith = new InvalidOperationException("boom");

        Assert.ThrowsAsync<InvalidOperationException>(async () => await recorder.EndAsync(new CallEnd(200, OperationOutcome.Succeeded)));
        await recorder.EndAsync(new CallEnd(200, OperationOutcome.Succeeded)); // a second end changes nothing

        Assert.Multiple(() =>
        {
            Assert.That(openDuringCall, Is.EqualTo(1));
            Assert.That(store.OpenCalls, Is.Zero, "a graceful stop never waits for a call that has ended");
        });
    }

    [Test]
    public async Task Handle_DatabaseUnavailableAtBegin_NeverRunsTheHandlerAndQueuesTheFailedRow()
    {
        var store = new RecordingOperationLogStore { FailWritesWith = new DatabaseUnavailableException("locked") };
        var recorder = store.NewRecorder(TestCallers.Current(TestCallers.With(Scopes.Admin)), new ManualTimeProvider(Start));
        recorder.Received();
        var behavior = new AuditBehavior<TestCommand, string>(recorder);
        var handlerRan = false;

        var ex = Assert.ThrowsAsync<DatabaseUnavailableException>(async () => await behavior.Handle(new TestCommand("web"), (_, _) =>
        {
            handlerRan = true;
            return ValueTask.FromResult("done");
        }, CancellationToken.None));
        store.FailWritesWith = null;
        await recorder.EndAsync(new CallEnd(503, OperationOutcome.Failed, "service_unavailable", "HTTP 503"));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(503));
            Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(handlerRan, Is.False);
            Assert.That(store.Queued, Is.True, "the row is written by the batch writer once the database is back");
            Assert.That(store.Row!.Outcome, Is.EqualTo(OperationOutcome.Failed));
            Assert.That(store.Row.ErrorCode, Is.EqualTo("database_unavailable"));
        });
    }

    [Test]
    public async Task TargetAsync_AfterBegin_SavesTheTargetDurablyOnceBeforeDispatch()
    {
        var store = new RecordingOperationLogStore();
        var recorder = store.NewRecorder(TestCallers.Current(TestCallers.With(Scopes.Admin)), new ManualTimeProvider(Start));
        recorder.Received();
        recorder.Describe("StartContainer", isMutating: true, parameters: null, vmId: 101);
        await recorder.BeginAsync();

        await recorder.TargetAsync(101, "pve2");
        var afterTarget = store.Writes.Count;
        var probes = store.Probes;
        await recorder.TargetAsync(101, "pve2");

        Assert.Multiple(() =>
        {
            Assert.That(probes, Is.EqualTo(1), "the database was checked when the call began");
            Assert.That(afterTarget, Is.EqualTo(1), "the first write carries the container and its node, before dispatch");
            Assert.That(store.Writes, Has.Count.EqualTo(1), "an unchanged target is not written again");
            Assert.That(store.Row!.Node, Is.EqualTo("pve2"));
            Assert.That(store.Row.VmId, Is.EqualTo(101));
        });
    }

    [Test]
    public async Task TargetAsync_ReadCall_WritesNothing()
    {
        var store = new RecordingOperationLogStore();
        var recorder = store.NewRecorder(TestCallers.Current(TestCallers.With(Scopes.Admin)), new ManualTimeProvider(Start));
        recorder.Received();
        recorder.Describe("GetContainer", isMutating: false, parameters: null, vmId: 101);

        await recorder.TargetAsync(101, "pve2");

        Assert.That(store.Writes, Is.Empty);
    }

    [Test]
    public async Task EndAsync_DatabaseGoneAfterDispatch_LeavesTheRowToTheReconcilerWithoutThrowing()
    {
        var store = new RecordingOperationLogStore();
        var recorder = store.NewRecorder(TestCallers.Current(TestCallers.With(Scopes.Admin)), new ManualTimeProvider(Start));
        recorder.Received();
        recorder.Describe("StartContainer", isMutating: true, parameters: null, vmId: 101);
        await recorder.BeginAsync();
        await recorder.TargetAsync(101, "pve2");
        store.FailWritesWith = new DatabaseUnavailableException("down");

        await recorder.EndAsync(new CallEnd(202, OperationOutcome.Succeeded));

        Assert.Multiple(() =>
        {
            Assert.That(store.Writes, Has.Count.EqualTo(1));
            Assert.That(store.Ended, Has.Count.EqualTo(1), "the call gives the row up to the background worker");
            Assert.That(store.Followed, Is.Empty);
        });
    }

    [Test]
    public async Task Handle_ProxmoxAnswerLost_LeavesTheOperationRunningForTheReconciler()
    {
        var store = new RecordingOperationLogStore();
        var recorder = store.NewRecorder(TestCallers.Current(TestCallers.With(Scopes.Admin)), new ManualTimeProvider(Start));
        recorder.Received();
        var behavior = new AuditBehavior<TestCommand, string>(recorder);

        Assert.ThrowsAsync<ProxmoxAnswerLostException>(async () => await behavior.Handle(new TestCommand("web"),
            (_, _) => throw new ProxmoxAnswerLostException(timedOut: true), CancellationToken.None));
        await recorder.EndAsync(new CallEnd(504, OperationOutcome.Failed, "proxmox_timeout", "HTTP 504"));

        Assert.Multiple(() =>
        {
            Assert.That(store.Row!.Outcome, Is.EqualTo(OperationOutcome.Running), "settled later from the task list, never re-sent");
            Assert.That(store.Row.HttpStatus, Is.EqualTo(504));
            Assert.That(store.Row.CompletedAt, Is.Null);
            Assert.That(store.Ended, Has.Count.EqualTo(1));
        });
    }
}
