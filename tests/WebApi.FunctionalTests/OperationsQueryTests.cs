using System.Net;
using System.Text.Json;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests;

/// <summary>GET /api/v1/operations filters and keyset pagination; GET /api/v1/operations/{id} visibility.</summary>
public class OperationsQueryTests : ApiFixture
{
    private static readonly DateTimeOffset Base = new(2026, 1, 10, 8, 0, 0, TimeSpan.Zero);

    private HttpClient _admin = null!;
    private List<long> _seededNewestFirst = null!;

    [OneTimeSetUp]
    public async Task SetUpFixtureAsync()
    {
        _admin = Factory.CreateAdminClient();
        using (var warmUp = await _admin.GetAsync("/api/v1/keys"))
        {
            warmUp.EnsureSuccessStatusCode();
        }

        // 23 rows with action "test.seed": several share a timestamp, to exercise the (requestedAt, id) tie-break.
        await using var db = Factory.NewDbContext();
        var rows = new List<OperationLog>();
        for (var i = 0; i < 23; i++)
        {
            var row = OperationLog.Begin($"seed-{i}", "POST", "/api/v1/seed", "10.0.0.1", Base.AddMinutes(i / 3));
            row.SetCaller(i % 2 == 0 ? "seedKeyEven1" : "seedKeyOdd01", "seed");
            row.Describe("test.seed", isMutating: true, "{}", vmId: 100 + (i % 4), node: "pve1");
            if (i % 5 == 0)
            {
                row.Reject(Base.AddMinutes(i / 3), "insufficient_scope", "no");
            }
            else
            {
                row.Succeed(Base.AddMinutes(i / 3));
            }

            rows.Add(row);
        }

        db.OperationLogs.AddRange(rows);
        await db.SaveChangesAsync();
        _seededNewestFirst = rows.OrderByDescending(r => r.RequestedAt).ThenByDescending(r => r.Id).Select(r => r.Id).ToList();
    }

    [OneTimeTearDown]
    public void DisposeClients()
    {
        _admin.Dispose();
    }

    private static async Task<(List<JsonElement> Items, string? Next)> PageAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync("/api/v1/operations?" + query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement.Clone();
        var next = root.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : root.GetProperty("nextCursor").GetString();
        return (root.GetProperty("items").EnumerateArray().ToList(), next);
    }

    [TestCase(1)]
    [TestCase(4)]
    [TestCase(7)]
    [TestCase(23)]
    [TestCase(50)]
    public async Task List_PagedByCursor_ReturnsEveryRowOnceNewestFirst(int limit)
    {
        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var (items, next) = await PageAsync(_admin, $"action=test.seed&limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            Assert.That(items, Has.Count.LessThanOrEqualTo(limit));
            seen.AddRange(items.Select(i => i.GetProperty("id").GetInt64()));
            cursor = next;
            Assert.That(++pages, Is.LessThanOrEqualTo(30), "pagination does not end");
        }
        while (cursor is not null);

        Assert.That(seen, Is.EqualTo(_seededNewestFirst));
    }

    [Test]
    public async Task List_ByVmId_ReturnsOnlyThatContainer()
    {
        var (items, _) = await PageAsync(_admin, "action=test.seed&vmid=101&limit=500");

        Assert.Multiple(() =>
        {
            Assert.That(items, Has.Count.EqualTo(6));
            Assert.That(items.Select(i => i.GetProperty("vmid").GetInt32()), Is.All.EqualTo(101));
        });
    }

    [Test]
    public async Task List_ByKeyIdAndOutcome_CombinesFilters()
    {
        var (items, _) = await PageAsync(_admin, "keyId=seedKeyEven1&outcome=rejected&limit=500");

        Assert.Multiple(() =>
        {
            Assert.That(items.Select(i => i.GetProperty("requestId").GetString()), Is.EquivalentTo(new[] { "seed-0", "seed-10", "seed-20" }));
            Assert.That(items.Select(i => i.GetProperty("status").GetString()), Is.All.EqualTo("rejected"));
            Assert.That(items[0].GetProperty("error").GetProperty("code").GetString(), Is.EqualTo("insufficient_scope"));
        });
    }

    [Test]
    public async Task List_ByTimeWindow_IncludesFromExcludesTo()
    {
        var from = Uri.EscapeDataString(Base.AddMinutes(2).ToString("O"));
        var to = Uri.EscapeDataString(Base.AddMinutes(4).ToString("O"));

        var (items, _) = await PageAsync(_admin, $"from={from}&to={to}&limit=500");

        Assert.That(items.Select(i => i.GetProperty("requestId").GetString()),
            Is.EquivalentTo(Enumerable.Range(6, 6).Select(i => $"seed-{i}")));
    }

    [Test]
    public async Task List_ByOwnAction_FindsTheApiCalls()
    {
        await Factory.WaitForOperationLogAsync(rows => rows.Any(r => r.Action == "ListApiKeys"));

        var (items, _) = await PageAsync(_admin, "action=ListApiKeys&limit=500");

        Assert.Multiple(() =>
        {
            Assert.That(items, Is.Not.Empty);
            Assert.That(items.Select(i => i.GetProperty("keyId").GetString()), Is.All.EqualTo(Factory.AdminKeyId));
            Assert.That(items.Select(i => i.GetProperty("httpStatus").GetInt32()), Is.All.EqualTo(200));
        });
    }

    [TestCase("outcome=maybe", "outcome")]
    [TestCase("limit=0", "limit")]
    [TestCase("limit=501", "limit")]
    [TestCase("cursor=%21%21%21", "cursor")]
    [TestCase("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    [TestCase("vmid=5", "vmid")]
    public async Task List_InvalidFilter_Returns400KeyedByTheParameter(string query, string field)
    {
        using var response = await _admin.GetAsync("/api/v1/operations?" + query);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(p => p.Name), Does.Contain(field), problem.ToString());
    }

    [Test]
    public async Task List_WithoutAuditRead_Returns403()
    {
        var reader = await Factory.CreateKeyAsync(["containers:read"]);
        using var client = Factory.CreateClient(reader.Key);

        using var response = await client.GetAsync("/api/v1/operations");

        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.That(problem.GetProperty("requiredScope").GetString(), Is.EqualTo("audit:read"));
    }

    [Test]
    public async Task Get_OwnVersusOthers_VisibleOnlyWithAuditRead()
    {
        var reader = await Factory.CreateKeyAsync(["containers:read"]);
        using var readerClient = Factory.CreateClient(reader.Key);
        using (var probe = await readerClient.GetAsync("/api/v1/operations/999999999"))
        {
            await probe.ProblemAsync(HttpStatusCode.NotFound, "operation_not_found");
        }

        var rows = await Factory.WaitForOperationLogAsync(r => r.Any(o => o.KeyId == reader.Id));
        var own = rows.First(o => o.KeyId == reader.Id);
        var others = _seededNewestFirst[0];

        using var ownResponse = await readerClient.GetAsync($"/api/v1/operations/{own.Id}");
        using var othersResponse = await readerClient.GetAsync($"/api/v1/operations/{others}");
        using var auditorResponse = await _admin.GetAsync($"/api/v1/operations/{own.Id}");

        Assert.That(ownResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var ownBody = JsonDocument.Parse(await ownResponse.Content.ReadAsStringAsync());
        Assert.Multiple(() =>
        {
            Assert.That(ownBody.RootElement.GetProperty("id").GetInt64(), Is.EqualTo(own.Id));
            Assert.That(ownBody.RootElement.GetProperty("keyId").GetString(), Is.EqualTo(reader.Id));
            Assert.That(ownBody.RootElement.GetProperty("status").GetString(), Is.EqualTo("rejected"));
            Assert.That(auditorResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
        await othersResponse.ProblemAsync(HttpStatusCode.NotFound, "operation_not_found");
    }

    [Test]
    public async Task Get_WithoutReadScope_Returns403()
    {
        var power = await Factory.CreateKeyAsync(["containers:power"]);
        using var client = Factory.CreateClient(power.Key);

        using var response = await client.GetAsync($"/api/v1/operations/{_seededNewestFirst[0]}");

        await response.ProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
    }
}
