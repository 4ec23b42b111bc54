using System.Net;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Containers.Writes;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;
using static ProxmoxLxc.WebApi.FunctionalTests.Containers.Reads.ReadTestSupport;

namespace ProxmoxLxc.WebApi.FunctionalTests.Performance;

/// <summary>
/// The inventory view with its default maximum age (5 s) and a controllable clock: Proxmox calls per read counted in
/// the emulator journal; containers moved or removed behind the API's back; changes made through the API.
/// Tests of this fixture run one after another (they reset the shared journal).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Fixtures)]
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class InventoryTests(DatabaseProvider provider)
{
    private const string Resources = "/cluster/resources";
    private const string StatusRoute = "/nodes/{node}/lxc/{vmid}/status/current";
    private ApiFactory _factory = null!;
    private HttpClient _admin = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _factory = new ApiFactory(new() { Database = TestDatabase.Create(provider) });
        _factory.Settings["Proxmox:InventoryMaxAgeSeconds"] = "5";
        _admin = _factory.CreateAdminClient();
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        _admin.Dispose();
        await _factory.DisposeAsync();
    }

    [SetUp]
    public async Task Warm()
    {
        _factory.Emulator.Faults.Clear();
        _factory.Time.Advance(TimeSpan.FromSeconds(6)); // whatever a previous test left is now too old
        var (status, body, _) = await GetJsonAsync(_admin, "/api/v1/containers");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        _factory.Emulator.Journal.Reset();
    }

    /// <summary>The journal without task polls (followers of earlier tests' operations may still poll their tasks).</summary>
    private List<ProxmoxEmulator.JournalEntry> Calls() =>
        _factory.Emulator.Journal.Entries.Where(e => !e.Path.Contains("/tasks/", StringComparison.Ordinal)).ToList();

    private string Journal() => string.Join(", ", _factory.Emulator.Journal.Entries.Select(e => $"{e.Method} {e.Path} {e.Status}"));

    [Test]
    public async Task ListAndBatch_WithinMaxAge_NoProxmoxCallAndAgeHeader_AfterMaxAgeOneRefresh()
    {
        _factory.Time.Advance(TimeSpan.FromSeconds(3));
        var (listStatus, _, list) = await GetJsonAsync(_admin, "/api/v1/containers");
        var (batchStatus, batch, batchResponse) = await GetJsonAsync(_admin, "/api/v1/containers/status?vmid=100&vmid=101");

        Assert.Multiple(() =>
        {
            Assert.That(listStatus, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(batchStatus, Is.EqualTo(HttpStatusCode.OK), batch.ToString());
            Assert.That(Calls().Count, Is.Zero, Journal());
            Assert.That(list.Headers.Age, Is.EqualTo(TimeSpan.FromSeconds(3)));
            Assert.That(batchResponse.Headers.Age, Is.EqualTo(TimeSpan.FromSeconds(3)));
        });

        _factory.Time.Advance(TimeSpan.FromSeconds(2)); // 5 s: no longer younger than the maximum age
        var (_, _, refreshed) = await GetJsonAsync(_admin, "/api/v1/containers");
        await GetJsonAsync(_admin, "/api/v1/containers/status?vmid=100");

        Assert.Multiple(() =>
        {
            Assert.That(_factory.Emulator.Journal.Count("GET", Resources), Is.EqualTo(1), Journal());
            Assert.That(Calls().Count, Is.EqualTo(1), Journal());
            Assert.That(refreshed.Headers.Age, Is.EqualTo(TimeSpan.Zero));
        });
    }

    [Test]
    public async Task Status_SteadyState_OneProxmoxCall()
    {
        var (status, body, _) = await GetJsonAsync(_admin, "/api/v1/containers/100/status");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(Calls().Count, Is.EqualTo(1), Journal());
            Assert.That(_factory.Emulator.Journal.Count("GET", StatusRoute), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Detail_RunningContainer_ThreeProxmoxCallsMadeConcurrently()
    {
        // Every call of the detail takes 400 ms: calls in sequence could not all arrive within that window.
        var latency = TimeSpan.FromMilliseconds(400);
        _factory.Emulator.Faults.AddLatency(latency, "^/nodes/pve1/lxc/100/");

        var (status, body, response) = await GetJsonAsync(_admin, "/api/v1/containers/100");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        var calls = Calls();
        Assert.Multiple(() =>
        {
            Assert.That(calls, Has.Count.EqualTo(3), Journal());
            Assert.That(calls.Select(c => c.Path.Split('/').Last()), Is.EquivalentTo(new[] { "pending", "current", "interfaces" }));
            Assert.That(calls.Max(c => c.Timestamp) - calls.Min(c => c.Timestamp), Is.LessThan(latency), "all three arrived before the first answered");
            Assert.That(response.Headers.ETag?.Tag, Is.EqualTo($"\"{body.GetProperty("digest").GetString()}\""));
            Assert.That(body.GetProperty("interfaces").GetArrayLength(), Is.GreaterThan(0));
        });
    }

    [Test]
    public async Task Status_ContainerMovedBehindTheApi_OneRefreshAndOneRetryAnswerFromTheNewNode()
    {
        _factory.Emulator.Engine.MoveContainer(101, "pve1");
        try
        {
            var (status, body, _) = await GetJsonAsync(_admin, "/api/v1/containers/101/status");

            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
            var calls = Calls().Select(e => $"{e.Method} {e.Path}").ToList();
            Assert.That(calls, Is.EqualTo(new[]
            {
                "GET /nodes/pve2/lxc/101/status/current", // the view's node: "does not exist"
                "GET /cluster/resources",                 // one refresh
                "GET /nodes/pve1/lxc/101/status/current", // one retry
            }), Journal());

            _factory.Emulator.Journal.Reset();
            var (detailStatus, detail, _) = await GetJsonAsync(_admin, "/api/v1/containers/101");
            Assert.That(detailStatus, Is.EqualTo(HttpStatusCode.OK), detail.ToString());
            Assert.Multiple(() =>
            {
                Assert.That(detail.GetProperty("node").GetString(), Is.EqualTo("pve1"));
                Assert.That(_factory.Emulator.Journal.Count("GET", Resources), Is.Zero, "the refreshed view knows the new node");
            });
        }
        finally
        {
            _factory.Emulator.Engine.MoveContainer(101, "pve2");
        }
    }

    [Test]
    public async Task Action_ContainerRemovedBehindTheApi_404AfterOneRefreshAndNoRetry()
    {
        var created = await _admin.RunAsync(HttpMethod.Post, "/api/v1/containers", WriteApi.CreateBody("vanishing"));
        var vmid = created.GetProperty("vmid").GetInt32();
        _factory.Emulator.State.RemoveContainer(vmid);
        _factory.Emulator.Journal.Reset();

        using var start = await _admin.PostAsync($"/api/v1/containers/{vmid}/start");

        Assert.That(start.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), await start.Content.ReadAsStringAsync());
        Assert.Multiple(() =>
        {
            Assert.That(_factory.Emulator.Journal.Count("GET", Resources), Is.EqualTo(1), Journal());
            Assert.That(Calls().Count, Is.EqualTo(2), "the failed read, the refresh, and no retry: " + Journal());
        });
    }

    [Test]
    public async Task CreateAndDelete_ThroughTheApi_VisibleAndGoneAtOnceWithoutRefresh()
    {
        using var created = await _admin.PostAsync("/api/v1/containers", WriteApi.CreateBody("inventoried"));
        var operation = await created.AcceptedAsync();
        var vmid = operation.GetProperty("vmid").GetInt32();

        var (listed, list, _) = await GetJsonAsync(_admin, "/api/v1/containers/status?vmid=" + vmid);
        Assert.Multiple(() =>
        {
            Assert.That(listed, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(list.GetProperty("items")[0].TryGetProperty("error", out _), Is.False, list.ToString());
            Assert.That(_factory.Emulator.Journal.Count("GET", Resources), Is.Zero, "visible without a refresh: " + Journal());
        });

        await _admin.WaitForOperationAsync(operation.GetProperty("id").GetInt64());
        _factory.Emulator.Journal.Reset();
        using var deleted = await _admin.DeleteAsync(new Uri($"/api/v1/containers/{vmid}", UriKind.Relative));
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await deleted.Content.ReadAsStringAsync());
        var (afterDelete, batch, _) = await GetJsonAsync(_admin, "/api/v1/containers/status?vmid=" + vmid);

        Assert.Multiple(() =>
        {
            Assert.That(afterDelete, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(batch.GetProperty("items")[0].GetProperty("error").GetString(), Is.EqualTo("container_not_found"));
            Assert.That(_factory.Emulator.Journal.Count("GET", Resources), Is.Zero, "no refresh was needed: " + Journal());
        });
    }

    [Test]
    public async Task Status_ConcurrentReadsOfOneContainer_OneProxmoxCall()
    {
        // The first read is held for 2 s in the emulator; the others arrive meanwhile and share it.
        _factory.Emulator.Faults.AddLatency(TimeSpan.FromSeconds(2), "^/nodes/pve1/lxc/102/status/current$");

        var reads = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => GetJsonAsync(_admin, "/api/v1/containers/102/status")));

        Assert.Multiple(() =>
        {
            Assert.That(reads.Select(r => r.Status), Has.All.EqualTo(HttpStatusCode.OK));
            Assert.That(_factory.Emulator.Journal.Count("GET", StatusRoute), Is.EqualTo(1), Journal());
        });
    }

    [Test]
    public async Task Inventory_ConcurrentReadsAfterMaxAge_OneRefresh()
    {
        _factory.Emulator.Faults.AddLatency(TimeSpan.FromSeconds(2), "^/cluster/resources$");
        _factory.Time.Advance(TimeSpan.FromSeconds(6));

        var lists = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => GetJsonAsync(_admin, "/api/v1/containers")));

        Assert.Multiple(() =>
        {
            Assert.That(lists.Select(r => r.Status), Has.All.EqualTo(HttpStatusCode.OK));
            Assert.That(_factory.Emulator.Journal.Count("GET", Resources), Is.EqualTo(1), Journal());
        });
    }
}
