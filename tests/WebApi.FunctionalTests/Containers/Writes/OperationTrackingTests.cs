using System.Net;
using System.Text.Json.Nodes;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Containers.Writes;

[TestFixture]
public sealed class OperationTrackingTests : ApiFixture
{

    [OneTimeSetUp]
    public void SetUpFixture()
    {
        // Suspend tasks outlive their (short) limit here; everything else keeps the defaults.
        Factory.Settings["Operations:Limits:SuspendContainer"] = "00:00:00.300";
        _ = Factory.Services;
        Factory.Emulator.Engine.Options.TaskDurations["vzsuspend"] = TimeSpan.FromSeconds(3);
    }

    [Test]
    public async Task Task_EndingWithWarnings_IsSucceededWithWarningsListed()
    {
        using var client = Factory.CreateAdminClient();
        Factory.Emulator.Faults.WarnNextTask("vzstart", 2);
        using var response = await client.PostAsync("/api/v1/containers/102/start");
        var operation = await response.AcceptedAsync();
        var done = await client.WaitForOperationAsync(operation.GetProperty("id").GetInt64());
        Assert.Multiple(() =>
        {
            Assert.That(done.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
            Assert.That(done.GetProperty("exitStatus").GetString(), Is.EqualTo("WARNINGS: 2"));
            Assert.That(done.GetProperty("warnings").GetArrayLength(), Is.EqualTo(2));
        });
        var row = await Factory.OperationRowAsync(operation.GetProperty("id").GetInt64());
        Assert.That(row.Outcome, Is.EqualTo(OperationOutcome.Succeeded));
        Assert.That(row.Warnings, Is.Not.Null.And.Not.Empty);
        await client.RunAsync(HttpMethod.Post, "/api/v1/containers/102/stop");
    }

    [Test]
    public async Task Task_Failing_IsFailedWithTheProxmoxError()
    {
        using var client = Factory.CreateAdminClient();
        Factory.Emulator.Faults.FailNextTask("vzsnapshot", "snapshot feature is not available");
        using var response = await client.PostAsync("/api/v1/containers/101/snapshots", new JsonObject { ["name"] = "broken" });
        var operation = await response.AcceptedAsync();
        var done = await client.WaitForOperationAsync(operation.GetProperty("id").GetInt64());
        Assert.Multiple(() =>
        {
            Assert.That(done.GetProperty("status").GetString(), Is.EqualTo("failed"));
            Assert.That(done.GetProperty("error").GetProperty("code").GetString(), Is.EqualTo("task_failed"));
            Assert.That(done.GetProperty("error").GetProperty("message").GetString(), Does.Contain("snapshot feature is not available"));
        });
        var row = await Factory.OperationRowAsync(operation.GetProperty("id").GetInt64());
        Assert.That(row.Outcome, Is.EqualTo(OperationOutcome.Failed));
        Assert.That(row.CompletedAt, Is.Not.Null);
    }

    [Test]
    public async Task PreferWait_TaskEndsInTime_Returns200WithFinishedOperation()
    {
        using var client = Factory.CreateAdminClient();
        using var response = await client.PostAsync("/api/v1/containers/101/start", headers: new Dictionary<string, string> { ["Prefer"] = "wait=10" });
        var body = await response.JsonAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToString());
            Assert.That(response.Headers.GetValues("Preference-Applied").Single(), Is.EqualTo("wait=10"));
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/operations/{body.GetProperty("id").GetInt64()}"));
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
            Assert.That(body.GetProperty("completedAt").ValueKind, Is.Not.EqualTo(System.Text.Json.JsonValueKind.Null));
            Assert.That(Factory.Emulator.State.FindContainer(101)!.Running, Is.True);
        });
        var row = await Factory.OperationRowAsync(body.GetProperty("id").GetInt64());
        Assert.That(row.Outcome, Is.EqualTo(OperationOutcome.Succeeded));
        Assert.That(row.HttpStatus, Is.EqualTo(200));
        await client.RunAsync(HttpMethod.Post, "/api/v1/containers/101/stop");
    }

    [Test]
    public async Task PreferWait_AboveMaximum_IsClampedTo120()
    {
        using var client = Factory.CreateAdminClient();
        using var response = await client.PostAsync("/api/v1/containers/101/start", headers: new Dictionary<string, string> { ["Prefer"] = "respond-async, wait=999" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.GetValues("Preference-Applied").Single(), Is.EqualTo("wait=120"));
        await client.RunAsync(HttpMethod.Post, "/api/v1/containers/101/stop");
    }

    [Test]
    public async Task PreferWait_TaskOutlivesWait_Returns202StillRunning()
    {
        using var client = Factory.CreateAdminClient();
        Factory.Emulator.Engine.Options.TaskDurations["vzreboot"] = TimeSpan.FromSeconds(3);
        try
        {
            using var response = await client.PostAsync("/api/v1/containers/100/reboot", headers: new Dictionary<string, string> { ["Prefer"] = "wait=1" });
            var operation = await response.AcceptedAsync();
            Assert.That(response.Headers.GetValues("Preference-Applied").Single(), Is.EqualTo("wait=1"));
            var done = await client.WaitForOperationAsync(operation.GetProperty("id").GetInt64());
            Assert.That(done.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
        }
        finally
        {
            Factory.Emulator.Engine.Options.TaskDurations.Remove("vzreboot");
        }
    }

    [Test]
    public async Task Task_OutlivingItsActionLimit_FailsWithProxmoxTimeout()
    {
        using var client = Factory.CreateAdminClient();
        using var response = await client.PostAsync("/api/v1/containers/100/suspend");
        var operation = await response.AcceptedAsync();
        var done = await client.WaitForOperationAsync(operation.GetProperty("id").GetInt64());
        Assert.Multiple(() =>
        {
            Assert.That(done.GetProperty("status").GetString(), Is.EqualTo("failed"));
            Assert.That(done.GetProperty("error").GetProperty("code").GetString(), Is.EqualTo("proxmox_timeout"));
        });
        await Factory.Emulator.State.WaitForTaskAsync(operation.GetProperty("taskId").GetString()!);
        await client.RunAsync(HttpMethod.Post, "/api/v1/containers/100/resume");
    }

    [Test]
    public async Task GetOperation_OtherKeysOperation_WithoutAuditRead_Is404()
    {
        using var admin = Factory.CreateAdminClient();
        using var response = await admin.PostAsync("/api/v1/containers/102/start");
        var operation = await response.AcceptedAsync();
        await admin.WaitForOperationAsync(operation.GetProperty("id").GetInt64());
        var key = (await Factory.CreateKeyAsync(["containers:read"], "nosy")).Key;
        using var nosy = Factory.CreateClient(key);
        using var get = await nosy.GetAsync(new Uri($"/api/v1/operations/{operation.GetProperty("id").GetInt64()}", UriKind.Relative));
        await get.ProblemAsync(HttpStatusCode.NotFound, "operation_not_found");
        await admin.RunAsync(HttpMethod.Post, "/api/v1/containers/102/stop");
    }
}
