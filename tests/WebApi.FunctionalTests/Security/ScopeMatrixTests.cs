using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;
using ProxmoxLxc.WebApi.FunctionalTests.OpenApi;

namespace ProxmoxLxc.WebApi.FunctionalTests.Security;

/// <summary>
/// Every operation of the committed OpenAPI document × every scope: a key lacking the operation's scope gets
/// 403 <c>insufficient_scope</c> (before validation, so the request's content does not matter); a key holding it
/// gets past authorization. The required scope per operation is the contract's table, kept here and checked to
/// cover exactly the document's operations.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public class ScopeMatrixTests(DatabaseProvider provider)
{
    /// <summary>The contract's scope per operationId (alternatives joined by <c>|</c>).</summary>
    private static readonly Dictionary<string, string> RequiredScopes = new(StringComparer.Ordinal)
    {
        ["Containers_Create"] = "containers:write",
        ["Containers_List"] = "containers:read",
        ["Containers_Start"] = "containers:power",
        ["Containers_Stop"] = "containers:power",
        ["Containers_Shutdown"] = "containers:power",
        ["Containers_Reboot"] = "containers:power",
        ["Containers_Suspend"] = "containers:power",
        ["Containers_Resume"] = "containers:power",
        ["Containers_UpdateConfig"] = "containers:write",
        ["Containers_Resize"] = "containers:write",
        ["Containers_Delete"] = "containers:write",
        ["Containers_Get"] = "containers:read",
        ["Containers_CreateSnapshot"] = "containers:write",
        ["Containers_ListSnapshots"] = "containers:read",
        ["Containers_DeleteSnapshot"] = "containers:write",
        ["Containers_RollbackSnapshot"] = "containers:write",
        ["Containers_Clone"] = "containers:write",
        ["Containers_StatusBatch"] = "containers:read",
        ["Containers_BatchStart"] = "containers:power",
        ["Containers_BatchStop"] = "containers:power",
        ["Containers_BatchShutdown"] = "containers:power",
        ["Containers_BatchReboot"] = "containers:power",
        ["Containers_BatchSuspend"] = "containers:power",
        ["Containers_BatchResume"] = "containers:power",
        ["Containers_Status"] = "containers:read",
        ["Containers_Metrics"] = "containers:read",
        ["Keys_Create"] = "keys:admin",
        ["Keys_List"] = "keys:admin",
        ["Keys_Get"] = "keys:admin",
        ["Keys_Update"] = "keys:admin",
        ["Keys_Revoke"] = "keys:admin",
        ["Keys_Rotate"] = "keys:admin",
        ["Nodes_List"] = "containers:read",
        ["Operations_List"] = "audit:read",
        ["Operations_Get"] = "containers:read|audit:read",
        ["Events_Stream"] = "containers:read|audit:read",
        ["Templates_List"] = "containers:read",
        ["Webhooks_Create"] = "webhooks:admin",
        ["Webhooks_List"] = "webhooks:admin",
        ["Webhooks_Get"] = "webhooks:admin",
        ["Webhooks_Update"] = "webhooks:admin",
        ["Webhooks_Delete"] = "webhooks:admin",
        ["Webhooks_ListDeliveries"] = "webhooks:admin",
        ["Webhooks_Test"] = "webhooks:admin",
    };

    /// <summary>Example bodies changed so that a key holding the scope is stopped by validation instead of acting.</summary>
    private static readonly Dictionary<string, Action<JsonObject>> Defuse = new(StringComparer.Ordinal)
    {
        ["Containers_Create"] = body => body["hostname"] = "-not-a-host-",
        ["Keys_Create"] = body => body["name"] = "",
        ["Containers_BatchStart"] = body => body["maxParallel"] = 0,
        ["Containers_BatchShutdown"] = body => body["maxParallel"] = 0,
        ["Webhooks_Create"] = body => body["url"] = "not a url",
    };

    private static readonly string[] AllScopes = [.. ProxmoxLxc.Domain.ApiKeys.Scopes.All];

    private ApiFactory _factory = null!;
    private readonly Dictionary<string, string> _keyByScope = new(StringComparer.Ordinal);
    private List<DocumentedOperation> _operations = null!;

    private sealed record DocumentedOperation(string Id, HttpMethod Method, string Path, string? Body);

    [OneTimeSetUp]
    public async Task StartApi()
    {
        _factory = new ApiFactory(new() { Database = TestDatabase.Create(provider) });
        foreach (var scope in AllScopes)
        {
            _keyByScope[scope] = (await _factory.CreateKeyAsync([scope], "only-" + scope.Replace(':', '-'))).Key;
        }

        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(OpenApiDocumentTests.CommittedDocumentPath()));
        _operations = [.. Operations(document.RootElement)];
    }

    [OneTimeTearDown]
    public async Task StopApi() => await _factory.DisposeAsync();

    [Test]
    public void Table_CoversEveryOperationOfTheDocument()
    {
        Assert.That(RequiredScopes.Keys, Is.EquivalentTo(_operations.Select(o => o.Id)),
            "every documented operation needs its scope in this table (and nothing else)");
    }

    [TestCaseSource(nameof(AllScopes))]
    public async Task EveryOperation_KeyWithOneScope_403ExactlyWhereTheScopeIsMissing(string scope)
    {
        using var client = _factory.CreateClient(_keyByScope[scope]);
        var failures = new List<string>();
        foreach (var operation in _operations)
        {
            var required = RequiredScopes[operation.Id];
            var holds = scope == "admin" || required.Split('|').Contains(scope);
            using var request = new HttpRequestMessage(operation.Method, operation.Path);
            if (operation.Body is not null)
            {
                request.Content = new StringContent(operation.Body, Encoding.UTF8, "application/json");
            }

            // An event stream never ends: its answer is judged by status and headers, and disposing it hangs up.
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var text = response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? string.Empty : await response.Content.ReadAsStringAsync();
            var code = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                ? JsonNode.Parse(text)?["code"]?.GetValue<string>()
                : null;
            var refused = response.StatusCode == HttpStatusCode.Forbidden && code == "insufficient_scope";
            if (holds ? refused || response.StatusCode == HttpStatusCode.Unauthorized : !refused)
            {
                failures.Add($"{operation.Id} ({operation.Method} {operation.Path}) with {scope}: {(int)response.StatusCode} {text}");
            }
            else if (!holds && JsonNode.Parse(text)?["requiredScope"]?.GetValue<string>() != required)
            {
                failures.Add($"{operation.Id} with {scope}: the 403 names another scope than '{required}': {text}");
            }
        }

        Assert.That(failures, Is.Empty, string.Join(Environment.NewLine, failures));
    }

    private static IEnumerable<DocumentedOperation> Operations(JsonElement document)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject().Where(m => m.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                var id = method.Value.GetProperty("operationId").GetString()!;
                yield return new DocumentedOperation(id, new HttpMethod(method.Name.ToUpperInvariant()), Concrete(id, path.Name), BodyOf(id, method.Value));
            }
        }
    }

    /// <summary>The path with sample parameters: ids that do not exist, so a key holding the scope changes nothing.</summary>
    private static string Concrete(string operationId, string template)
    {
        var path = template
            .Replace("{vmid}", "999999", StringComparison.Ordinal)
            .Replace("{name}", "snap1", StringComparison.Ordinal)
            .Replace("{id}", operationId.StartsWith("Operations_", StringComparison.Ordinal) ? "999999999" : "nosuchkey001", StringComparison.Ordinal);
        return operationId == "Containers_StatusBatch" ? path + "?vmid=999999" : path;
    }

    private static string? BodyOf(string operationId, JsonElement operation)
    {
        if (!operation.TryGetProperty("requestBody", out var requestBody))
        {
            return null;
        }

        var json = requestBody.GetProperty("content").GetProperty("application/json");
        var body = json.TryGetProperty("example", out var example) ? JsonNode.Parse(example.GetRawText())!.AsObject() : [];
        if (Defuse.TryGetValue(operationId, out var defuse))
        {
            defuse(body);
        }

        return body.ToJsonString();
    }
}
