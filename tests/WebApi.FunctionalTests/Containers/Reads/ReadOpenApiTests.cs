using System.Net;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;
using static ProxmoxLxc.WebApi.FunctionalTests.Containers.Reads.ReadTestSupport;

namespace ProxmoxLxc.WebApi.FunctionalTests.Containers.Reads;

/// <summary>The read routes appear in the OpenAPI document with stable operation ids and their error responses.</summary>
// Provider-independent (SQLite only, not in the provider matrix): reads the OpenAPI document, built from the code.
[TestFixture]
[Parallelizable(ParallelScope.Fixtures)]
public sealed class ReadOpenApiTests
{
    [Test]
    public async Task OpenApi_ReadRoutes_HaveOperationIdsAndDocumentedErrors()
    {
        await using var factory = new ApiFactory();
        using var client = factory.CreateClient();

        var (status, document, _) = await GetJsonAsync(client, "/swagger/v1/swagger.json");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var paths = document.GetProperty("paths");
        var expected = new Dictionary<string, (string OperationId, string[] Statuses)>
        {
            ["/api/v1/containers"] = ("Containers_List", ["200", "400", "401", "403"]),
            ["/api/v1/containers/status"] = ("Containers_StatusBatch", ["200", "400", "401", "403"]),
            ["/api/v1/containers/{vmid}"] = ("Containers_Get", ["200", "400", "401", "403", "404"]),
            ["/api/v1/containers/{vmid}/status"] = ("Containers_Status", ["200", "400", "401", "403", "404"]),
            ["/api/v1/containers/{vmid}/metrics"] = ("Containers_Metrics", ["200", "400", "401", "403", "404"]),
            ["/api/v1/containers/{vmid}/snapshots"] = ("Containers_ListSnapshots", ["200", "400", "401", "403", "404"]),
            ["/api/v1/templates"] = ("Templates_List", ["200", "400", "401", "403"]),
            ["/api/v1/nodes"] = ("Nodes_List", ["200", "401", "403"]),
        };
        Assert.Multiple(() =>
        {
            foreach (var (path, (operationId, statuses)) in expected)
            {
                Assert.That(paths.TryGetProperty(path, out var item), Is.True, path);
                if (!item.TryGetProperty("get", out var get))
                {
                    Assert.Fail($"{path} has no GET");
                    continue;
                }

                Assert.That(get.GetProperty("operationId").GetString(), Is.EqualTo(operationId), path);
                var responses = get.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
                Assert.That(responses, Is.SupersetOf(statuses.Concat(["502", "503", "504"])), path);
            }
        });
    }
}
