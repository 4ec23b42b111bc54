using System.Net;
using System.Text.Json;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;
using static ProxmoxLxc.WebApi.FunctionalTests.Containers.Reads.ReadTestSupport;

namespace ProxmoxLxc.WebApi.FunctionalTests.Containers.Reads;

/// <summary>GET /api/v1/containers: filters, restriction, keyset pagination, one Proxmox call, validation, audit.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Fixtures)]
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class ContainerListTests(DatabaseProvider provider) : ApiFixture(provider)
{
    private HttpClient _admin = null!;

    /// <summary>Seed 100–102 plus 300–311 on pve2 (tag <c>batch</c>, even ids also <c>even</c>), 311 turned into a template.</summary>
    [OneTimeSetUp]
    public async Task SetUpFixtureAsync()
    {
        _admin = Factory.CreateAdminClient();
        await Task.WhenAll(Enumerable.Range(300, 12).Select(id =>
            CreateInEmulatorAsync(Factory.Emulator, id, "pve2", $"bulk{id}", id % 2 == 0 ? "batch;even" : "batch")));
        Factory.Emulator.State.Mutate(s => s.FindContainer(311)!.Config["template"] = "1");
    }

    [OneTimeTearDown]
    public void DisposeClients()
    {
        _admin.Dispose();
    }

    [Test]
    public async Task List_NoFilters_ReturnsEveryContainerOrderedByVmidWithSummaryFields()
    {
        var (status, body, _) = await GetJsonAsync(_admin, "/api/v1/containers");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        var expected = Factory.Emulator.State.Containers.Select(c => c.Vmid).Order().ToList();
        Assert.That(VmIds(body), Is.EqualTo(expected));
        Assert.That(body.GetProperty("nextCursor").ValueKind, Is.EqualTo(JsonValueKind.Null));
        var web1 = body.GetProperty("items")[0];
        Assert.Multiple(() =>
        {
            Assert.That(web1.GetProperty("vmid").GetInt32(), Is.EqualTo(100));
            Assert.That(web1.GetProperty("name").GetString(), Is.EqualTo("web1"));
            Assert.That(web1.GetProperty("node").GetString(), Is.EqualTo("pve1"));
            Assert.That(web1.GetProperty("status").GetString(), Is.EqualTo("running"));
            Assert.That(web1.GetProperty("cpus").GetDouble(), Is.EqualTo(2));
            Assert.That(web1.GetProperty("cpu").GetDouble(), Is.InRange(0, 2));
            Assert.That(web1.GetProperty("maxMemoryBytes").GetInt64(), Is.EqualTo(1L << 30));
            Assert.That(web1.GetProperty("memoryBytes").GetInt64(), Is.GreaterThan(0));
            Assert.That(web1.GetProperty("maxDiskBytes").GetInt64(), Is.EqualTo(8L << 30));
            Assert.That(web1.GetProperty("uptimeSeconds").GetInt64(), Is.GreaterThanOrEqualTo(0));
            Assert.That(web1.GetProperty("tags").EnumerateArray().Select(t => t.GetString()), Is.EquivalentTo(new[] { "prod", "web" }));
            Assert.That(web1.GetProperty("pool").GetString(), Is.EqualTo("web"));
            Assert.That(web1.GetProperty("template").GetBoolean(), Is.False);
        });
    }

    [Test]
    public async Task List_Template_IsFlagged()
    {
        var (status, body, _) = await GetJsonAsync(_admin, "/api/v1/containers?search=bulk311");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var item = body.GetProperty("items").EnumerateArray().Single();
        Assert.That(item.GetProperty("template").GetBoolean(), Is.True);
    }

    [Test]
    public async Task List_MakesExactlyOneProxmoxCall()
    {
        // Tests of a fixture run one after another, so the journal only holds this request.
        Factory.Emulator.Journal.Reset();

        var (status, _, _) = await GetJsonAsync(_admin, "/api/v1/containers?limit=2");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.Multiple(() =>
        {
            Assert.That(Factory.Emulator.Journal.TotalCount, Is.EqualTo(1));
            Assert.That(Factory.Emulator.Journal.Count("GET", "/cluster/resources"), Is.EqualTo(1));
        });
    }

    [TestCase("node=pve1", new[] { 100, 102 })]
    [TestCase("status=running", new[] { 100 })]
    [TestCase("pool=db", new[] { 101 })]
    [TestCase("tag=prod", new[] { 100, 101 })]
    [TestCase("tag=EVEN", new[] { 300, 302, 304, 306, 308, 310 })]
    [TestCase("search=CACHE", new[] { 102 })]
    [TestCase("search=30", new[] { 300, 301, 302, 303, 304, 305, 306, 307, 308, 309 })]
    [TestCase("node=pve2&status=stopped&tag=prod", new[] { 101 })]
    [TestCase("node=pve2&tag=web", new int[0])]
    public async Task List_Filter_ReturnsOnlyMatches(string filter, int[] expected)
    {
        var (status, body, _) = await GetJsonAsync(_admin, "/api/v1/containers?" + filter);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        Assert.That(VmIds(body), Is.EqualTo(expected));
    }

    [TestCase(1)]
    [TestCase(4)]
    [TestCase(5)]
    public async Task List_Paginated_WalksEveryContainerOnceInOrder(int limit)
    {
        var seen = new List<int>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var url = $"/api/v1/containers?limit={limit}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var (status, body, _) = await GetJsonAsync(_admin, url);
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
            var ids = VmIds(body);
            Assert.That(ids, Has.Count.LessThanOrEqualTo(limit));
            seen.AddRange(ids);
            cursor = body.GetProperty("nextCursor").GetString();
            pages++;
            Assert.That(pages, Is.LessThan(100), "pagination does not end");
        }
        while (cursor is not null);

        var expected = Factory.Emulator.State.Containers.Select(c => c.Vmid).Order().ToList();
        Assert.That(seen, Is.EqualTo(expected));
        Assert.That(pages, Is.EqualTo((expected.Count + limit - 1) / limit));
    }

    [Test]
    public async Task List_PaginatedWithFilter_KeepsTheFilterAcrossPages()
    {
        var (_, first, _) = await GetJsonAsync(_admin, "/api/v1/containers?tag=batch&limit=5");
        var cursor = first.GetProperty("nextCursor").GetString();
        var (_, second, _) = await GetJsonAsync(_admin, $"/api/v1/containers?tag=batch&limit=5&cursor={cursor}");
        var (_, third, _) = await GetJsonAsync(_admin, $"/api/v1/containers?tag=batch&limit=5&cursor={second.GetProperty("nextCursor").GetString()}");

        Assert.Multiple(() =>
        {
            Assert.That(VmIds(first), Is.EqualTo(new[] { 300, 301, 302, 303, 304 }));
            Assert.That(VmIds(second), Is.EqualTo(new[] { 305, 306, 307, 308, 309 }));
            Assert.That(VmIds(third), Is.EqualTo(new[] { 310, 311 }));
            Assert.That(third.GetProperty("nextCursor").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }

    [TestCase("node=pve%201", "node")]
    [TestCase("node=pve1,pve2", "node")]
    [TestCase("node=pve1%0A", "node")]
    [TestCase("pool=web%0A", "pool")]
    [TestCase("tag=prod%0A", "tag")]
    [TestCase("status=paused", "status")]
    [TestCase("pool=web%3Bdb", "pool")]
    [TestCase("tag=prod%3Bweb", "tag")]
    [TestCase("tag=a%3Db", "tag")]
    [TestCase("search=a%0Ab", "search")]
    [TestCase("search=%00", "search")]
    [TestCase("limit=0", "limit")]
    [TestCase("limit=501", "limit")]
    [TestCase("limit=ten", "limit")]
    [TestCase("cursor=not-a-cursor", "cursor")]
    public async Task List_InvalidParameter_Returns400KeyedByParameter(string query, string field)
    {
        var (_, body, response) = await GetJsonAsync(_admin, "/api/v1/containers?" + query);

        await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(ErrorKeys(body), Is.EqualTo(new[] { field }));
    }

    [Test]
    public async Task List_SearchTooLong_Returns400()
    {
        var (status, body, _) = await GetJsonAsync(_admin, "/api/v1/containers?search=" + new string('a', 101));

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(ErrorKeys(body), Is.EqualTo(new[] { "search" }));
    }

    [Test]
    public async Task List_KeyWithoutReadScope_Returns403AndRecordsRejection()
    {
        var key = (await Factory.CreateKeyAsync(["containers:power"], "power-only")).Key;
        using var client = Factory.CreateClient(key);

        var (_, body, response) = await GetJsonAsync(client, "/api/v1/containers");

        await response.ProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.That(body.GetProperty("requiredScope").GetString(), Is.EqualTo("containers:read"));
        var row = await Factory.WaitForOperationRowAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(row.Action, Is.EqualTo("ListContainers"));
            Assert.That(row.Outcome, Is.EqualTo(OperationOutcome.Rejected));
            Assert.That(row.HttpStatus, Is.EqualTo(403));
        });
    }

    [Test]
    public async Task List_NoKey_Returns401()
    {
        using var client = Factory.CreateClient();

        var (_, body, response) = await GetJsonAsync(client, "/api/v1/containers");

        await response.ProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        var row = await Factory.WaitForOperationRowAsync(response);
        Assert.That(row.HttpStatus, Is.EqualTo(401));
    }

    [Test]
    public async Task List_Success_RecordsOperationRow()
    {
        var (status, _, response) = await GetJsonAsync(_admin, "/api/v1/containers?node=pve1");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var row = await Factory.WaitForOperationRowAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(row.Action, Is.EqualTo("ListContainers"));
            Assert.That(row.Outcome, Is.EqualTo(OperationOutcome.Succeeded));
            Assert.That(row.HttpStatus, Is.EqualTo(200));
            Assert.That(row.IsMutating, Is.False);
            Assert.That(row.Parameters, Does.Contain("pve1"));
        });
    }
}
