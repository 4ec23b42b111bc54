using ProxmoxLxc.Domain.Operations;

namespace ProxmoxLxc.Domain.UnitTests.Operations;

public class OperationLogTests
{
    private static readonly DateTimeOffset Requested = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static OperationLog NewEntry() => OperationLog.Begin("req-1", "POST", "/api/v1/keys", "127.0.0.1", Requested);

    [Test]
    public void Begin_NewEntry_IsRunningAndNotCompleted()
    {
        var entry = NewEntry();

        Assert.Multiple(() =>
        {
            Assert.That(entry.Outcome, Is.EqualTo(OperationOutcome.Running));
            Assert.That(entry.IsCompleted, Is.False);
            Assert.That(entry.Action, Is.EqualTo("http.request"));
            Assert.That(entry.RequestId, Is.EqualTo("req-1"));
        });
    }

    [Test]
    public void Reject_AfterDelay_RecordsCodeAndDuration()
    {
        var entry = NewEntry();

        entry.Reject(Requested.AddMilliseconds(250), "insufficient_scope", "no");

        Assert.Multiple(() =>
        {
            Assert.That(entry.Outcome, Is.EqualTo(OperationOutcome.Rejected));
            Assert.That(entry.ErrorCode, Is.EqualTo("insufficient_scope"));
            Assert.That(entry.DurationMs, Is.EqualTo(250));
            Assert.That(entry.IsCompleted, Is.True);
        });
    }

    [Test]
    public void Fail_WithExitStatus_RecordsFailure()
    {
        var entry = NewEntry();

        entry.Fail(Requested.AddSeconds(2), "proxmox_error", "boom", "ERROR: boom");

        Assert.Multiple(() =>
        {
            Assert.That(entry.Outcome, Is.EqualTo(OperationOutcome.Failed));
            Assert.That(entry.ExitStatus, Is.EqualTo("ERROR: boom"));
            Assert.That(entry.DurationMs, Is.EqualTo(2000));
        });
    }

    [Test]
    public void AttachTask_AfterStart_StaysRunningWithTask()
    {
        var entry = NewEntry();
        entry.MarkStarted(Requested);

        entry.AttachTask("UPID:pve1:0001", "pve1");

        Assert.Multiple(() =>
        {
            Assert.That(entry.Outcome, Is.EqualTo(OperationOutcome.Running));
            Assert.That(entry.TaskId, Is.EqualTo("UPID:pve1:0001"));
            Assert.That(entry.Node, Is.EqualTo("pve1"));
            Assert.That(entry.IsCompleted, Is.False);
        });
    }

    [Test]
    public void Describe_WithoutTarget_KeepsEarlierTarget()
    {
        var entry = NewEntry();
        entry.SetTarget(101, "pve1");

        entry.Describe("GetContainer", isMutating: false, parameters: "{}", vmId: null, node: null);

        Assert.Multiple(() =>
        {
            Assert.That(entry.VmId, Is.EqualTo(101));
            Assert.That(entry.Node, Is.EqualTo("pve1"));
            Assert.That(entry.Action, Is.EqualTo("GetContainer"));
        });
    }

    [Test]
    public void Fail_AfterCompletion_ThrowsAndKeepsTheFirstOutcome()
    {
        var entry = NewEntry();
        entry.Succeed(Requested.AddMilliseconds(10), "OK");

        Assert.Multiple(() =>
        {
            Assert.Throws<InvalidOperationException>(() => entry.Fail(Requested.AddSeconds(1), "task_failed", "late"));
            Assert.Throws<InvalidOperationException>(() => entry.AttachTask("UPID:pve1:00001", "pve1"));
            Assert.That(entry.Outcome, Is.EqualTo(OperationOutcome.Succeeded));
            Assert.That(entry.ErrorCode, Is.Null);
            Assert.That(entry.DurationMs, Is.EqualTo(10));
        });
    }
}
