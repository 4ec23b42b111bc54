using System.Net;
using System.Reflection;
using System.Text.Json.Nodes;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.OpenApi;

/// <summary>
/// The OpenAPI document is a product: the served document must equal the committed
/// <c>src/WebApi/openapi/v1.json</c>. Regenerate with <c>scripts/update-openapi.sh</c>
/// (runs this fixture with <c>UPDATE_OPENAPI=1</c>, which rewrites the committed file).
/// </summary>
// Provider-independent (SQLite only, not in the provider matrix): the OpenAPI document is built from the code, never from
// the database.
[TestFixture]
public sealed class OpenApiDocumentTests : ApiFixture
{
    private string _served = null!;
    private JsonNode _document = null!;

    [OneTimeSetUp]
    public async Task SetUpFixtureAsync()
    {
        using var client = Factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        _served = Normalise(await response.Content.ReadAsStringAsync());
        _document = JsonNode.Parse(_served)!;
    }

    [Test]
    public async Task ServedDocument_ComparedWithCommittedFile_IsIdentical()
    {
        var path = CommittedDocumentPath();
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, _served);
            TestContext.Out.WriteLine($"Wrote {path}");
        }

        var committed = File.Exists(path) ? Normalise(await File.ReadAllTextAsync(path)) : string.Empty;
        Assert.That(_served, Is.EqualTo(committed),
            "The served OpenAPI document differs from src/WebApi/openapi/v1.json: run scripts/update-openapi.sh and review the diff.");
    }

    [Test]
    public void EveryOperation_InDocument_HasStableIdSummaryTagAndDocumentedErrors()
    {
        var operations = Operations().ToList();
        Assert.That(operations, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var (path, method, operation) in operations)
            {
                var where = $"{method.ToUpperInvariant()} {path}";
                Assert.That((string?)operation["operationId"], Does.Match("^[A-Z][A-Za-z]+_[A-Z][A-Za-z]+$"), where);
                Assert.That((string?)operation["summary"], Is.Not.Null.And.Not.Empty, where);
                Assert.That(operation["tags"]!.AsArray(), Has.Count.EqualTo(1), where);
                var responses = operation["responses"]!.AsObject();
                Assert.That(responses.Select(r => r.Key), Does.Contain("401").And.Contain("403").And.Contain("500").And.Contain("503"), where);
                // Any operation can meet the start-up gate (service_unavailable, with Retry-After).
                Assert.That((string?)responses["503"]!["description"], Does.Contain("`service_unavailable`"), $"{where} 503");
                // Only a mutating call waits for its log row, so only it can answer database_unavailable.
                Assert.That((string?)responses["503"]!["description"],
                    method == "get" ? Does.Not.Contain("database_unavailable") : Does.Contain("`database_unavailable`"), $"{where} 503");
                Assert.That(responses["503"]!["headers"]?["Retry-After"], Is.Not.Null, $"{where} 503 Retry-After");
                foreach (var (status, response) in responses)
                {
                    Assert.That(response!["headers"]?["X-Request-Id"], Is.Not.Null, $"{where} {status} X-Request-Id");
                    if (status.StartsWith('4') || status.StartsWith('5'))
                    {
                        Assert.That(response["content"]!.AsObject().Select(c => c.Key), Is.EqualTo(new[] { "application/problem+json" }), $"{where} {status}");
                    }
                }

                var headers = (operation["parameters"]?.AsArray() ?? []).Where(p => (string?)p!["in"] == "header").Select(p => (string?)p!["name"]).ToList();
                Assert.That(headers, Does.Contain("X-Request-Id"), where);
                if (method == "post" && responses.ContainsKey("202"))
                {
                    Assert.That(headers, Does.Contain("Idempotency-Key"), where);
                }

                if (responses.ContainsKey("202"))
                {
                    Assert.That(headers, Does.Contain("Prefer"), where);
                    Assert.That(responses["202"]!["headers"]?["Location"], Is.Not.Null, where);
                }
            }
        });
    }

    [Test]
    public void OperationIds_ForKeysAndOperations_AreTheRouteNames()
    {
        var ids = Operations().Select(o => (string?)o.Operation["operationId"]).ToList();
        Assert.That(ids, Is.SupersetOf(new[]
        {
            "Keys_Create", "Keys_List", "Keys_Get", "Keys_Update", "Keys_Rotate", "Keys_Revoke", "Operations_List", "Operations_Get",
        }));
        Assert.That(ids, Is.Unique);
    }

    [Test]
    public void ProblemDetailsSchema_Code_DocumentsEveryStableCode()
    {
        var codes = _document["components"]!["schemas"]!["ProblemCode"]!["enum"]!.AsArray().Select(c => (string?)c).ToList();
        Assert.That(codes, Is.SupersetOf(new[]
        {
            "validation_failed", "unauthenticated", "insufficient_scope", "container_not_found", "operation_not_found", "key_not_found",
            "container_locked", "container_state_conflict", "vmid_unavailable", "precondition_failed", "idempotency_key_reused",
            "last_admin_key", "key_revoked", "snapshot_not_found", "node_not_found", "not_found", "method_not_allowed", "rate_limited",
            "proxmox_unavailable", "proxmox_timeout", "proxmox_error", "internal_error",
        }));
        var problem = _document["components"]!["schemas"]!["ProblemDetails"]!["properties"]!;
        Assert.Multiple(() =>
        {
            Assert.That(problem["code"], Is.Not.Null);
            Assert.That(problem["traceId"], Is.Not.Null);
        });
    }

    [Test]
    public void ProblemCodeEnum_ComparedWithErrorCodesConstants_ListsExactlyTheSameCodes()
    {
        var documented = _document["components"]!["schemas"]!["ProblemCode"]!["enum"]!.AsArray().Select(c => (string)c!).ToList();
        var constants = typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        Assert.Multiple(() =>
        {
            Assert.That(constants, Is.Unique);
            Assert.That(documented, Is.EquivalentTo(constants), "ErrorCodes constants and the document's ProblemCode enum differ.");
            Assert.That(ErrorCodes.Catalog.Select(c => c.Code), Is.EquivalentTo(constants), "Every constant needs a catalog entry (status, meaning).");
            Assert.That(documented, Has.None.AnyOf(ErrorCodes.OperationOnly.TaskFailed, ErrorCodes.OperationOnly.Cancelled,
                ErrorCodes.OperationOnly.ClientClosedRequest));
        });
    }

    [Test]
    public void ProblemExamples_InDocument_UseOnlyDocumentedCodes()
    {
        var documented = _document["components"]!["schemas"]!["ProblemCode"]!["enum"]!.AsArray().Select(c => (string)c!).ToHashSet(StringComparer.Ordinal);
        var exampleCodes = Operations()
            .SelectMany(o => o.Operation["responses"]!.AsObject())
            .Where(r => r.Key[0] is '4' or '5')
            .Select(r => r.Value?["content"]?["application/problem+json"]?["example"]?["code"])
            .Where(c => c is not null)
            .Select(c => (string)c!)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.That(exampleCodes, Is.Not.Empty);
        Assert.That(exampleCodes, Is.SubsetOf(documented));
    }

    [Test]
    public void KeysCreate_RequestAndResponse_CarryExamples()
    {
        var create = _document["paths"]!["/api/v1/keys"]!["post"]!;
        Assert.Multiple(() =>
        {
            Assert.That(create["requestBody"]!["content"]!["application/json"]!["example"]!["scopes"], Is.Not.Null);
            Assert.That((string?)create["responses"]!["201"]!["content"]!["application/json"]!["example"]!["key"], Does.StartWith("pxl_"));
            Assert.That((string?)create["responses"]!["400"]!["content"]!["application/problem+json"]!["example"]!["code"], Is.EqualTo("validation_failed"));
            Assert.That((string?)create["responses"]!["401"]!["content"]!["application/problem+json"]!["example"]!["code"], Is.EqualTo("unauthenticated"));
        });
    }

    [Test]
    public void SecurityScheme_ApiKeyHeader_IsDeclaredAndRequired()
    {
        var scheme = _document["components"]!["securitySchemes"]!["ApiKey"]!;
        Assert.Multiple(() =>
        {
            Assert.That((string?)scheme["type"], Is.EqualTo("apiKey"));
            Assert.That((string?)scheme["in"], Is.EqualTo("header"));
            Assert.That((string?)scheme["name"], Is.EqualTo("X-API-Key"));
            Assert.That(Operations().All(o => o.Operation["security"] is not null), Is.True);
        });
    }

    private IEnumerable<(string Path, string Method, JsonNode Operation)> Operations() =>
        _document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()
            .Where(m => m.Key is "get" or "post" or "put" or "patch" or "delete")
            .Select(m => (p.Key, m.Key, m.Value!)));

    private static string Normalise(string json) => json.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n";

    internal static string CommittedDocumentPath()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ProxmoxLxc.sln")))
        {
            directory = directory.Parent;
        }

        return directory is null
            ? throw new InvalidOperationException("Repository root (ProxmoxLxc.sln) not found above the test directory.")
            : Path.Combine(directory.FullName, "src", "WebApi", "openapi", "v1.json");
    }
}
