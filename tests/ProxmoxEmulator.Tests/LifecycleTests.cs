using System.Net;

namespace ProxmoxLxc.ProxmoxEmulator.Tests;

public class LifecycleTests : EmulatorTestBase
{
    private const string Debian = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst";

    // Long enough to observe "lock: create" while the create task runs, even on a busy machine.
    protected override void Configure(global::ProxmoxEmulator.EmulatorOptions options) =>
        options.TaskDurations["vzcreate"] = TimeSpan.FromSeconds(1);

    [Test]
    public async Task Create_ValidRequest_LocksDuringTaskAndNormalizesConfig()
    {
        var (response, body) = await SendAsync(HttpMethod.Post, "nodes/pve1/lxc", Form(
            ("vmid", "150"), ("ostemplate", Debian), ("hostname", "app1"), ("rootfs", "local-lvm:8"),
            ("net0", "name=eth0,bridge=vmbr0,ip=dhcp"), ("password", "secret123"), ("ssh-public-keys", "ssh-ed25519 AAAA x"),
            ("pool", "web"), ("tags", "a;b"), ("features", "nesting=1")));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), response.ReasonPhrase);
        var upid = body!["data"]!.GetValue<string>();
        Assert.That(upid, Does.Match(@"^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:vzcreate:150:root@pam!ci:$"));

        var during = await GetDataAsync("nodes/pve1/lxc/150/config");
        Assert.That(during!["lock"]!.GetValue<string>(), Is.EqualTo("create"));

        var status = await WaitTaskAsync(upid);
        Assert.That(status["exitstatus"]!.GetValue<string>(), Is.EqualTo("OK"));

        var config = (await GetDataAsync("nodes/pve1/lxc/150/config"))!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(config.ContainsKey("lock"), Is.False);
            Assert.That(config["rootfs"]!.GetValue<string>(), Is.EqualTo("local-lvm:vm-150-disk-0,size=8G"));
            Assert.That(config["net0"]!.GetValue<string>(), Does.Match("^name=eth0,bridge=vmbr0,hwaddr=BC:24:11:[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2},ip=dhcp,type=veth$"));
            Assert.That(config["hostname"]!.GetValue<string>(), Is.EqualTo("app1"));
            Assert.That(config["memory"]!.GetValue<long>(), Is.EqualTo(512));
            Assert.That(config["unprivileged"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(config["ostype"]!.GetValue<string>(), Is.EqualTo("debian"));
            Assert.That(config.ContainsKey("password"), Is.False);
            Assert.That(config.ContainsKey("ssh-public-keys"), Is.False);
            Assert.That(config["digest"]!.GetValue<string>(), Does.Match("^[0-9a-f]{40}$"));
        });
        var resources = await GetDataAsync("cluster/resources?type=vm");
        var entry = resources!.AsArray().Single(r => r!["vmid"]!.GetValue<int>() == 150)!;
        Assert.That(entry["pool"]!.GetValue<string>(), Is.EqualTo("web"));
    }

    [Test]
    public async Task Create_ExistingVmid_Returns500AlreadyExists()
    {
        var (response, body) = await SendAsync(HttpMethod.Post, "nodes/pve1/lxc", Form(("vmid", "101"), ("ostemplate", Debian)));
        Assert.That((int)response.StatusCode, Is.EqualTo(500));
        Assert.That(response.ReasonPhrase, Is.EqualTo("CT 101 already exists on node 'pve2'"));
        Assert.That(body!["message"]!.GetValue<string>(), Is.EqualTo("CT 101 already exists on node 'pve2'\n"));
    }

    [Test]
    public async Task Create_TemplateMissingOnNode_TaskFailsAndCtIsGone()
    {
        var status = await RunTaskAsync(HttpMethod.Post, "nodes/pve2/lxc",
            Form(("vmid", "151"), ("ostemplate", "local:vztmpl/alpine-3.20-default_20240908_amd64.tar.xz")));
        Assert.That(status["exitstatus"]!.GetValue<string>(), Does.StartWith("unable to create CT 151 - "));
        Assert.That(Server.State.FindContainer(151), Is.Null);
    }

    [Test]
    public async Task Start_StoppedCt_TaskOkAndRunning()
    {
        var status = await RunTaskAsync(HttpMethod.Post, "nodes/pve2/lxc/101/status/start");
        Assert.That(status["exitstatus"]!.GetValue<string>(), Is.EqualTo("OK"));
        var current = await GetDataAsync("nodes/pve2/lxc/101/status/current");
        Assert.That(current!["status"]!.GetValue<string>(), Is.EqualTo("running"));
    }

    [Test]
    public async Task Start_RunningCt_Returns500AlreadyRunning()
    {
        var (response, _) = await SendAsync(HttpMethod.Post, "nodes/pve1/lxc/100/status/start");
        Assert.That((int)response.StatusCode, Is.EqualTo(500));
        Assert.That(response.ReasonPhrase, Is.EqualTo("CT 100 already running"));
    }

    [Test]
    public async Task Stop_StoppedCt_Returns500NotRunning()
    {
        var (response, _) = await SendAsync(HttpMethod.Post, "nodes/pve2/lxc/101/status/stop");
        Assert.That(response.ReasonPhrase, Is.EqualTo("CT 101 not running"));
    }

    [Test]
    public async Task Delete_RunningCtWithoutForce_Returns500()
    {
        var (response, _) = await SendAsync(HttpMethod.Delete, "nodes/pve1/lxc/100");
        Assert.That((int)response.StatusCode, Is.EqualTo(500));
        Assert.That(response.ReasonPhrase, Is.EqualTo("unable to destroy CT 100 - container is running"));
    }

    [Test]
    public async Task Delete_StoppedCt_TaskRemovesIt()
    {
        var status = await RunTaskAsync(HttpMethod.Delete, "nodes/pve2/lxc/101?purge=1");
        Assert.That(status["exitstatus"]!.GetValue<string>(), Is.EqualTo("OK"));
        var (response, _) = await SendAsync(HttpMethod.Get, "nodes/pve2/lxc/101/config");
        Assert.That(response.ReasonPhrase, Is.EqualTo("Configuration file 'nodes/pve2/lxc/101.conf' does not exist"));
    }

    [Test]
    public async Task Delete_WithBody_Returns501UnexpectedContent()
    {
        var (response, _) = await SendAsync(HttpMethod.Delete, "nodes/pve2/lxc/101", new StringContent("\"\""));
        Assert.That((int)response.StatusCode, Is.EqualTo(501));
        Assert.That(response.ReasonPhrase, Is.EqualTo("Unexpected content for method 'DELETE'"));
    }

    [Test]
    public async Task ConfigPut_LockedCt_Returns500Locked()
    {
        Server.State.SetLock(101, "backup");
        var (response, _) = await SendAsync(HttpMethod.Put, "nodes/pve2/lxc/101/config", Form(("memory", "1024")));
        Assert.That((int)response.StatusCode, Is.EqualTo(500));
        Assert.That(response.ReasonPhrase, Is.EqualTo("CT is locked (backup)"));
    }

    [Test]
    public async Task Start_LockedCt_TaskFailsWithLockError()
    {
        Server.State.SetLock(101, "backup");
        var status = await RunTaskAsync(HttpMethod.Post, "nodes/pve2/lxc/101/status/start");
        Assert.That(status["exitstatus"]!.GetValue<string>(), Is.EqualTo("CT is locked (backup)"));
    }

    [Test]
    public async Task ConfigPut_DigestMismatch_Returns500()
    {
        var config = await GetDataAsync("nodes/pve2/lxc/101/config");
        var digest = config!["digest"]!.GetValue<string>();
        var (ok, _) = await SendAsync(HttpMethod.Put, "nodes/pve2/lxc/101/config", Form(("memory", "1024"), ("digest", digest)));
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var (stale, _) = await SendAsync(HttpMethod.Put, "nodes/pve2/lxc/101/config", Form(("memory", "2048"), ("digest", digest)));
        Assert.That((int)stale.StatusCode, Is.EqualTo(500));
        Assert.That(stale.ReasonPhrase, Is.EqualTo("detected modified configuration - file changed by other user? Try again."));
    }

    [Test]
    public async Task ConfigPut_RunningCtNonHotplugKey_GoesToPending()
    {
        var (response, _) = await SendAsync(HttpMethod.Put, "nodes/pve1/lxc/100/config", Form(("hostname", "web-renamed"), ("memory", "2048"), ("delete", "tags")));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var current = await GetDataAsync("nodes/pve1/lxc/100/config?current=1");
        Assert.That(current!["hostname"]!.GetValue<string>(), Is.EqualTo("web1"));
        Assert.That(current["memory"]!.GetValue<long>(), Is.EqualTo(2048));
        var pending = (await GetDataAsync("nodes/pve1/lxc/100/pending"))!.AsArray();
        var hostname = pending.Single(p => p!["key"]!.GetValue<string>() == "hostname")!;
        Assert.That(hostname["pending"]!.GetValue<string>(), Is.EqualTo("web-renamed"));
        var tags = pending.Single(p => p!["key"]!.GetValue<string>() == "tags")!;
        Assert.That(tags["delete"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public async Task ConfigPut_NoOptions_Returns500()
    {
        var (response, _) = await SendAsync(HttpMethod.Put, "nodes/pve2/lxc/101/config", Form());
        Assert.That(response.ReasonPhrase, Is.EqualTo("no options specified"));
    }

    [Test]
    public async Task Resize_Shrink_Returns500()
    {
        var (response, _) = await SendAsync(HttpMethod.Put, "nodes/pve2/lxc/101/resize", Form(("disk", "rootfs"), ("size", "4G")));
        Assert.That((int)response.StatusCode, Is.EqualTo(500));
        Assert.That(response.ReasonPhrase, Is.EqualTo("unable to shrink disk size"));
    }

    [Test]
    public async Task Resize_GrowRelative_TaskUpdatesSize()
    {
        var status = await RunTaskAsync(HttpMethod.Put, "nodes/pve2/lxc/101/resize", Form(("disk", "rootfs"), ("size", "+2G")));
        Assert.That(status["type"]!.GetValue<string>(), Is.EqualTo("resize"));
        var config = await GetDataAsync("nodes/pve2/lxc/101/config");
        Assert.That(config!["rootfs"]!.GetValue<string>(), Is.EqualTo("local-lvm:vm-101-disk-0,size=18G"));
    }

    [Test]
    public async Task Snapshot_CreateRollbackDelete_Works()
    {
        var create = await RunTaskAsync(HttpMethod.Post, "nodes/pve2/lxc/101/snapshot", Form(("snapname", "before"), ("description", "pre-change")));
        Assert.That(create["exitstatus"]!.GetValue<string>(), Is.EqualTo("OK"));
        var list = (await GetDataAsync("nodes/pve2/lxc/101/snapshot"))!.AsArray();
        Assert.That(list.Select(s => s!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "before", "current" }));
        Assert.That(list[1]!["description"]!.GetValue<string>(), Is.EqualTo("You are here!"));
        Assert.That(list[1]!["parent"]!.GetValue<string>(), Is.EqualTo("before"));

        await SendAsync(HttpMethod.Put, "nodes/pve2/lxc/101/config", Form(("memory", "4096")));
        var rollback = await RunTaskAsync(HttpMethod.Post, "nodes/pve2/lxc/101/snapshot/before/rollback");
        Assert.That(rollback["exitstatus"]!.GetValue<string>(), Is.EqualTo("OK"));
        var config = await GetDataAsync("nodes/pve2/lxc/101/config");
        Assert.That(config!["memory"]!.GetValue<long>(), Is.EqualTo(2048));

        var delete = await RunTaskAsync(HttpMethod.Delete, "nodes/pve2/lxc/101/snapshot/before");
        Assert.That(delete["exitstatus"]!.GetValue<string>(), Is.EqualTo("OK"));
        list = (await GetDataAsync("nodes/pve2/lxc/101/snapshot"))!.AsArray();
        Assert.That(list, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Rollback_MissingSnapshot_TaskFails()
    {
        var status = await RunTaskAsync(HttpMethod.Post, "nodes/pve2/lxc/101/snapshot/nosuch/rollback");
        Assert.That(status["exitstatus"]!.GetValue<string>(), Is.EqualTo("snapshot 'nosuch' does not exist"));
    }

    [Test]
    public async Task Clone_StoppedCt_CreatesNewCtWithNewVolume()
    {
        var status = await RunTaskAsync(HttpMethod.Post, "nodes/pve2/lxc/101/clone", Form(("newid", "201"), ("hostname", "db2"), ("full", "1")));
        Assert.That(status["type"]!.GetValue<string>(), Is.EqualTo("vzclone"));
        Assert.That(status["exitstatus"]!.GetValue<string>(), Is.EqualTo("OK"));
        var config = await GetDataAsync("nodes/pve2/lxc/201/config");
        Assert.That(config!["hostname"]!.GetValue<string>(), Is.EqualTo("db2"));
        Assert.That(config["rootfs"]!.GetValue<string>(), Is.EqualTo("local-lvm:vm-201-disk-0,size=16G"));
        Assert.That(Server.State.FindContainer(101)!.Lock, Is.Null);
    }

    [Test]
    public async Task Clone_FullOfRunningCtWithoutSnapshot_Returns500AndCreatesNothing()
    {
        var (response, _) = await SendAsync(HttpMethod.Post, "nodes/pve1/lxc/100/clone", Form(("newid", "202"), ("full", "1")));
        Assert.That((int)response.StatusCode, Is.EqualTo(500));
        Assert.That(response.ReasonPhrase, Is.EqualTo("Cannot do full clones on a running container without snapshots"));
        Assert.That(Server.State.FindContainer(202), Is.Null);
    }

    [Test]
    public async Task Create_PoolThatDoesNotExist_Returns403PermissionCheckFailed()
    {
        var (response, _) = await SendAsync(HttpMethod.Post, "nodes/pve1/lxc", Form(("vmid", "203"), ("ostemplate", Debian), ("pool", "nosuch")));
        Assert.That((int)response.StatusCode, Is.EqualTo(403));
        Assert.That(response.ReasonPhrase, Is.EqualTo("Permission check failed (pool 'nosuch' does not exist)"));
        Assert.That(Server.State.FindContainer(203), Is.Null);
    }

    [TestCase("memory")]
    [TestCase("rootfs")]
    public async Task ConfigPut_DeleteRequiredOption_Returns500UnableToDelete(string key)
    {
        var (response, _) = await SendAsync(HttpMethod.Put, "nodes/pve2/lxc/101/config", Form(("delete", key)));
        Assert.That((int)response.StatusCode, Is.EqualTo(500));
        Assert.That(response.ReasonPhrase, Is.EqualTo($"unable to delete required option '{key}'"));
        Assert.That(Server.State.FindContainer(101)!.Config, Does.ContainKey(key));
    }

    [Test]
    public async Task UnknownVmid_Config_Returns500DoesNotExist()
    {
        var (response, _) = await SendAsync(HttpMethod.Get, "nodes/pve1/lxc/999/config");
        Assert.That((int)response.StatusCode, Is.EqualTo(500));
        Assert.That(response.ReasonPhrase, Is.EqualTo("Configuration file 'nodes/pve1/lxc/999.conf' does not exist"));
    }

    [Test]
    public async Task UnknownNode_Returns500HostnameLookupFailed()
    {
        var (response, _) = await SendAsync(HttpMethod.Get, "nodes/nosuch/lxc");
        Assert.That((int)response.StatusCode, Is.EqualTo(500));
        Assert.That(response.ReasonPhrase, Does.StartWith("hostname lookup 'nosuch' failed - "));
    }

    [Test]
    public async Task OfflineNode_Returns595()
    {
        Server.State.SetNodeOnline("pve2", false);
        var (response, body) = await SendAsync(HttpMethod.Get, "nodes/pve2/lxc");
        Assert.That((int)response.StatusCode, Is.EqualTo(595));
        Assert.That(body, Is.Null);
    }

    [Test]
    public async Task UnknownPath_Returns501NotImplemented()
    {
        var (response, _) = await SendAsync(HttpMethod.Get, "nodes/pve1/lxc/101/foo");
        Assert.That((int)response.StatusCode, Is.EqualTo(501));
        Assert.That(response.ReasonPhrase, Is.EqualTo("Method 'GET /nodes/pve1/lxc/101/foo' not implemented"));
    }

    [Test]
    public async Task NextId_NoParameter_ReturnsFirstFreeIdAsString()
    {
        var data = await GetDataAsync("cluster/nextid");
        Assert.That(data!.GetValue<string>(), Is.EqualTo("103"));
    }

    [Test]
    public async Task NextId_ExistingVmid_Returns400AlreadyExists()
    {
        var (response, body) = await SendAsync(HttpMethod.Get, "cluster/nextid?vmid=101");
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(body!["errors"]!["vmid"]!.GetValue<string>(), Is.EqualTo("VM 101 already exists"));
    }

    [TestCase("hour", 60, 60)]
    [TestCase("day", 1440, 60)]
    [TestCase("week", 336, 1800)]
    [TestCase("month", 1440, 1800)]
    [TestCase("year", 1440, 21600)]
    public async Task RrdData_Timeframe_ReturnsPvePointCountAndStep(string timeframe, int count, int step)
    {
        var data = (await GetDataAsync($"nodes/pve1/lxc/100/rrddata?timeframe={timeframe}&cf=AVERAGE"))!.AsArray();
        Assert.That(data, Has.Count.EqualTo(count));
        Assert.That(data[1]!["time"]!.GetValue<long>() - data[0]!["time"]!.GetValue<long>(), Is.EqualTo(step));
        Assert.That(data[^1]!["cpu"]!.GetValue<double>(), Is.GreaterThan(0));
    }

    [Test]
    public async Task Interfaces_StoppedCt_ReturnsNullData()
    {
        var (response, body) = await SendAsync(HttpMethod.Get, "nodes/pve2/lxc/101/interfaces");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body!.AsObject().ContainsKey("data"), Is.True);
        Assert.That(body["data"], Is.Null);
    }

    [Test]
    public async Task Interfaces_RunningCt_ReturnsAddresses()
    {
        var data = (await GetDataAsync("nodes/pve1/lxc/100/interfaces"))!.AsArray();
        var eth0 = data.Single(i => i!["name"]!.GetValue<string>() == "eth0")!;
        Assert.That(eth0["inet"]!.GetValue<string>(), Is.EqualTo("10.0.0.100/24"));
    }

    [Test]
    public async Task TaskLog_FinishedTask_HasTotalAndEndsWithTaskOk()
    {
        var status = await RunTaskAsync(HttpMethod.Post, "nodes/pve2/lxc/101/status/start");
        var (_, body) = await SendAsync(HttpMethod.Get, $"nodes/pve2/tasks/{Uri.EscapeDataString(status["upid"]!.GetValue<string>())}/log");
        var lines = body!["data"]!.AsArray();
        Assert.That(body["total"]!.GetValue<int>(), Is.EqualTo(lines.Count));
        Assert.That(lines[^1]!["t"]!.GetValue<string>(), Is.EqualTo("TASK OK"));
    }

    [Test]
    public async Task TaskStatus_UnknownUpid_Returns400NoSuchTask()
    {
        var (response, body) = await SendAsync(HttpMethod.Get, "nodes/pve1/tasks/UPID:pve1:00000001:00000001:00000001:vzstart:1:root@pam:/status");
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(body!["errors"]!["upid"]!.GetValue<string>(), Is.EqualTo("no such task"));
    }

    [Test]
    public async Task StatusCurrent_RunningCt_UsageMovesOverTime()
    {
        var first = await GetDataAsync("nodes/pve1/lxc/100/status/current");
        Clock.Offset = TimeSpan.FromSeconds(30);
        var second = await GetDataAsync("nodes/pve1/lxc/100/status/current");
        Assert.That(second!["uptime"]!.GetValue<long>(), Is.GreaterThan(first!["uptime"]!.GetValue<long>()));
        Assert.That(second["netin"]!.GetValue<long>(), Is.GreaterThan(first["netin"]!.GetValue<long>()));
        Assert.That(first["maxmem"]!.GetValue<long>(), Is.EqualTo(1024L * 1024 * 1024));
    }

    [Test]
    public async Task StorageContent_Vztmpl_ListsTemplatesPerNode()
    {
        var pve1 = (await GetDataAsync("nodes/pve1/storage/local/content?content=vztmpl"))!.AsArray();
        var pve2 = (await GetDataAsync("nodes/pve2/storage/local/content?content=vztmpl"))!.AsArray();
        Assert.That(pve1, Has.Count.EqualTo(3));
        Assert.That(pve2, Has.Count.EqualTo(2));
        Assert.That(pve1[0]!["volid"]!.GetValue<string>(), Does.StartWith("local:vztmpl/"));
    }

    [Test]
    public async Task ClusterResources_TypeVm_ReturnsContainersWithPoolsAndTags()
    {
        var data = (await GetDataAsync("cluster/resources?type=vm"))!.AsArray();
        Assert.That(data, Has.Count.EqualTo(3));
        var ct100 = data.Single(r => r!["id"]!.GetValue<string>() == "lxc/100")!;
        Assert.That(ct100["pool"]!.GetValue<string>(), Is.EqualTo("web"));
        Assert.That(ct100["tags"]!.GetValue<string>(), Is.EqualTo("prod;web"));
        Assert.That(ct100["template"]!.GetValue<int>(), Is.Zero);
    }
}
