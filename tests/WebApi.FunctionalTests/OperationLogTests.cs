using System.Text;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests;

/// <summary>
/// One pass of varied requests, then a graceful shutdown: every request left exactly one row with the right
/// outcome and status, and no secret reached the log, the console or the database file.
/// </summary>
[NonParallelizable]
public class OperationLogTests : ApiFixture
{
    private const string Password = "S3cr3t-Value-123";

    private readonly List<(string RequestId, int Status, OperationOutcome Outcome, string? Code, string Action)> _expected = [];
    private readonly List<string> _secrets = [Password];
    private List<OperationLog> _rows = null!;
    private string _console = null!;
    private string _logs = null!;
    private byte[] _databaseBytesWhileRunning = null!;
    private byte[] _databaseBytesAfterShutdown = null!;
    private int _requests;

    [OneTimeSetUp]
    public async Task SetUpFixtureAsync()
    {
        using var console = new ConsoleCapture();
        Factory.Settings["Logging:LogLevel:Default"] = "Debug";
        Factory.Settings["Logging:LogLevel:Microsoft"] = "Debug";
        _secrets.Add(Factory.AdminKey!);
        _secrets.Add(Factory.AdminKey![^43..]);

        var reader = await Factory.CreateKeyAsync(["containers:read"]);
        _requests++;
        _secrets.Add(reader.Key[^43..]);

        await SendAsync("ok", Factory.AdminKey, HttpMethod.Get, "/api/v1/keys", null, 200, OperationOutcome.Succeeded, null, "ListApiKeys");
        var created = await SendAsync("created", Factory.AdminKey, HttpMethod.Post, "/api/v1/keys",
            """{"name":"made","scopes":["containers:read"]}""", 201, OperationOutcome.Succeeded, null, "CreateApiKey");
        _secrets.Add(created[(created.IndexOf("pxl_", StringComparison.Ordinal) + 17)..][..43]);
        await SendAsync("invalid", Factory.AdminKey, HttpMethod.Post, "/api/v1/keys",
            """{"name":"","scopes":["containers:read"]}""", 400, OperationOutcome.Rejected, "validation_failed", "CreateApiKey");
        await SendAsync("unknown-field", Factory.AdminKey, HttpMethod.Post, "/api/v1/keys",
            $$"""{"name":"x","scopes":["containers:read"],"password":"{{Password}}"}""", 400, OperationOutcome.Rejected, "validation_failed", "http.request");
        await SendAsync("bad-json", Factory.AdminKey, HttpMethod.Post, "/api/v1/keys",
            $$"""{"name":"x","password":"{{Password}}" """, 400, OperationOutcome.Rejected, "validation_failed", "http.request");
        await SendAsync("query-secret", Factory.AdminKey, HttpMethod.Get, $"/api/v1/keys?password={Password}", null,
            200, OperationOutcome.Succeeded, null, "ListApiKeys");
        await SendAsync("no-key", null, HttpMethod.Get, "/api/v1/keys", null, 401, OperationOutcome.Rejected, "unauthenticated", "http.request");
        await SendAsync("wrong-key", $"pxl_{Factory.AdminKeyId}_{ApiFactory.NewKeyString()[^43..]}", HttpMethod.Get, "/api/v1/keys", null,
            401, OperationOutcome.Rejected, "unauthenticated", "http.request");
        await SendAsync("forbidden", reader.Key, HttpMethod.Get, "/api/v1/keys", null, 403, OperationOutcome.Rejected, "insufficient_scope", "ListApiKeys");
        await SendAsync("forbidden-invalid", reader.Key, HttpMethod.Post, "/api/v1/keys", """{"name":"","scopes":["nope"]}""",
            403, OperationOutcome.Rejected, "insufficient_scope", "CreateApiKey");
        await SendAsync("no-route", Factory.AdminKey, HttpMethod.Get, "/api/v1/no-such-thing", null, 404, OperationOutcome.Rejected, "not_found", "http.request");
        await SendAsync("no-key-found", Factory.AdminKey, HttpMethod.Get, "/api/v1/keys/missing", null, 404, OperationOutcome.Rejected, "key_not_found", "GetApiKey");
        await SendAsync("wrong-method", Factory.AdminKey, HttpMethod.Put, "/api/v1/keys", """{"name":"x"}""", 405, OperationOutcome.Rejected, "method_not_allowed", "http.request");
        await SendAsync("conflict", Factory.AdminKey, HttpMethod.Delete, $"/api/v1/keys/{Factory.AdminKeyId}", null,
            409, OperationOutcome.Rejected, "last_admin_key", "RevokeApiKey");

        await Factory.WaitForOperationLogAsync(rows => rows.Count >= _requests);
        _databaseBytesWhileRunning = ReadDatabaseFiles();
        await Factory.DisposeAsync();

        _rows = await Factory.ReadOperationLogAsync();
        _databaseBytesAfterShutdown = ReadDatabaseFiles();
        _console = console.Text;
        _logs = Factory.Logs.AllText;
    }

    private async Task<string> SendAsync(string name, string? key, HttpMethod method, string path, string? json,
        int status, OperationOutcome outcome, string? code, string action)
    {
        var requestId = $"oplog-{name}";
        using var client = Factory.CreateClient(key);
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Request-Id", requestId);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        _requests++;
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(status), $"{name}: {body}");
        _expected.Add((requestId, status, outcome, code, action));
        return body;
    }

    private byte[] ReadDatabaseFiles()
    {
        var database = Factory.Database.SqliteFilePath ?? throw new InvalidOperationException("The bytes at rest are checked on SQLite.");
        var folder = Path.GetDirectoryName(database)!;
        var name = Path.GetFileName(database);
        using var all = new MemoryStream();
        foreach (var file in Directory.GetFiles(folder, name + "*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.CopyTo(all);
        }

        return all.ToArray();
    }

    [Test]
    public void EveryRequest_LeavesExactlyOneRow()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_rows, Has.Count.EqualTo(_requests));
            Assert.That(_rows.Select(r => r.RequestId), Is.Unique);
            foreach (var (requestId, _, _, _, _) in _expected)
            {
                Assert.That(_rows.Count(r => r.RequestId == requestId), Is.EqualTo(1), requestId);
            }
        });
    }

    [Test]
    public void EveryRow_HasTheRightOutcomeStatusCodeAndAction()
    {
        Assert.Multiple(() =>
        {
            foreach (var (requestId, status, outcome, code, action) in _expected)
            {
                var row = _rows.Single(r => r.RequestId == requestId);
                Assert.That(row.HttpStatus, Is.EqualTo(status), requestId);
                Assert.That(row.Outcome, Is.EqualTo(outcome), requestId);
                Assert.That(row.ErrorCode, Is.EqualTo(code), requestId);
                Assert.That(row.Action, Is.EqualTo(action), requestId);
                Assert.That(row.CompletedAt, Is.Not.Null, requestId);
                Assert.That(row.DurationMs, Is.GreaterThanOrEqualTo(0), requestId);
            }
        });
    }

    [Test]
    public void Rows_RecordCallerMethodAndPathWithoutQuery()
    {
        var ok = _rows.Single(r => r.RequestId == "oplog-ok");
        var unauthenticated = _rows.Single(r => r.RequestId == "oplog-no-key");
        var forbidden = _rows.Single(r => r.RequestId == "oplog-forbidden");
        var created = _rows.Single(r => r.RequestId == "oplog-created");

        Assert.Multiple(() =>
        {
            Assert.That(ok.KeyId, Is.EqualTo(Factory.AdminKeyId));
            Assert.That(ok.KeyName, Is.EqualTo("bootstrap-admin"));
            Assert.That(ok.Method, Is.EqualTo("GET"));
            Assert.That(ok.Path, Is.EqualTo("/api/v1/keys"));
            Assert.That(ok.IsMutating, Is.False);
            Assert.That(created.IsMutating, Is.True);
            Assert.That(created.StartedAt, Is.Not.Null);
            Assert.That(created.Parameters, Does.Contain("\"name\":\"made\""));
            Assert.That(unauthenticated.KeyId, Is.Null);
            Assert.That(forbidden.KeyId, Is.Not.Null.And.Not.EqualTo(Factory.AdminKeyId));
            Assert.That(_rows.Single(r => r.RequestId == "oplog-query-secret").Path, Is.EqualTo("/api/v1/keys"));
        });
    }

    [Test]
    public void Secrets_NeverAppearInTheLogs()
    {
        Assert.That(_logs, Is.Not.Empty, "the capturing logger received nothing: the check would be vacuous");
        Assert.Multiple(() =>
        {
            foreach (var secret in _secrets)
            {
                Assert.That(_logs, Does.Not.Contain(secret));
            }
        });
    }

    [Test]
    public void Secrets_NeverAppearOnTheConsole()
    {
        Assert.That(_console, Is.Not.Empty, "the console capture received nothing: the check would be vacuous");
        Assert.Multiple(() =>
        {
            foreach (var secret in _secrets)
            {
                Assert.That(_console, Does.Not.Contain(secret));
            }
        });
    }

    [Test]
    public void Secrets_NeverAppearInTheDatabaseFiles()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Contains(_databaseBytesWhileRunning, "oplog-ok"), Is.True, "the scan must see the log rows");
            foreach (var secret in _secrets)
            {
                Assert.That(Contains(_databaseBytesWhileRunning, secret), Is.False, $"while running: {secret[..6]}…");
                Assert.That(Contains(_databaseBytesAfterShutdown, secret), Is.False, $"after shutdown: {secret[..6]}…");
            }
        });
    }

    private static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0 || haystack.AsSpan().IndexOf(Encoding.Unicode.GetBytes(needle)) >= 0;
}
