using System.Net;
using System.Text.Json;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;
using static ProxmoxLxc.WebApi.FunctionalTests.Containers.Reads.ReadTestSupport;

namespace ProxmoxLxc.WebApi.FunctionalTests.Containers.Reads;

/// <summary>Keys restricted to a pool or a node never see anything outside it, by any read route.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Fixtures)]
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class RestrictedReadTests(DatabaseProvider provider) : ApiFixture(provider)
{
    private HttpClient _webOnly = null!;
    private HttpClient _pve2Only = null!;

    [OneTimeSetUp]
    public async Task SetUpFixtureAsync()
    {
        var webKey = (await Factory.CreateKeyAsync(["containers:read"], "web portal", new { allowedPools = new[] { "web" } })).Key;
        var pve2Key = (await Factory.CreateKeyAsync(["containers:read"], "pve2 portal", new { allowedNodes = new[] { "pve2" } })).Key;
        _webOnly = Factory.CreateClient(webKey);
        _pve2Only = Factory.CreateClient(pve2Key);
    }

    [OneTimeTearDown]
    public void DisposeClients()
    {
        _webOnly.Dispose();
        _pve2Only.Dispose();
    }

    [Test]
    public async Task List_PoolRestrictedKey_SeesOnlyItsPool()
    {
        var (status, all, _) = await GetJsonAsync(_webOnly, "/api/v1/containers");
        var (_, db, _) = await GetJsonAsync(_webOnly, "/api/v1/containers?pool=db");
        var (_, pve2, _) = await GetJsonAsync(_webOnly, "/api/v1/containers?node=pve2");
        var (_, search, _) = await GetJsonAsync(_webOnly, "/api/v1/containers?search=db1");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.Multiple(() =>
        {
            Assert.That(VmIds(all), Is.EqualTo(new[] { 100 }));
            Assert.That(VmIds(db), Is.Empty);
            Assert.That(VmIds(pve2), Is.Empty);
            Assert.That(VmIds(search), Is.Empty);
        });
    }

    [TestCase("/api/v1/containers/{0}")]
    [TestCase("/api/v1/containers/{0}/status")]
    [TestCase("/api/v1/containers/{0}/metrics")]
    [TestCase("/api/v1/containers/{0}/snapshots")]
    public async Task Read_OutsideRestriction_IsIndistinguishableFromMissing(string template)
    {
        var (visible, _, _) = await GetJsonAsync(_webOnly, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, 100));
        var (_, hidden, hiddenResponse) = await GetJsonAsync(_webOnly, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, 101));
        var (_, _, noPoolResponse) = await GetJsonAsync(_webOnly, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, 102));
        var (_, missing, missingResponse) = await GetJsonAsync(_webOnly, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, 4242));

        Assert.That(visible, Is.EqualTo(HttpStatusCode.OK));
        await hiddenResponse.ProblemAsync(HttpStatusCode.NotFound, "container_not_found");
        await noPoolResponse.ProblemAsync(HttpStatusCode.NotFound, "container_not_found");
        await missingResponse.ProblemAsync(HttpStatusCode.NotFound, "container_not_found");
        Assert.Multiple(() =>
        {
            Assert.That(hidden.GetProperty("detail").GetString(), Is.EqualTo(missing.GetProperty("detail").GetString()!.Replace("4242", "101", StringComparison.Ordinal)));
            // Every member but the random trace ids (hex: "db1581…" once read as naming db1).
            Assert.That(string.Join('\n', hidden.EnumerateObject().Where(m => m.Name is not ("traceId" or "activityId")).Select(m => $"{m.Name}={m.Value}")),
                Does.Not.Contain("pve2").And.Not.Contain("db1"));
        });
    }

    [Test]
    public async Task Batch_OutsideRestriction_AnswersContainerNotFoundLikeMissingIds()
    {
        var (status, body, _) = await GetJsonAsync(_webOnly, "/api/v1/containers/status?vmid=101&vmid=100&vmid=102&vmid=4242");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        var items = body.GetProperty("items").EnumerateArray().ToList();
        static string Shape(JsonElement e) => string.Join(",", e.EnumerateObject().Select(p => p.Name + "=" + (p.Name == "vmid" ? "?" : p.Value.ToString())));
        Assert.Multiple(() =>
        {
            Assert.That(items.Select(i => i.GetProperty("vmid").GetInt32()), Is.EqualTo(new[] { 101, 100, 102, 4242 }));
            Assert.That(items[1].GetProperty("status").GetString(), Is.EqualTo("running"));
            Assert.That(items[0].GetProperty("error").GetString(), Is.EqualTo("container_not_found"));
            Assert.That(Shape(items[0]), Is.EqualTo(Shape(items[3])));
            Assert.That(Shape(items[2]), Is.EqualTo(Shape(items[3])));
        });
    }

    [Test]
    public async Task List_NodeRestrictedKey_SeesOnlyContainersOnItsNode()
    {
        var (status, body, _) = await GetJsonAsync(_pve2Only, "/api/v1/containers");
        var (detailStatus, _, _) = await GetJsonAsync(_pve2Only, "/api/v1/containers/100");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(VmIds(body), Is.EqualTo(new[] { 101 }));
        Assert.That(detailStatus, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Nodes_NodeRestrictedKey_SeesOnlyItsNode()
    {
        var (status, body, _) = await GetJsonAsync(_pve2Only, "/api/v1/nodes");
        var (_, poolKeyNodes, _) = await GetJsonAsync(_webOnly, "/api/v1/nodes");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("node").GetString()), Is.EqualTo(new[] { "pve2" }));
        Assert.That(poolKeyNodes.GetProperty("items").GetArrayLength(), Is.EqualTo(2), "a pool restriction does not hide nodes");
    }

    [Test]
    public async Task Templates_NodeRestrictedKey_SeesOnlyTemplatesOfItsNode()
    {
        var (status, body, _) = await GetJsonAsync(_pve2Only, "/api/v1/templates");
        var (pve1Status, pve1, _) = await GetJsonAsync(_pve2Only, "/api/v1/templates?node=pve1");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(items.Select(t => t.GetProperty("node").GetString()), Has.All.EqualTo("pve2"));
            Assert.That(items.Select(t => t.GetProperty("volid").GetString()), Is.EquivalentTo(new[]
            {
                "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
                "local:vztmpl/ubuntu-24.04-standard_24.04-2_amd64.tar.zst",
            }));
            Assert.That(pve1Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(pve1.GetProperty("items").GetArrayLength(), Is.Zero);
        });
    }
}
