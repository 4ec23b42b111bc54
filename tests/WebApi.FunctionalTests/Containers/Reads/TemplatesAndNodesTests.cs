using System.Net;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;
using static ProxmoxLxc.WebApi.FunctionalTests.Containers.Reads.ReadTestSupport;

namespace ProxmoxLxc.WebApi.FunctionalTests.Containers.Reads;

/// <summary>GET /api/v1/templates and GET /api/v1/nodes.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Fixtures)]
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class TemplatesAndNodesTests(DatabaseProvider provider) : ApiFixture(provider)
{
    private HttpClient _admin = null!;

    [OneTimeSetUp]
    public void SetUpFixture()
    {
        _admin = Factory.CreateAdminClient();
    }

    [OneTimeTearDown]
    public void DisposeClients()
    {
        _admin.Dispose();
    }

    [Test]
    public async Task Templates_Admin_ListsTemplatesOfEveryOnlineNode()
    {
        var (status, body, response) = await GetJsonAsync(_admin, "/api/v1/templates");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        var items = body.GetProperty("items").EnumerateArray().ToList();
        var alpine = items.Single(t => t.GetProperty("volid").GetString()!.Contains("alpine", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(items.Select(t => $"{t.GetProperty("node").GetString()}/{t.GetProperty("volid").GetString()}"), Is.EqualTo(new[]
            {
                "pve1/local:vztmpl/alpine-3.20-default_20240908_amd64.tar.xz",
                "pve1/local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
                "pve1/local:vztmpl/ubuntu-24.04-standard_24.04-2_amd64.tar.zst",
                "pve2/local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
                "pve2/local:vztmpl/ubuntu-24.04-standard_24.04-2_amd64.tar.zst",
            }));
            Assert.That(alpine.GetProperty("name").GetString(), Is.EqualTo("alpine-3.20-default_20240908_amd64.tar.xz"));
            Assert.That(alpine.GetProperty("storage").GetString(), Is.EqualTo("local"));
            Assert.That(alpine.GetProperty("sizeBytes").GetInt64(), Is.GreaterThan(0));
            Assert.That(body.GetProperty("nextCursor").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
        });
        var row = await Factory.WaitForOperationRowAsync(response);
        Assert.That((row.Action, row.Outcome, row.HttpStatus), Is.EqualTo(("ListTemplates", OperationOutcome.Succeeded, (int?)200)));
    }

    [TestCase("node=pve1", 3)]
    [TestCase("node=pve2", 2)]
    [TestCase("node=pve9", 0)]
    [TestCase("storage=local", 5)]
    [TestCase("storage=local-lvm", 0)]
    [TestCase("node=pve2&storage=local", 2)]
    public async Task Templates_Filter_ReturnsMatchingTemplates(string query, int expected)
    {
        var (status, body, _) = await GetJsonAsync(_admin, "/api/v1/templates?" + query);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        Assert.That(body.GetProperty("items").GetArrayLength(), Is.EqualTo(expected));
    }

    [Test]
    public async Task Templates_OfflineNode_IsSkipped()
    {
        Factory.Emulator.State.SetNodeOnline("pve2", false);
        try
        {
            var (status, body, _) = await GetJsonAsync(_admin, "/api/v1/templates");

            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
            Assert.That(body.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("node").GetString()), Has.All.EqualTo("pve1"));
            Assert.That(body.GetProperty("items").GetArrayLength(), Is.EqualTo(3));
        }
        finally
        {
            Factory.Emulator.State.SetNodeOnline("pve2", true);
        }
    }

    [TestCase("node=pve%201", "node")]
    [TestCase("node=pve1%2Cpve2", "node")]
    [TestCase("node=pve1%0A", "node")]
    [TestCase("storage=Local", "storage")]
    [TestCase("storage=local%3Dx", "storage")]
    [TestCase("storage=local%0A", "storage")]
    public async Task Templates_InvalidParameter_Returns400KeyedByParameter(string query, string field)
    {
        var (_, body, response) = await GetJsonAsync(_admin, "/api/v1/templates?" + query);

        await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(ErrorKeys(body), Is.EqualTo(new[] { field }));
    }

    [Test]
    public async Task Nodes_Admin_ListsNodesWithUse()
    {
        var (status, body, response) = await GetJsonAsync(_admin, "/api/v1/nodes");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.That(items.Select(n => n.GetProperty("node").GetString()), Is.EqualTo(new[] { "pve1", "pve2" }));
        Assert.Multiple(() =>
        {
            foreach (var node in items)
            {
                Assert.That(node.GetProperty("status").GetString(), Is.EqualTo("online"));
                Assert.That(node.GetProperty("cpus").GetDouble(), Is.EqualTo(8));
                Assert.That(node.GetProperty("cpu").GetDouble(), Is.InRange(0, 8));
                Assert.That(node.GetProperty("maxMemoryBytes").GetInt64(), Is.EqualTo(32L << 30));
                Assert.That(node.GetProperty("memoryBytes").GetInt64(), Is.InRange(1, 32L << 30));
                Assert.That(node.GetProperty("maxDiskBytes").GetInt64(), Is.GreaterThan(0));
                Assert.That(node.GetProperty("diskBytes").GetInt64(), Is.InRange(0, node.GetProperty("maxDiskBytes").GetInt64()));
                Assert.That(node.GetProperty("uptimeSeconds").GetInt64(), Is.GreaterThanOrEqualTo(0));
            }
        });
        var row = await Factory.WaitForOperationRowAsync(response);
        Assert.That((row.Action, row.Outcome), Is.EqualTo(("ListNodes", OperationOutcome.Succeeded)));
    }

    [Test]
    public async Task Nodes_OfflineNode_IsListedAsOffline()
    {
        Factory.Emulator.State.SetNodeOnline("pve2", false);
        try
        {
            var (status, body, _) = await GetJsonAsync(_admin, "/api/v1/nodes");

            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            var pve2 = body.GetProperty("items").EnumerateArray().Single(n => n.GetProperty("node").GetString() == "pve2");
            Assert.That(pve2.GetProperty("status").GetString(), Is.EqualTo("offline"));
        }
        finally
        {
            Factory.Emulator.State.SetNodeOnline("pve2", true);
        }
    }

    [TestCase("/api/v1/templates")]
    [TestCase("/api/v1/nodes")]
    public async Task Read_KeyWithoutReadScope_Returns403(string url)
    {
        var key = (await Factory.CreateKeyAsync(["keys:admin"], "keys admin")).Key;
        using var client = Factory.CreateClient(key);

        var (_, body, response) = await GetJsonAsync(client, url);

        await response.ProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        var row = await Factory.WaitForOperationRowAsync(response);
        Assert.That(row.Outcome, Is.EqualTo(OperationOutcome.Rejected));
    }

    [TestCase("/api/v1/templates")]
    [TestCase("/api/v1/nodes")]
    public async Task Read_NoKey_Returns401(string url)
    {
        using var client = Factory.CreateClient();

        var (_, body, response) = await GetJsonAsync(client, url);

        await response.ProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }
}
