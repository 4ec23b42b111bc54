using System.Net;
using ProxmoxLxc.Faults.Tests.Support;

namespace ProxmoxLxc.Faults.Tests;

/// <summary>
/// SIGKILL of the service at each phase of a mutating call, then a restart on the same database: the Operation reaches
/// its real final state, the container's state in Proxmox matches it, and Proxmox saw the action at most once.
/// </summary>
public class CrashRecoveryTests : FaultTestBase
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    protected override IReadOnlyDictionary<string, TimeSpan> TaskDurations =>
        new Dictionary<string, TimeSpan> { ["vzstart"] = TimeSpan.FromSeconds(4) };

    [Test]
    public async Task Start_KilledBeforeDispatch_FailsOutcomeUnknownAndNothingWasSent()
    {
        await Emulator.AddFaultAsync(new { kind = "latency", path = StatusPattern, method = "GET", latencyMs = 600_000, count = 1 });
        var call = StartInBackground();
        await WaitUntilFaultsUsedAsync(); // the service is checking the container's state: targeted, not yet dispatched

        await Service.KillAndRestartAsync();
        var operation = await Service.FinishedOperationAsync(VmId, "StartContainer", Settle);

        Assert.CatchAsync<HttpRequestException>(async () => await call);
        Assert.Multiple(async () =>
        {
            Assert.That(Text(operation, "status"), Is.EqualTo("failed"));
            Assert.That(Text(operation["error"], "code"), Is.EqualTo("outcome_unknown"));
            Assert.That(Text(operation["error"], "message"), Does.Contain("Container 101 is now stopped on node pve2"));
            Assert.That(Text(operation, "node"), Is.EqualTo(Node), "the node was recorded before the dispatch");
            Assert.That(operation["taskId"], Is.Null);
            Assert.That(await Emulator.ContainerStatusAsync(Node, VmId), Is.EqualTo("stopped"));
            Assert.That(await Emulator.CountAsync("POST", StartPath), Is.Zero);
        });
    }

    [Test]
    public async Task Start_KilledBetweenDispatchAndUpid_AttachesTheTaskAndSucceeds()
    {
        await Emulator.AddFaultAsync(new { kind = "reply-delay", path = StartPattern, method = "POST", latencyMs = 600_000, count = 1 });
        var call = StartInBackground();
        // Journaled once the work is done: Proxmox started the task, its answer (the UPID) is held back.
        await Poll.UntilAsync(async () => await Emulator.CountAsync("POST", StartPath) == 1, TimeSpan.FromSeconds(20), "the start to be carried out");

        await Service.KillAndRestartAsync();
        var operation = await Service.FinishedOperationAsync(VmId, "StartContainer", Settle);

        Assert.CatchAsync<HttpRequestException>(async () => await call);
        var task = (await Emulator.TasksAsync(Node, VmId, "vzstart")).Single();
        Assert.Multiple(async () =>
        {
            Assert.That(Text(operation, "status"), Is.EqualTo("succeeded"));
            Assert.That(Text(operation, "taskId"), Is.EqualTo(Text(task, "upid")));
            Assert.That(Text(operation, "exitStatus"), Is.EqualTo("OK"));
            Assert.That(await Emulator.ContainerStatusAsync(Node, VmId), Is.EqualTo("running"));
            Assert.That(await Emulator.CountAsync("POST", StartPath), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Start_KilledWhileTheTaskRuns_ResumesAndSucceeds()
    {
        var (status, body, _) = await ReadAsync(StartInBackground());
        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted));
        var running = (await Emulator.TasksAsync(Node, VmId, "vzstart")).Single();
        Assert.That(Text(running, "status"), Is.EqualTo("RUNNING"), "the kill happens while the task runs");

        await Service.KillAndRestartAsync();
        var operation = await Service.FinishedOperationAsync(VmId, "StartContainer", Settle);

        Assert.Multiple(async () =>
        {
            Assert.That(Text(operation, "status"), Is.EqualTo("succeeded"));
            Assert.That(Text(operation, "taskId"), Is.EqualTo(Text(body, "taskId")));
            Assert.That(await Emulator.ContainerStatusAsync(Node, VmId), Is.EqualTo("running"));
            Assert.That(await Emulator.CountAsync("POST", StartPath), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Start_KilledWhileTheOperationIsCompleted_CompletesAfterRestart()
    {
        await Emulator.AddFaultAsync(new { kind = "task-warnings", taskType = "vzstart", warnings = 2 });
        await Emulator.AddFaultAsync(new { kind = "latency", path = TaskLogPattern, method = "GET", latencyMs = 600_000, count = 1 });
        var (status, _, _) = await ReadAsync(StartInBackground());
        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted));
        // The task ended with warnings; the worker completing the Operation is reading the task log.
        await WaitUntilFaultsUsedAsync();

        await Service.KillAndRestartAsync();
        var operation = await Service.FinishedOperationAsync(VmId, "StartContainer", Settle);

        Assert.Multiple(async () =>
        {
            Assert.That(Text(operation, "status"), Is.EqualTo("succeeded"));
            Assert.That(Text(operation, "exitStatus"), Is.EqualTo("WARNINGS: 2"));
            Assert.That(operation["warnings"]!.AsArray(), Has.Count.EqualTo(2));
            Assert.That(await Emulator.ContainerStatusAsync(Node, VmId), Is.EqualTo("running"));
            Assert.That(await Emulator.CountAsync("POST", StartPath), Is.EqualTo(1));
        });
    }
}
