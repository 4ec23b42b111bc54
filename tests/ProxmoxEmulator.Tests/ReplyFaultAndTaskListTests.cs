using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ProxmoxLxc.ProxmoxEmulator.Tests;

public class ReplyFaultTests : EmulatorTestBase
{
    private const string StartPath = "^/nodes/[^/]+/lxc/[0-9]+/status/start$";

    [Test]
    public async Task DropReplies_Start_WorkDoneButConnectionAborted()
    {
        Server.Faults.DropReplies(StartPath, "POST", count: 1);

        Assert.ThrowsAsync<HttpRequestException>(() => Client.PostAsync("nodes/pve2/lxc/101/status/start", null));

        var task = Server.State.Tasks.Single(t => t.Type == "vzstart");
        Assert.Multiple(() =>
        {
            Assert.That(task.Id, Is.EqualTo("101"));
            Assert.That(Server.Journal.Entries.Single().Fault, Is.EqualTo("reply-drop"));
            Assert.That(Server.Journal.Entries.Single().Status, Is.EqualTo(200));
            Assert.That(Server.Faults.Rules, Is.Empty, "the count-limited rule is used up");
        });
        var status = await WaitTaskAsync(task.Upid);
        Assert.That(status["exitstatus"]!.GetValue<string>(), Is.EqualTo("OK"));
        Assert.That(Server.State.FindContainer(101)!.Running, Is.True);
    }

    [Test]
    public async Task DelayReplies_Start_TaskExistsBeforeTheLateAnswerCarriesItsUpid()
    {
        Server.Faults.DelayReplies(TimeSpan.FromSeconds(5), StartPath, "POST", count: 1);

        var post = Client.PostAsync("nodes/pve2/lxc/101/status/start", null);
        var task = await WaitForAsync(() => Server.State.Tasks.FirstOrDefault(t => t.Type == "vzstart"));
        var answeredBeforeWork = post.IsCompleted;
        using var response = await post;
        var body = await BodyAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(answeredBeforeWork, Is.False, "the answer is held back after the work");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body!["data"]!.GetValue<string>(), Is.EqualTo(task.Upid));
            Assert.That(Server.Journal.Entries.Single().Fault, Is.EqualTo("reply-delay"));
        });
    }

    [Test]
    public async Task DelayReplies_ClientGivesUp_WorkStaysDoneAndJournaledOnce()
    {
        Server.Faults.DelayReplies(TimeSpan.FromMinutes(10), StartPath, "POST", count: 1);
        using var cts = new CancellationTokenSource();

        var post = Client.PostAsync("nodes/pve2/lxc/101/status/start", null, cts.Token);
        var task = await WaitForAsync(() => Server.State.Tasks.FirstOrDefault(t => t.Type == "vzstart"));
        await cts.CancelAsync();

        Assert.CatchAsync<OperationCanceledException>(() => post);
        Assert.Multiple(() =>
        {
            Assert.That(Server.Journal.Entries.Count(e => e.Path == "/nodes/pve2/lxc/101/status/start"), Is.EqualTo(1));
            Assert.That(task.Id, Is.EqualTo("101"));
        });
    }

    [Test]
    public async Task ControlEndpoint_ReplyFaults_AppliedByPathAndCount()
    {
        using var control = new HttpClient(Server.CreateHandler()) { BaseAddress = Server.BaseUrl };
        using (var post = await control.PostAsJsonAsync("/_emulator/faults", new { kind = "reply-drop", path = StartPath, method = "POST", count = 1 }))
        {
            Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using (var post = await control.PostAsJsonAsync("/_emulator/faults", new { kind = "reply-delay", path = "^/nodes$", latencyMs = 300, count = 1 }))
        {
            var rules = (await BodyAsync(post))!["data"]!["rules"]!.AsArray();
            Assert.That(rules.Select(r => r!["kind"]!.GetValue<string>()), Is.EqualTo(new[] { "reply-drop", "reply-delay" }));
        }

        Assert.ThrowsAsync<HttpRequestException>(() => Client.PostAsync("nodes/pve2/lxc/101/status/start", null));
        var (nodes, _) = await SendAsync(HttpMethod.Get, "nodes");
        var (again, _) = await SendAsync(HttpMethod.Get, "nodes");
        Assert.Multiple(() =>
        {
            Assert.That(nodes.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Server.Journal.Entries.Select(e => e.Fault), Is.EqualTo(new[] { "reply-drop", "reply-delay", null }));
            Assert.That(Server.State.FindContainer(101)!.Running || Server.State.Tasks.Any(t => t.Type == "vzstart"), Is.True);
        });
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe)
        where T : class
    {
        for (var i = 0; i < 500; i++)
        {
            if (probe() is { } found)
            {
                return found;
            }

            await Task.Delay(10);
        }

        throw new AssertionException("condition not met within 5 s");
    }
}

public class TaskListTests : EmulatorTestBase
{
    [Test]
    public async Task NodeTasks_Filters_MatchTypeUserVmidAndSince()
    {
        var before = Clock.GetUtcNow().ToUnixTimeSeconds();
        await RunTaskAsync(HttpMethod.Post, "nodes/pve2/lxc/101/status/start");
        await RunTaskAsync(HttpMethod.Post, "nodes/pve2/lxc/101/status/stop");
        await RunTaskAsync(HttpMethod.Post, "nodes/pve1/lxc/102/status/start");

        var starts = await ListAsync("nodes/pve2/tasks?vmid=101&typefilter=vzstart&userfilter=ROOT@PAM!ci&since=" + before);
        var pve2All = await ListAsync("nodes/pve2/tasks");
        var otherUser = await ListAsync("nodes/pve2/tasks?userfilter=alice");
        var future = await ListAsync($"nodes/pve2/tasks?since={before + 3600}");
        var untilPast = await ListAsync($"nodes/pve2/tasks?until={before - 3600}");

        Assert.Multiple(() =>
        {
            Assert.That(starts.Data.Select(t => t["type"]!.GetValue<string>()), Is.EqualTo(new[] { "vzstart" }));
            Assert.That(starts.Data[0]["id"]!.GetValue<string>(), Is.EqualTo("101"));
            Assert.That(starts.Data[0]["user"]!.GetValue<string>(), Is.EqualTo("root@pam!ci"));
            Assert.That(starts.Data[0]["status"]!.GetValue<string>(), Is.EqualTo("OK"));
            Assert.That(starts.Data[0]["endtime"], Is.Not.Null);
            Assert.That(starts.Total, Is.EqualTo(1));
            Assert.That(pve2All.Data.Select(t => t["type"]!.GetValue<string>()), Is.EqualTo(new[] { "vzstop", "vzstart" }), "newest first, one node only");
            Assert.That(otherUser.Data, Is.Empty);
            Assert.That(future.Data, Is.Empty);
            Assert.That(untilPast.Data, Is.Empty);
        });
    }

    [Test]
    public async Task NodeTasks_Source_ActiveListsRunningTasksAsRunning()
    {
        Server.Engine.Options.TaskDurations["vzstart"] = TimeSpan.FromMinutes(5);
        var (response, body) = await SendAsync(HttpMethod.Post, "nodes/pve2/lxc/101/status/start");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var upid = body!["data"]!.GetValue<string>();

        var active = await ListAsync("nodes/pve2/tasks?source=active");
        var archive = await ListAsync("nodes/pve2/tasks");

        Assert.Multiple(() =>
        {
            Assert.That(active.Data.Select(t => t["upid"]!.GetValue<string>()), Is.EqualTo(new[] { upid }));
            Assert.That(active.Data[0]["status"]!.GetValue<string>(), Is.EqualTo("RUNNING"));
            Assert.That(active.Data[0]["endtime"], Is.Null);
            Assert.That(archive.Data, Is.Empty, "archive lists finished tasks only");
        });
    }

    [Test]
    public async Task NodeTasks_StatusFilterErrorsAndPaging_FollowTasksPm()
    {
        Server.Faults.FailNextTask("vzstart", "startup for container '101' failed");
        await RunTaskAsync(HttpMethod.Post, "nodes/pve2/lxc/101/status/start");
        await RunTaskAsync(HttpMethod.Post, "nodes/pve2/lxc/101/status/start");
        await RunTaskAsync(HttpMethod.Post, "nodes/pve2/lxc/101/status/stop");

        var errors = await ListAsync("nodes/pve2/tasks?errors=1");
        var ok = await ListAsync("nodes/pve2/tasks?statusfilter=ok");
        var page = await ListAsync("nodes/pve2/tasks?start=1&limit=1");
        var (bad, badBody) = await SendAsync(HttpMethod.Get, "nodes/pve2/tasks?statusfilter=great");

        Assert.Multiple(() =>
        {
            Assert.That(errors.Data.Select(t => t["status"]!.GetValue<string>()), Is.EqualTo(new[] { "startup for container '101' failed" }));
            Assert.That(ok.Data.Select(t => t["type"]!.GetValue<string>()), Is.EqualTo(new[] { "vzstop", "vzstart" }));
            Assert.That(page.Data, Has.Count.EqualTo(1));
            Assert.That(page.Data[0]["type"]!.GetValue<string>(), Is.EqualTo("vzstart"));
            Assert.That(page.Total, Is.EqualTo(3));
            Assert.That((int)bad.StatusCode, Is.EqualTo(400));
            Assert.That(badBody!["errors"]!["statusfilter"], Is.Not.Null);
        });
    }

    [Test]
    public async Task ClusterTasks_AllNodes_NewestFirst()
    {
        await RunTaskAsync(HttpMethod.Post, "nodes/pve2/lxc/101/status/start");
        await RunTaskAsync(HttpMethod.Post, "nodes/pve1/lxc/102/status/start");

        var data = (await GetDataAsync("cluster/tasks"))!.AsArray();

        Assert.That(data.Select(t => t!["node"]!.GetValue<string>()), Is.EqualTo(new[] { "pve1", "pve2" }));
    }

    private async Task<(List<JsonNode> Data, int? Total)> ListAsync(string path)
    {
        var (response, body) = await SendAsync(HttpMethod.Get, path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), response.ReasonPhrase);
        return ([.. body!["data"]!.AsArray().Select(n => n!)], body["total"]?.GetValue<int>());
    }
}
