using ProxmoxLxc.Application.Events;
using ProxmoxLxc.Domain.Events;
using ProxmoxLxc.Domain.Operations;

namespace ProxmoxLxc.Application.UnitTests.Events;

public sealed class OperationEventsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void For_ReadCall_CausesNoEvent()
    {
        var row = Row("GetContainer", isMutating: false);
        row.Succeed(At);

        Assert.That(OperationEvents.For(row, before: null), Is.Empty);
    }

    [Test]
    public void For_FirstWriteAlreadyEnded_CausesOnlyTheEndEvent()
    {
        var row = Row("UpdateContainerConfig");
        row.Succeed(At);

        Assert.That(OperationEvents.For(row, before: null).Select(e => e.Type), Is.EqualTo(new[] { EventTypes.OperationSucceeded }));
    }

    [Test]
    public void For_RunningRowWrittenAgain_CausesNoEvent()
    {
        var row = Row("StartContainer");

        Assert.That(OperationEvents.For(row, OperationOutcome.Running), Is.Empty);
    }

    [Test]
    public void For_EndedRowWrittenAgain_CausesNoEvent()
    {
        var row = Row("StartContainer");
        row.Succeed(At);

        Assert.That(OperationEvents.For(row, OperationOutcome.Succeeded), Is.Empty);
    }

    [Test]
    public void For_SuspendSucceeded_CausesNoContainerState()
    {
        var row = Row("SuspendContainer");
        row.Succeed(At);

        Assert.That(OperationEvents.For(row, OperationOutcome.Running).Select(e => e.Type), Is.EqualTo(new[] { EventTypes.OperationSucceeded }));
    }

    [Test]
    public void For_ShutdownSucceeded_CausesRunningToStopped()
    {
        var row = Row("ShutdownContainer");
        row.Succeed(At);

        var events = OperationEvents.For(row, OperationOutcome.Running);

        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e.Type), Is.EqualTo(new[] { EventTypes.OperationSucceeded, EventTypes.ContainerState }));
            Assert.That(events[1].Data, Is.EqualTo("""{"vmid":150,"node":"pve1","status":"stopped","previousStatus":"running","source":"operation"}"""));
            Assert.That(events.Select(e => e.OccurredAt), Is.All.EqualTo(At));
        });
    }

    [Test]
    public void For_FailedStart_CausesFailedWithoutContainerState()
    {
        var row = Row("StartContainer");
        row.Fail(At, "task_failed", "boom");

        Assert.That(OperationEvents.For(row, OperationOutcome.Running).Select(e => e.Type), Is.EqualTo(new[] { EventTypes.OperationFailed }));
    }

    private static OperationLog Row(string action, bool isMutating = true)
    {
        var row = OperationLog.Begin("req-1", "POST", "/api/v1/containers/150/x", null, At.AddSeconds(-1));
        row.SetCaller("keyAAAAAAAAA", "k");
        row.Describe(action, isMutating, null, 150, "pve1");
        row.MarkStarted(At.AddSeconds(-1));
        return row;
    }
}
