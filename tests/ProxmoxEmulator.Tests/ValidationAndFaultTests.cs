using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace ProxmoxLxc.ProxmoxEmulator.Tests;

public class ValidationTests : EmulatorTestBase
{
    [Test]
    public async Task Start_BooleanTrue_Returns400TypeCheck()
    {
        var (response, body) = await SendAsync(HttpMethod.Post, "nodes/pve2/lxc/101/status/start", Form(("skiplock", "true")));
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(400));
            Assert.That(response.ReasonPhrase, Is.EqualTo("Parameter verification failed."));
            Assert.That(body!["errors"]!["skiplock"]!.GetValue<string>(), Is.EqualTo("type check ('boolean') failed - got 'true'"));
            Assert.That(body["message"]!.GetValue<string>(), Is.EqualTo("Parameter verification failed.\n"));
        });
    }

    [Test]
    public async Task Stop_UnknownProperty_Returns400NotDefined()
    {
        var (_, body) = await SendAsync(HttpMethod.Post, "nodes/pve1/lxc/100/status/stop", Form(("bogus", "1")));
        Assert.That(body!["errors"]!["bogus"]!.GetValue<string>(),
            Is.EqualTo("property is not defined in schema and the schema does not allow additional properties"));
    }

    [Test]
    public async Task Create_MissingOstemplate_Returns400Missing()
    {
        var (_, body) = await SendAsync(HttpMethod.Post, "nodes/pve1/lxc", Form(("vmid", "160")));
        Assert.That(body!["errors"]!["ostemplate"]!.GetValue<string>(), Is.EqualTo("property is missing and it is not optional"));
    }

    [Test]
    public async Task Create_VmidBelow100_Returns400InvalidFormatFirst()
    {
        var (_, body) = await SendAsync(HttpMethod.Post, "nodes/pve1/lxc", Form(("vmid", "99"), ("ostemplate", "local:vztmpl/x.tar.zst")));
        Assert.That(body!["errors"]!["vmid"]!.GetValue<string>(), Is.EqualTo("invalid format - value does not look like a valid VM ID\n"));
    }

    [Test]
    public async Task Rrddata_BadEnum_Returns400Enumeration()
    {
        var (_, body) = await SendAsync(HttpMethod.Get, "nodes/pve1/lxc/100/rrddata?timeframe=decade");
        Assert.That(body!["errors"]!["timeframe"]!.GetValue<string>(),
            Is.EqualTo("value 'decade' does not have a value in the enumeration 'hour, day, week, month, year'"));
    }

    [Test]
    public async Task Create_BadNetSubKey_Returns400WithPropertyStringError()
    {
        var (response, body) = await SendAsync(HttpMethod.Post, "nodes/pve1/lxc",
            Form(("vmid", "161"), ("ostemplate", "local:vztmpl/x.tar.zst"), ("net0", "name=eth0,ip=notanip")));
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(body!["errors"]!["net0.ip"]!.GetValue<string>(), Does.StartWith("invalid format - value does not look like a valid IPv4 network configuration"));
    }

    [Test]
    public async Task Start_JsonBodyWithJsonBoolean_IsAccepted()
    {
        using var content = new StringContent("{\"skiplock\":true}", Encoding.UTF8, "application/json");
        var (response, _) = await SendAsync(HttpMethod.Post, "nodes/pve2/lxc/101/status/start", content);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Journal_InvalidRequest_RecordedAsSchemaViolation()
    {
        await SendAsync(HttpMethod.Post, "nodes/pve2/lxc/101/status/start", Form(("skiplock", "yes")));
        await SendAsync(HttpMethod.Get, "nodes");
        var entries = Server.Journal.Entries;
        Assert.That(entries, Has.Count.EqualTo(2));
        Assert.That(entries[0].SchemaValid, Is.False);
        Assert.That(entries[0].SchemaErrors!.Keys, Is.EquivalentTo(new[] { "skiplock" }));
        Assert.That(entries[1].SchemaValid, Is.True);
        Assert.That(Server.Journal.SchemaViolations, Has.Count.EqualTo(1));
    }
}

public class FaultTests : EmulatorTestBase
{
    [Test]
    public async Task Latency_MatchingPath_DelaysResponse()
    {
        Server.Faults.AddLatency(TimeSpan.FromMilliseconds(600), "^/nodes$", "GET");
        var sw = Stopwatch.StartNew();
        await GetDataAsync("nodes");
        Assert.That(sw.ElapsedMilliseconds, Is.GreaterThanOrEqualTo(580));
        sw.Restart();
        await GetDataAsync("version");
        Assert.That(sw.ElapsedMilliseconds, Is.LessThan(580));
    }

    [Test]
    public async Task FailRequests_CountOne_FailsOnceWithEmpty595()
    {
        Server.Faults.FailRequests(595, "/lxc$", "GET", count: 1);
        var (first, body) = await SendAsync(HttpMethod.Get, "nodes/pve1/lxc");
        var (second, _) = await SendAsync(HttpMethod.Get, "nodes/pve1/lxc");
        Assert.That((int)first.StatusCode, Is.EqualTo(595));
        Assert.That(first.ReasonPhrase, Is.EqualTo("Connection refused"));
        Assert.That(body, Is.Null);
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task FailRequests_Status500_HasProxmoxErrorBody()
    {
        Server.Faults.FailRequests(500, message: "boom");
        var (response, body) = await SendAsync(HttpMethod.Get, "nodes");
        Assert.That(response.ReasonPhrase, Is.EqualTo("boom"));
        Assert.That(body!["message"]!.GetValue<string>(), Is.EqualTo("boom\n"));
    }

    [Test]
    public async Task Down_AnyRequest_ConnectionFails()
    {
        Server.Faults.Down = true;
        using var client = Server.CreateClient();
        Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("nodes"));
        Assert.ThrowsAsync<HttpRequestException>(() => Client.GetAsync("nodes"));
        Assert.That(Server.Journal.TotalCount, Is.Zero);
        Server.Faults.Down = false;
        using var again = Server.CreateClient();
        using var response = await again.GetAsync("nodes");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public void Drop_MatchingRequest_AbortsConnection()
    {
        Server.Faults.DropConnections("^/nodes$", count: 1);
        Assert.ThrowsAsync<HttpRequestException>(() => Client.GetAsync("nodes"));
    }

    [Test]
    public async Task FailNextTask_Start_TaskEndsWithError()
    {
        Server.Faults.FailNextTask("vzstart", "startup for container '101' failed");
        var status = await RunTaskAsync(HttpMethod.Post, "nodes/pve2/lxc/101/status/start");
        Assert.That(status["exitstatus"]!.GetValue<string>(), Is.EqualTo("startup for container '101' failed"));
        Assert.That(Server.State.FindContainer(101)!.Running, Is.False);
        var (_, log) = await SendAsync(HttpMethod.Get, $"nodes/pve2/tasks/{Uri.EscapeDataString(status["upid"]!.GetValue<string>())}/log");
        Assert.That(log!["data"]!.AsArray()[^1]!["t"]!.GetValue<string>(), Is.EqualTo("TASK ERROR: startup for container '101' failed"));
    }

    [Test]
    public async Task WarnNextTask_Start_TaskEndsWithWarningsAndSucceeds()
    {
        Server.Faults.WarnNextTask("vzstart", 2);
        var status = await RunTaskAsync(HttpMethod.Post, "nodes/pve2/lxc/101/status/start");
        Assert.That(status["exitstatus"]!.GetValue<string>(), Is.EqualTo("WARNINGS: 2"));
        Assert.That(Server.State.FindContainer(101)!.Running, Is.True);
    }

    [Test]
    public async Task LockTimeout_ConfigPut_Returns500CantLock()
    {
        Server.Faults.LockTimeout(101);
        var (response, _) = await SendAsync(HttpMethod.Put, "nodes/pve2/lxc/101/config", Form(("memory", "1024")));
        Assert.That(response.ReasonPhrase, Is.EqualTo("can't lock file '/run/lock/lxc/pve-config-101.lock' - got timeout"));
        var (retry, _) = await SendAsync(HttpMethod.Put, "nodes/pve2/lxc/101/config", Form(("memory", "1024")));
        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task StringNumbers_Enabled_VmidIsJsonString()
    {
        Server.Faults.StringNumbers = true;
        var data = (await GetDataAsync("nodes/pve1/lxc"))!.AsArray();
        Assert.That(data[0]!["vmid"]!.GetValueKind(), Is.EqualTo(System.Text.Json.JsonValueKind.String));
        Assert.That(data[0]!["maxdisk"]!.GetValueKind(), Is.EqualTo(System.Text.Json.JsonValueKind.String));
    }

    [Test]
    public async Task ControlEndpoint_PostErrorFault_AppliesAndClears()
    {
        using var control = new HttpClient(Server.CreateHandler()) { BaseAddress = Server.BaseUrl };
        using var post = await control.PostAsJsonAsync("/_emulator/faults", new { kind = "error", path = "^/nodes$", status = 596, count = 1 });
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var (faulted, _) = await SendAsync(HttpMethod.Get, "nodes");
        Assert.That((int)faulted.StatusCode, Is.EqualTo(596));
        using var delete = await control.DeleteAsync("/_emulator/faults");
        var (ok, _) = await SendAsync(HttpMethod.Get, "nodes");
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
