using System.Net;
using System.Text.Json;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;
using static ProxmoxLxc.WebApi.FunctionalTests.Containers.Reads.ReadTestSupport;

namespace ProxmoxLxc.WebApi.FunctionalTests.Containers.Reads;

/// <summary>GET /containers/{vmid}, /status, /metrics and /snapshots.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Fixtures)]
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class ContainerDetailTests(DatabaseProvider provider) : ApiFixture(provider)
{
    private HttpClient _admin = null!;

    [OneTimeSetUp]
    public async Task SetUpFixtureAsync()
    {
        _admin = Factory.CreateAdminClient();
        await SnapshotInEmulatorAsync(Factory.Emulator, "pve1", 100, "before-upgrade", "Before the upgrade");
        await Task.Delay(1100); // distinct snapshot times (seconds)
        await SnapshotInEmulatorAsync(Factory.Emulator, "pve1", 100, "after-upgrade", "After the upgrade");
    }

    [OneTimeTearDown]
    public void DisposeClients()
    {
        _admin.Dispose();
    }

    [Test]
    public async Task Get_RunningContainer_ReturnsTypedConfigLiveAddressesAndDigestETag()
    {
        var (status, body, response) = await GetJsonAsync(_admin, "/api/v1/containers/100");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        var digest = Factory.Emulator.State.FindContainer(100)!.Digest;
        var config = body.GetProperty("config");
        var net0 = config.GetProperty("networks")[0];
        var addresses = body.GetProperty("interfaces").EnumerateArray()
            .SelectMany(i => i.GetProperty("addresses").EnumerateArray())
            .Select(a => a.GetProperty("address").GetString())
            .ToList();
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.ETag?.Tag, Is.EqualTo($"\"{digest}\""));
            Assert.That(body.GetProperty("digest").GetString(), Is.EqualTo(digest));
            Assert.That(body.GetProperty("vmid").GetInt32(), Is.EqualTo(100));
            Assert.That(body.GetProperty("name").GetString(), Is.EqualTo("web1"));
            Assert.That(body.GetProperty("node").GetString(), Is.EqualTo("pve1"));
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("running"));
            Assert.That(body.GetProperty("pool").GetString(), Is.EqualTo("web"));
            Assert.That(body.GetProperty("lock").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(config.GetProperty("hostname").GetString(), Is.EqualTo("web1"));
            Assert.That(config.GetProperty("cores").GetInt32(), Is.EqualTo(2));
            Assert.That(config.GetProperty("memoryMiB").GetInt32(), Is.EqualTo(1024));
            Assert.That(config.GetProperty("rootfs").GetProperty("storage").GetString(), Is.EqualTo("local-lvm"));
            Assert.That(config.GetProperty("rootfs").GetProperty("sizeGiB").GetDecimal(), Is.EqualTo(8m));
            Assert.That(config.GetProperty("unprivileged").GetBoolean(), Is.True);
            Assert.That(config.GetProperty("features").GetProperty("nesting").ValueKind, Is.AnyOf(JsonValueKind.True, JsonValueKind.False));
            Assert.That(config.GetProperty("tags").EnumerateArray().Select(t => t.GetString()), Is.EquivalentTo(new[] { "prod", "web" }));
            Assert.That(net0.GetProperty("name").GetString(), Is.EqualTo("eth0"));
            Assert.That(net0.GetProperty("ipv4").GetString(), Is.EqualTo("10.0.0.100/24"));
            Assert.That(net0.GetProperty("bridge").GetString(), Is.EqualTo("vmbr0"));
            Assert.That(net0.GetProperty("macAddress").GetString(), Is.Not.Null.And.Not.Empty);
            Assert.That(addresses, Does.Contain("10.0.0.100"));
            Assert.That(body.GetProperty("pendingChanges").GetArrayLength(), Is.Zero);
        });
    }

    [Test]
    public async Task Get_StoppedContainerWithPendingChanges_ListsThemAndNoAddresses()
    {
        Factory.Emulator.State.Mutate(s =>
        {
            var ct = s.FindContainer(102)!;
            ct.Pending["cores"] = "4";
            ct.PendingDelete.Add("description");
        });
        try
        {
            var (status, body, response) = await GetJsonAsync(_admin, "/api/v1/containers/102");

            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
            var pending = body.GetProperty("pendingChanges").EnumerateArray().ToList();
            var cores = pending.Single(p => p.GetProperty("key").GetString() == "cores");
            Assert.Multiple(() =>
            {
                Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("stopped"));
                Assert.That(body.GetProperty("interfaces").GetArrayLength(), Is.Zero);
                Assert.That(cores.GetProperty("value").GetString(), Is.EqualTo("1"));
                Assert.That(cores.GetProperty("pending").GetString(), Is.EqualTo("4"));
                Assert.That(cores.GetProperty("delete").GetBoolean(), Is.False);
                Assert.That(body.GetProperty("config").GetProperty("cores").GetInt32(), Is.EqualTo(4), "config includes pending values, like Proxmox");
                Assert.That(pending.Any(p => p.GetProperty("key").GetString() == "description" && p.GetProperty("delete").GetBoolean()), Is.True);
                Assert.That(response.Headers.ETag?.Tag, Is.EqualTo($"\"{Factory.Emulator.State.FindContainer(102)!.Digest}\""));
            });
        }
        finally
        {
            Factory.Emulator.State.Mutate(s =>
            {
                var ct = s.FindContainer(102)!;
                ct.Pending.Clear();
                ct.PendingDelete.Clear();
            });
        }
    }

    [Test]
    public async Task Get_LockedContainer_ShowsLock()
    {
        Factory.Emulator.State.SetLock(101, "backup");
        try
        {
            var (status, body, _) = await GetJsonAsync(_admin, "/api/v1/containers/101");

            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("lock").GetString(), Is.EqualTo("backup"));
        }
        finally
        {
            Factory.Emulator.State.SetLock(101, null);
        }
    }

    [Test]
    public async Task Get_Success_RecordsOperationRowWithVmidAndNode()
    {
        var (_, _, response) = await GetJsonAsync(_admin, "/api/v1/containers/101");

        var row = await Factory.WaitForOperationRowAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(row.Action, Is.EqualTo("GetContainer"));
            Assert.That(row.VmId, Is.EqualTo(101));
            Assert.That(row.Node, Is.EqualTo("pve2"));
            Assert.That(row.Outcome, Is.EqualTo(OperationOutcome.Succeeded));
            Assert.That(row.HttpStatus, Is.EqualTo(200));
        });
    }

    [TestCase("/api/v1/containers/4242")]
    [TestCase("/api/v1/containers/4242/status")]
    [TestCase("/api/v1/containers/4242/metrics")]
    [TestCase("/api/v1/containers/4242/snapshots")]
    public async Task Read_UnknownVmid_Returns404ContainerNotFoundAndRecordsRejection(string url)
    {
        var (_, body, response) = await GetJsonAsync(_admin, url);

        await response.ProblemAsync(HttpStatusCode.NotFound, "container_not_found");
        var row = await Factory.WaitForOperationRowAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(row.VmId, Is.EqualTo(4242));
            Assert.That(row.Outcome, Is.EqualTo(OperationOutcome.Rejected));
            Assert.That(row.ErrorCode, Is.EqualTo("container_not_found"));
            Assert.That(row.HttpStatus, Is.EqualTo(404));
        });
    }

    [TestCase("/api/v1/containers/99")]
    [TestCase("/api/v1/containers/0/status")]
    [TestCase("/api/v1/containers/-5/metrics")]
    [TestCase("/api/v1/containers/1000000000/snapshots")]
    public async Task Read_VmidOutOfRange_Returns400KeyedVmid(string url)
    {
        var (_, body, response) = await GetJsonAsync(_admin, url);

        await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(ErrorKeys(body), Is.EqualTo(new[] { "vmid" }));
    }

    [TestCase("/api/v1/containers/100")]
    [TestCase("/api/v1/containers/100/status")]
    [TestCase("/api/v1/containers/100/metrics")]
    [TestCase("/api/v1/containers/100/snapshots")]
    public async Task Read_KeyWithoutReadScope_Returns403(string url)
    {
        var key = (await Factory.CreateKeyAsync(["audit:read"], "audit-only")).Key;
        using var client = Factory.CreateClient(key);

        var (_, body, response) = await GetJsonAsync(client, url);

        await response.ProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
    }

    [TestCase("/api/v1/containers/100")]
    [TestCase("/api/v1/containers/100/status")]
    [TestCase("/api/v1/containers/100/metrics")]
    [TestCase("/api/v1/containers/100/snapshots")]
    public async Task Read_NoKey_Returns401(string url)
    {
        using var client = Factory.CreateClient();

        var (_, body, response) = await GetJsonAsync(client, url);

        await response.ProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Test]
    public async Task Status_RunningContainer_ReturnsLiveFigures()
    {
        var (status, body, response) = await GetJsonAsync(_admin, "/api/v1/containers/100/status");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("vmid").GetInt32(), Is.EqualTo(100));
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("running"));
            Assert.That(body.GetProperty("cpus").GetDouble(), Is.EqualTo(2));
            Assert.That(body.GetProperty("cpu").GetDouble(), Is.InRange(0, 2));
            Assert.That(body.GetProperty("uptimeSeconds").GetInt64(), Is.GreaterThanOrEqualTo(0));
            Assert.That(body.GetProperty("memoryBytes").GetInt64(), Is.GreaterThan(0));
            Assert.That(body.GetProperty("maxMemoryBytes").GetInt64(), Is.EqualTo(1L << 30));
            Assert.That(body.GetProperty("maxSwapBytes").GetInt64(), Is.GreaterThanOrEqualTo(0));
            Assert.That(body.GetProperty("swapBytes").GetInt64(), Is.GreaterThanOrEqualTo(0));
            Assert.That(body.GetProperty("maxDiskBytes").GetInt64(), Is.EqualTo(8L << 30));
            Assert.That(body.GetProperty("diskBytes").GetInt64(), Is.GreaterThanOrEqualTo(0));
            foreach (var counter in new[] { "netInBytes", "netOutBytes", "diskReadBytes", "diskWriteBytes" })
            {
                Assert.That(body.GetProperty(counter).GetInt64(), Is.GreaterThanOrEqualTo(0), counter);
            }

            Assert.That(body.GetProperty("lock").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(body.GetProperty("ha").GetProperty("managed").GetBoolean(), Is.False);
        });
        var row = await Factory.WaitForOperationRowAsync(response);
        Assert.That((row.Action, row.VmId, row.Node, row.Outcome), Is.EqualTo(("GetContainerStatus", (int?)100, "pve1", OperationOutcome.Succeeded)));
    }

    [Test]
    public async Task Status_StoppedContainer_ReportsStoppedWithZeroUptime()
    {
        var (status, body, _) = await GetJsonAsync(_admin, "/api/v1/containers/101/status");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("stopped"));
        Assert.That(body.GetProperty("uptimeSeconds").GetInt64(), Is.Zero);
    }

    [Test]
    public async Task Metrics_Defaults_ReturnsHourOfAveragedPoints()
    {
        Factory.Emulator.Journal.Reset();

        var (status, body, _) = await GetJsonAsync(_admin, "/api/v1/containers/100/metrics");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        var points = body.GetProperty("points").EnumerateArray().ToList();
        var withData = points.Where(p => p.GetProperty("cpu").ValueKind == JsonValueKind.Number).ToList();
        var rrd = Factory.Emulator.Journal.Entries.Single(e => e.Path.EndsWith("/rrddata", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("timeframe").GetString(), Is.EqualTo("hour"));
            Assert.That(body.GetProperty("cf").GetString(), Is.EqualTo("average"));
            Assert.That(rrd.Parameters["timeframe"], Is.EqualTo("hour"));
            Assert.That(rrd.Parameters["cf"], Is.EqualTo("AVERAGE"));
            Assert.That(points, Has.Count.GreaterThan(0));
            Assert.That(points.Select(p => p.GetProperty("time").GetDateTimeOffset()), Is.Ordered);
            Assert.That(withData, Is.Not.Empty);
            Assert.That(withData.Select(p => p.GetProperty("cpu").GetDouble()), Has.All.InRange(0, 2));
            foreach (var field in new[] { "memoryBytes", "maxMemoryBytes", "netInBytesPerSecond", "netOutBytesPerSecond", "diskReadBytesPerSecond", "diskWriteBytesPerSecond" })
            {
                Assert.That(withData[0].TryGetProperty(field, out _), Is.True, field);
            }
        });
    }

    [Test]
    public async Task Metrics_DayMax_PassesTimeframeAndConsolidationToProxmox()
    {
        Factory.Emulator.Journal.Reset();

        var (status, body, _) = await GetJsonAsync(_admin, "/api/v1/containers/101/metrics?timeframe=day&cf=max");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        var rrd = Factory.Emulator.Journal.Entries.Single(e => e.Path.EndsWith("/rrddata", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("timeframe").GetString(), Is.EqualTo("day"));
            Assert.That(body.GetProperty("cf").GetString(), Is.EqualTo("max"));
            Assert.That(rrd.Parameters["timeframe"], Is.EqualTo("day"));
            Assert.That(rrd.Parameters["cf"], Is.EqualTo("MAX"));
            Assert.That(rrd.Path, Does.StartWith("/nodes/pve2/lxc/101/"));
        });
    }

    [TestCase("timeframe=minute", "timeframe")]
    [TestCase("timeframe=HOUR%2C", "timeframe")]
    [TestCase("cf=min", "cf")]
    [TestCase("cf=AVERAGE%0A", "cf")]
    public async Task Metrics_BadEnum_Returns400KeyedByParameter(string query, string field)
    {
        var (_, body, response) = await GetJsonAsync(_admin, "/api/v1/containers/100/metrics?" + query);

        await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(ErrorKeys(body), Is.EqualTo(new[] { field }));
    }

    [Test]
    public async Task Snapshots_ContainerWithSnapshots_ListsThemOldestFirstWithoutCurrent()
    {
        var (status, body, response) = await GetJsonAsync(_admin, "/api/v1/containers/100/snapshots");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(items.Select(i => i.GetProperty("name").GetString()), Is.EqualTo(new[] { "before-upgrade", "after-upgrade" }));
            Assert.That(items[0].GetProperty("description").GetString(), Is.EqualTo("Before the upgrade"));
            Assert.That(items[1].GetProperty("parent").GetString(), Is.EqualTo("before-upgrade"));
            Assert.That(items[0].GetProperty("createdAt").ValueKind, Is.EqualTo(JsonValueKind.String));
            Assert.That(body.GetProperty("nextCursor").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
        var row = await Factory.WaitForOperationRowAsync(response);
        Assert.That((row.Action, row.VmId, row.Outcome), Is.EqualTo(("ListSnapshots", (int?)100, OperationOutcome.Succeeded)));
    }

    [Test]
    public async Task Snapshots_ContainerWithoutSnapshots_ReturnsEmptyList()
    {
        var (status, body, _) = await GetJsonAsync(_admin, "/api/v1/containers/101/snapshots");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("items").GetArrayLength(), Is.Zero);
    }
}
