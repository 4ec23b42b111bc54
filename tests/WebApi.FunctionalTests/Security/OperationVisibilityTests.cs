using System.Net;
using System.Text.Json;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Security;

/// <summary>
/// A restricted key's view of the operation log: only operations on containers inside its restriction
/// (operations without a container are for unrestricted auditors), for the audit list, for one operation and
/// for a <c>containers:read</c> key's own operations. The bundled emulator holds 100 (pve1, pool web),
/// 101 (pve2, pool db) and 102 (pve1, no pool).
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public class OperationVisibilityTests(DatabaseProvider provider)
{
    private const string Action = "test.visibility";

    private ApiFactory _factory = null!;
    private HttpClient _admin = null!;
    private readonly Dictionary<string, long> _rows = new(StringComparer.Ordinal);
    private TestKey _webReader = null!;

    [OneTimeSetUp]
    public async Task StartApiAndSeed()
    {
        _factory = new ApiFactory(new() { Database = TestDatabase.Create(provider) });
        _factory.Settings["RateLimiting:PermitsPerMinute"] = "0";
        _admin = _factory.CreateAdminClient();
        _webReader = await _factory.CreateKeyAsync(["containers:read"], "web reader", new { allowedPools = new[] { "web" } });

        await using var db = _factory.NewDbContext();
        var seeds = new (string Name, string KeyId, int? VmId, string? Node)[]
        {
            ("ct100", "otherKey0001", 100, "pve1"),
            ("ct101", "otherKey0001", 101, "pve2"),
            ("ct102", "otherKey0001", 102, "pve1"),
            ("none", "otherKey0001", null, null),
            ("gone", "otherKey0001", 250, "pve1"),
            ("own100", _webReader.Id, 100, "pve1"),
            ("own101", _webReader.Id, 101, null),
            ("ownGone", _webReader.Id, 260, "pve1"),
            ("ownNone", _webReader.Id, null, null),
        };
        var rows = new List<(string Name, OperationLog Row)>();
        foreach (var (name, keyId, vmId, node) in seeds)
        {
            var row = OperationLog.Begin("seed-" + name, "POST", "/api/v1/seed", "10.0.0.1", _factory.Time.GetUtcNow());
            row.SetCaller(keyId, "seed");
            row.Describe(Action, isMutating: true, "{}", vmId, node);
            row.Succeed(_factory.Time.GetUtcNow(), "OK");
            rows.Add((name, row));
        }

        db.OperationLogs.AddRange(rows.Select(r => r.Row));
        await db.SaveChangesAsync();
        foreach (var (name, row) in rows)
        {
            _rows[name] = row.Id;
        }
    }

    [OneTimeTearDown]
    public async Task StopApi()
    {
        _admin.Dispose();
        await _factory.DisposeAsync();
    }

    private static readonly string[] Everything = ["ct100", "ct101", "ct102", "none", "gone", "own100", "own101", "ownGone", "ownNone"];

    [TestCase("{}", new[] { "ct100", "ct101", "ct102", "none", "gone", "own100", "own101", "ownGone", "ownNone" })]
    [TestCase("""{"allowedPools":["web"]}""", new[] { "ct100", "own100" })]
    [TestCase("""{"allowedNodes":["pve2"]}""", new[] { "ct101" })]
    [TestCase("""{"allowedNodes":["pve1"]}""", new[] { "ct100", "ct102", "gone", "own100", "ownGone" })]
    [TestCase("""{"vmidRange":{"min":101,"max":102}}""", new[] { "ct101", "ct102", "own101" })]
    [TestCase("""{"allowedNodes":["pve1"],"vmidRange":{"min":100,"max":101}}""", new[] { "ct100", "own100" })]
    public async Task Audit_RestrictedAuditor_SeesOnlyOperationsOnContainersInsideItsRestriction(string restriction, string[] expected)
    {
        var auditor = await _factory.CreateKeyAsync(["audit:read"], extra: JsonSerializer.Deserialize<JsonElement>(restriction));
        using var client = _factory.CreateClient(auditor.Key);

        var listed = await ListAsync(client, $"action={Action}&limit=500");
        var one = new List<string>();
        foreach (var name in Everything)
        {
            using var response = await client.GetAsync($"/api/v1/operations/{_rows[name]}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                one.Add(name);
            }
            else
            {
                await response.ProblemAsync(HttpStatusCode.NotFound, "operation_not_found");
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(listed, Is.EquivalentTo(expected), "GET /operations");
            Assert.That(one, Is.EquivalentTo(expected), "GET /operations/{id}");
        });
    }

    [Test]
    public async Task Audit_PoolRestrictedAuditorFilteringByForeignVmId_GetsAnEmptyPage()
    {
        var auditor = await _factory.CreateKeyAsync(["audit:read"], extra: new { allowedPools = new[] { "web" } });
        using var client = _factory.CreateClient(auditor.Key);

        using var response = await client.GetAsync("/api/v1/operations?vmid=101&limit=500");
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.Multiple(() =>
        {
            Assert.That(JsonDocument.Parse(text).RootElement.GetProperty("items").GetArrayLength(), Is.Zero, text);
            Assert.That(text, Does.Not.Contain("pve2"));
        });
    }

    [Test]
    public async Task Get_RestrictedReaderOwnOperations_OnlyThoseInsideItsRestrictionOrOnContainersSinceGone()
    {
        using var client = _factory.CreateClient(_webReader.Key);
        var visible = new List<string>();
        foreach (var name in Everything)
        {
            using var response = await client.GetAsync($"/api/v1/operations/{_rows[name]}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                visible.Add(name);
            }
        }

        Assert.That(visible, Is.EquivalentTo(new[] { "own100", "ownGone" }));
    }

    [Test]
    public async Task Get_UnrestrictedReaderOwnOperations_AllOwnButNoOthers()
    {
        var reader = await _factory.CreateKeyAsync(["containers:read"]);
        await using (var db = _factory.NewDbContext())
        {
            var row = OperationLog.Begin("seed-unrestricted", "GET", "/api/v1/containers", "10.0.0.1", _factory.Time.GetUtcNow());
            row.SetCaller(reader.Id, "seed");
            row.Describe(Action + ".own", isMutating: false, "{}", null, null);
            row.Succeed(_factory.Time.GetUtcNow());
            db.OperationLogs.Add(row);
            await db.SaveChangesAsync();
            _rows["unrestrictedOwn"] = row.Id;
        }

        using var client = _factory.CreateClient(reader.Key);
        using var own = await client.GetAsync($"/api/v1/operations/{_rows["unrestrictedOwn"]}");
        using var others = await client.GetAsync($"/api/v1/operations/{_rows["ct100"]}");

        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await others.ProblemAsync(HttpStatusCode.NotFound, "operation_not_found");
    }

    private async Task<List<string>> ListAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync("/api/v1/operations?" + query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        using var page = JsonDocument.Parse(text);
        var names = _rows.ToDictionary(r => r.Value, r => r.Key);
        return page.RootElement.GetProperty("items").EnumerateArray()
            .Select(i => names.TryGetValue(i.GetProperty("id").GetInt64(), out var n) ? n : "unexpected:" + i.GetProperty("id"))
            .ToList();
    }
}
