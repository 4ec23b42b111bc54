using System.Net;
using System.Text.Json.Nodes;

[assembly: Parallelizable(ParallelScope.None)]

namespace ProxmoxLxc.Faults.Tests.Support;

/// <summary>A fresh standalone emulator and a fresh service (own SQLite file) for every test.</summary>
public abstract class FaultTestBase
{
    /// <summary>Container 101 lives on pve2 and is stopped in the emulator's seed.</summary>
    protected const int VmId = 101;
    protected const string Node = "pve2";
    protected const string StartPath = "/nodes/pve2/lxc/101/status/start";
    protected const string StartPattern = "^/nodes/pve2/lxc/101/status/start$";
    protected const string StatusPattern = "^/nodes/pve2/lxc/101/status/current$";
    protected const string TaskStatusPattern = "^/nodes/pve2/tasks/[^/]+/status$";
    protected const string TaskLogPattern = "^/nodes/pve2/tasks/[^/]+/log$";

    protected EmulatorProcess Emulator { get; private set; } = null!;

    protected ServiceUnderTest Service { get; private set; } = null!;

    /// <summary>How long the emulator's tasks run, per type (default 300 ms).</summary>
    protected virtual IReadOnlyDictionary<string, TimeSpan> TaskDurations => new Dictionary<string, TimeSpan>();

    [SetUp]
    public async Task StartAsync()
    {
        Emulator = await EmulatorProcess.StartAsync(TaskDurations);
        Service = new ServiceUnderTest(Emulator);
        await Service.StartAsync();
        // A first call pays for TLS, connection set-up and JIT; the faults below are about Proxmox, not a cold start.
        await Poll.UntilAsync(async () =>
        {
            using var response = await Service.Client.GetAsync($"api/v1/containers/{VmId}");
            return response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(60), "a first read through the service", () => Service.Output);
        await Emulator.ResetJournalAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            await TestContext.Out.WriteLineAsync("--- service output ---\n" + Service.Output + "\n--- emulator output ---\n" + Emulator.Output);
        }

        await Service.DisposeAsync();
        await Emulator.DisposeAsync();
    }

    /// <summary>Sends <c>POST /containers/101/start</c> in the background (its answer may never come: the test kills the service).</summary>
    protected Task<HttpResponseMessage> StartInBackground() => Service.Client.PostAsync($"api/v1/containers/{VmId}/start", null);

    /// <summary>Waits until the emulator has used up every count-limited request rule (the faulted request has arrived).</summary>
    protected Task WaitUntilFaultsUsedAsync() =>
        Poll.UntilAsync(async () => (await Emulator.FaultRulesAsync()).Count == 0, TimeSpan.FromSeconds(20), "the faulted request to reach the emulator");

    protected static async Task<(HttpStatusCode Status, JsonObject? Body, HttpResponseMessage Response)> ReadAsync(Task<HttpResponseMessage> call)
    {
        var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject, response);
    }

    protected static string Text(JsonNode? node, string name) => node?[name]?.GetValue<string>() ?? string.Empty;
}
