using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Containers;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;
using static ProxmoxLxc.WebApi.FunctionalTests.Containers.Reads.ReadTestSupport;

namespace ProxmoxLxc.WebApi.FunctionalTests.Containers.Reads;

/// <summary>GET /api/v1/containers/status?vmid=…: one Proxmox call per batch, one entry per id in order.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Fixtures)]
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class BatchStatusTests(DatabaseProvider provider) : ApiFixture(provider)
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

    private static string Url(IEnumerable<int> ids) => "/api/v1/containers/status?" + string.Join('&', ids.Select(id => $"vmid={id}"));

    [Test]
    public async Task Batch_500Ids_MakesExactlyOneProxmoxCallAndAnswersEveryIdInOrder()
    {
        // 500 ids in a scrambled order, the three seed containers among them.
        var ids = Enumerable.Range(100, 500).Reverse().ToList();
        (ids[0], ids[^1]) = (ids[^1], ids[0]); // 100 first, 599 last
        await GetJsonAsync(_admin, "/api/v1/containers/status?vmid=100"); // warm up (authentication, caches)
        Factory.Emulator.Journal.Reset();

        var (status, body, _) = await GetJsonAsync(_admin, Url(ids));

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(Factory.Emulator.Journal.TotalCount, Is.EqualTo(1), string.Join(", ", Factory.Emulator.Journal.Entries.Select(e => e.Path)));
            Assert.That(Factory.Emulator.Journal.Count("GET", "/cluster/resources"), Is.EqualTo(1));
        });
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.That(items.Select(i => i.GetProperty("vmid").GetInt32()), Is.EqualTo(ids));
        var byId = items.ToDictionary(i => i.GetProperty("vmid").GetInt32());
        Assert.Multiple(() =>
        {
            Assert.That(byId[100].GetProperty("status").GetString(), Is.EqualTo("running"));
            Assert.That(byId[100].GetProperty("cpus").GetDouble(), Is.EqualTo(2));
            Assert.That(byId[100].GetProperty("maxMemoryBytes").GetInt64(), Is.EqualTo(1L << 30));
            Assert.That(byId[100].GetProperty("uptimeSeconds").GetInt64(), Is.GreaterThanOrEqualTo(0));
            Assert.That(byId[100].TryGetProperty("error", out _), Is.False);
            Assert.That(byId[101].GetProperty("status").GetString(), Is.EqualTo("stopped"));
            Assert.That(byId[102].GetProperty("status").GetString(), Is.EqualTo("stopped"));
            var missing = items.Where(i => i.GetProperty("vmid").GetInt32() > 102).ToList();
            Assert.That(missing, Has.Count.EqualTo(497));
            Assert.That(missing.Select(i => i.GetProperty("error").GetString()), Has.All.EqualTo("container_not_found"));
            Assert.That(missing.Select(i => i.EnumerateObject().Count()), Has.All.EqualTo(2), "a missing id answers only {vmid, error}");
        });
    }

    [Test]
    public async Task Batch_DuplicatesAndUnknownIds_AnswerOneEntryPerAskedIdInOrder()
    {
        var (status, body, response) = await GetJsonAsync(_admin, Url([102, 999, 100, 102]));

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(items.Select(i => i.GetProperty("vmid").GetInt32()), Is.EqualTo(new[] { 102, 999, 100, 102 }));
            Assert.That(items[1].GetProperty("error").GetString(), Is.EqualTo("container_not_found"));
            Assert.That(items[2].GetProperty("status").GetString(), Is.EqualTo("running"));
            Assert.That(items[3].GetProperty("status").GetString(), Is.EqualTo("stopped"));
        });
        var row = await Factory.WaitForOperationRowAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(row.Action, Is.EqualTo("GetContainerStatusBatch"));
            Assert.That(row.Outcome, Is.EqualTo(OperationOutcome.Succeeded));
            Assert.That(row.Parameters, Does.Contain("999"));
        });
    }

    [Test]
    public async Task Batch_Answer_SameJsonAsMvcSerializerWithContentLength()
    {
        using var response = await _admin.GetAsync(new Uri(Url(Enumerable.Range(100, 500)), UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        var mvc = Factory.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Mvc.JsonOptions>>().Value.JsonSerializerOptions;
        var answer = JsonSerializer.Deserialize<ContainerStatusBatchDto>(text, mvc)!;
        Assert.Multiple(() =>
        {
            Assert.That(text, Is.EqualTo(JsonSerializer.Serialize(answer, mvc)));
            Assert.That(answer.Items, Has.Count.EqualTo(500));
            Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(System.Text.Encoding.UTF8.GetByteCount(text)));
            Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("application/json; charset=utf-8"));
        });
    }

    [Test]
    public async Task Batch_ConsecutiveIds_AuditRowRecordsTheIdsAsRuns()
    {
        var (status, body, response) = await GetJsonAsync(_admin, Url([.. Enumerable.Range(100, 400), 42_000]));

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        var row = await Factory.WaitForOperationRowAsync(response);
        Assert.That(row.Parameters, Is.EqualTo("""{"vmIds":"100-499,42000"}"""));
    }

    [Test]
    public async Task Batch_501Ids_Returns400KeyedVmidWithoutCallingProxmox()
    {
        Factory.Emulator.Journal.Reset();

        var (_, body, response) = await GetJsonAsync(_admin, Url(Enumerable.Range(100, 501)));

        await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Multiple(() =>
        {
            Assert.That(ErrorKeys(body), Is.EqualTo(new[] { "vmid" }));
            Assert.That(Factory.Emulator.Journal.TotalCount, Is.Zero);
        });
    }

    [TestCase("")]
    [TestCase("?vmid=42")]
    [TestCase("?vmid=100&vmid=1000000000")]
    [TestCase("?vmid=abc")]
    [TestCase("?vmid=100&vmid=1%2C2")]
    public async Task Batch_InvalidIds_Returns400KeyedVmid(string query)
    {
        var (_, body, response) = await GetJsonAsync(_admin, "/api/v1/containers/status" + query);

        await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(ErrorKeys(body), Is.EqualTo(new[] { "vmid" }));
    }

    [Test]
    public async Task Batch_KeyWithoutReadScope_Returns403()
    {
        var key = (await Factory.CreateKeyAsync(["containers:write"], "writer")).Key;
        using var client = Factory.CreateClient(key);

        var (_, body, response) = await GetJsonAsync(client, Url([100]));

        await response.ProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
    }

    [Test]
    public async Task Batch_NoKey_Returns401()
    {
        using var client = Factory.CreateClient();

        var (status, _, _) = await GetJsonAsync(client, Url([100]));

        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
