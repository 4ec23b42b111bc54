using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using ProxmoxLxc.Faults.Tests.Support;

namespace ProxmoxLxc.Faults.Tests;

/// <summary>
/// Proxmox down, slow, failing (5xx) and dropping connections during each phase of a start: before the dispatch (the
/// state check), at the dispatch, and while the task is followed. The service stays up; each case asserts the answer,
/// the Operation's final state, the container's state in Proxmox and how often Proxmox saw the start.
/// </summary>
public class ProxmoxFaultTests : FaultTestBase
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    protected override IReadOnlyDictionary<string, TimeSpan> TaskDurations =>
        new Dictionary<string, TimeSpan> { ["vzstart"] = TimeSpan.FromSeconds(1) };

    // ---------------- before the dispatch: the answer is an error, nothing was sent ----------------

    [TestCase("down", 503, "proxmox_unavailable")]
    [TestCase("slow", 504, "proxmox_timeout")]
    [TestCase("5xx", 502, "proxmox_error")]
    [TestCase("drop", 503, "proxmox_unavailable")]
    public async Task Start_ProxmoxFaultBeforeDispatch_AnswersErrorAndSendsNothing(string fault, int expectedStatus, string expectedCode)
    {
        await Emulator.AddFaultAsync(fault switch
        {
            "down" => new { kind = "down" },
            "slow" => new { kind = "latency", path = StatusPattern, method = "GET", latencyMs = 120_000, count = 10 } as object,
            "5xx" => new { kind = "error", path = StatusPattern, method = "GET", status = 500, message = "emulated failure", count = 10 },
            _ => new { kind = "drop", path = StatusPattern, method = "GET", count = 10 },
        });

        var watch = Stopwatch.StartNew();
        var (status, body, response) = await ReadAsync(StartInBackground());
        watch.Stop();
        await Emulator.ClearFaultsAsync(); // the unused rest of the rules would hit the test's own reads below
        var operation = await Service.FinishedOperationAsync(VmId, "StartContainer", Settle);

        Assert.Multiple(async () =>
        {
            Assert.That((int)status, Is.EqualTo(expectedStatus), body?.ToJsonString());
            Assert.That(Text(body, "code"), Is.EqualTo(expectedCode));
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds((2 * ServiceUnderTest.ReadTimeoutSeconds) + 5)),
                "the read deadline ends the call, not the 120 s hang");
            Assert.That(Text(operation, "status"), Is.EqualTo("failed"));
            Assert.That(Text(operation["error"], "code"), Is.EqualTo(expectedCode));
            Assert.That(await Emulator.ContainerStatusAsync(Node, VmId), Is.EqualTo("stopped"));
            Assert.That(await Emulator.CountAsync("POST", StartPath), Is.Zero);
        });
        if (expectedStatus == 503)
        {
            Assert.That(response.Headers.RetryAfter, Is.Not.Null);
        }
    }

    // ---------------- at the dispatch: never repeated; a lost answer is settled from the task list ----------------

    [TestCase("down", 503, "proxmox_unavailable", "failed", "proxmox_unavailable", "stopped")]
    [TestCase("5xx", 502, "proxmox_error", "failed", "proxmox_error", "stopped")]
    [TestCase("slow", 504, "proxmox_timeout", "failed", "outcome_unknown", "stopped")]
    [TestCase("drop", 503, "proxmox_unavailable", "failed", "outcome_unknown", "stopped")]
    [TestCase("reply-slow", 504, "proxmox_timeout", "succeeded", null, "running")]
    [TestCase("reply-drop", 503, "proxmox_unavailable", "succeeded", null, "running")]
    public async Task Start_ProxmoxFaultAtDispatch_SentOnceAndSettledToTheRealOutcome(
        string fault, int expectedStatus, string expectedCode, string finalStatus, string? finalCode, string containerState)
    {
        await Emulator.AddFaultAsync(fault switch
        {
            // pveproxy answers 595 when the node behind it is unreachable.
            "down" => new { kind = "error", path = StartPattern, method = "POST", status = 595, count = 1 },
            "5xx" => new { kind = "error", path = StartPattern, method = "POST", status = 500, message = "emulated failure", count = 1 } as object,
            "slow" => new { kind = "latency", path = StartPattern, method = "POST", latencyMs = 60_000, count = 1 },
            "drop" => new { kind = "drop", path = StartPattern, method = "POST", count = 1 },
            "reply-slow" => new { kind = "reply-delay", path = StartPattern, method = "POST", latencyMs = 60_000, count = 1 },
            _ => new { kind = "reply-drop", path = StartPattern, method = "POST", count = 1 },
        });

        var (status, body, _) = await ReadAsync(StartInBackground());
        var operation = await Service.FinishedOperationAsync(VmId, "StartContainer", Settle);

        Assert.Multiple(async () =>
        {
            Assert.That((int)status, Is.EqualTo(expectedStatus), body?.ToJsonString());
            Assert.That(Text(body, "code"), Is.EqualTo(expectedCode));
            Assert.That(Text(operation, "status"), Is.EqualTo(finalStatus), operation.ToJsonString());
            Assert.That(operation["error"]?["code"]?.GetValue<string>(), Is.EqualTo(finalCode));
            Assert.That(await Emulator.ContainerStatusAsync(Node, VmId), Is.EqualTo(containerState));
            Assert.That(await Emulator.CountAsync("POST", StartPath), Is.EqualTo(1), "the dispatch is never repeated");
        });
        if (finalCode == "outcome_unknown")
        {
            Assert.That(Text(operation["error"], "message"), Does.Contain("Container 101 is now stopped on node pve2"));
        }
    }

    // ---------------- while the task is followed: the Operation still ends with the task ----------------

    [TestCase("down")]
    [TestCase("slow")]
    [TestCase("5xx")]
    [TestCase("drop")]
    public async Task Start_ProxmoxFaultWhileFollowingTheTask_StillSucceeds(string fault)
    {
        if (fault != "down")
        {
            await Emulator.AddFaultAsync(fault switch
            {
                "slow" => new { kind = "latency", path = TaskStatusPattern, method = "GET", latencyMs = 60_000, count = 2 } as object,
                "5xx" => new { kind = "error", path = TaskStatusPattern, method = "GET", status = 500, message = "emulated failure", count = 6 },
                _ => new { kind = "drop", path = TaskStatusPattern, method = "GET", count = 6 },
            });
        }

        var (status, body, _) = await ReadAsync(StartInBackground());
        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted), body?.ToJsonString());
        if (fault == "down")
        {
            await Emulator.AddFaultAsync(new { kind = "down" });
            await Poll.UntilAsync(async () => await ProxmoxReadinessAsync() == "Unhealthy", TimeSpan.FromSeconds(20), "readiness to report Proxmox down");
            await Emulator.AddFaultAsync(new { kind = "up" });
        }
        else
        {
            await WaitUntilFaultsUsedAsync();
        }

        var operation = await Service.FinishedOperationAsync(VmId, "StartContainer", Settle);

        Assert.Multiple(async () =>
        {
            Assert.That(Text(operation, "status"), Is.EqualTo("succeeded"), operation.ToJsonString());
            Assert.That(Text(operation, "taskId"), Is.EqualTo(Text(body, "taskId")));
            Assert.That(await Emulator.ContainerStatusAsync(Node, VmId), Is.EqualTo("running"));
            Assert.That(await Emulator.CountAsync("POST", StartPath), Is.EqualTo(1));
        });
    }

    // ---------------- reads: own deadline, cancelled with their client ----------------

    [Test]
    public async Task Read_ClientDisconnects_CancelsTheProxmoxRead()
    {
        await Emulator.AddFaultAsync(new { kind = "latency", path = StatusPattern, method = "GET", latencyMs = 60_000, count = 1 });
        using var cts = new CancellationTokenSource();
        var read = Service.Client.GetAsync($"api/v1/containers/{VmId}/status", cts.Token);
        await WaitUntilFaultsUsedAsync();

        await cts.CancelAsync();

        Assert.CatchAsync<OperationCanceledException>(async () => await read);
        // The delayed request is journaled when it ends: long before its 60 s latency only if the service gave it up.
        var aborted = await Poll.UntilAsync(async () => (await Emulator.JournalAsync())
                .FirstOrDefault(e => Text(e, "path") == "/nodes/pve2/lxc/101/status/current"),
            TimeSpan.FromSeconds(30), "the emulator to see the read aborted");
        var row = await Poll.UntilAsync(async () => (await Service.OperationsAsync(VmId, "GetContainerStatus")) is [var first, ..] ? first : null,
            TimeSpan.FromSeconds(10), "the read's operation-log row");
        Assert.Multiple(() =>
        {
            Assert.That(aborted["status"]!.GetValue<int>(), Is.Zero, "never answered");
            Assert.That(row["httpStatus"]!.GetValue<int>(), Is.EqualTo(499), "the client closed the request (not the read deadline)");
        });
    }

    private async Task<string?> ProxmoxReadinessAsync()
    {
        using var probe = new HttpClient { BaseAddress = Service.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        using var response = await probe.GetAsync("health/ready");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        return body?["checks"]?["proxmox"]?["status"]?.GetValue<string>();
    }
}
