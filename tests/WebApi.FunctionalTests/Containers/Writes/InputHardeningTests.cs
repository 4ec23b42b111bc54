using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Containers.Writes;

/// <summary>
/// Hostile input (issue 8): non-finite numbers, foreign charsets, duplicate or case-variant members, taken vmids,
/// and requests Proxmox would refuse are answered 4xx by the API itself, and nothing reaches Proxmox.
/// </summary>
[TestFixture]
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class InputHardeningTests(DatabaseProvider provider) : ApiFixture(provider)
{
    private HttpClient _admin = null!;

    [OneTimeSetUp]
    public void CreateClients() => _admin = Factory.CreateAdminClient();

    [OneTimeTearDown]
    public void DisposeClients() => _admin.Dispose();

    private static async Task<HttpResponseMessage> SendRawAsync(HttpClient client, HttpMethod method, string path, byte[] body, string contentType)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Content = new ByteArrayContent(body);
        Assert.That(request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType), Is.True);
        return await client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> SendJsonTextAsync(HttpClient client, HttpMethod method, string path, string json) =>
        SendRawAsync(client, method, path, Encoding.UTF8.GetBytes(json), "application/json");

    private static async Task<JsonElement> ValidationProblemAtAsync(HttpResponseMessage response, string field)
    {
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, $"expected an error at '{field}': {problem}");
        return problem;
    }

    // ---- 5: numbers that are not finite ----

    private static IEnumerable<TestCaseData> NonFiniteCases()
    {
        string[] tokens = ["1e400", "-1e400", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1e400\""];
        foreach (var token in tokens)
        {
            var name = token.Replace("\"", "Str", StringComparison.Ordinal).Replace("-", "Minus", StringComparison.Ordinal);
            var create = WriteApi.CreateBody("nf1", b => b["cpuLimit"] = "@X@").ToJsonString().Replace("\"@X@\"", token, StringComparison.Ordinal);
            yield return new TestCaseData("POST", "/api/v1/containers", create, "cpuLimit").SetName($"NonFinite_CreateCpuLimit_{name}_Is400");
            var rate = WriteApi.CreateBody("nf2", b => b["networks"]![0]!["rateMbps"] = "@X@").ToJsonString().Replace("\"@X@\"", token, StringComparison.Ordinal);
            yield return new TestCaseData("POST", "/api/v1/containers", rate, "networks[0].rateMbps").SetName($"NonFinite_CreateRateMbps_{name}_Is400");
            yield return new TestCaseData("PATCH", "/api/v1/containers/100/config", $"{{\"cpuLimit\":{token}}}", "cpuLimit")
                .SetName($"NonFinite_PatchCpuLimit_{name}_Is400");
            yield return new TestCaseData("PATCH", "/api/v1/containers/100/config",
                    $"{{\"networks\":[{{\"bridge\":\"vmbr0\",\"rateMbps\":{token}}}]}}", "networks[0].rateMbps")
                .SetName($"NonFinite_PatchRateMbps_{name}_Is400");
        }

        // Sizes are decimals: out of range (or a string that is no number) is refused the same way.
        var size = WriteApi.CreateBody("nf3", b => b["rootfs"]!["sizeGiB"] = "@X@").ToJsonString();
        yield return new TestCaseData("POST", "/api/v1/containers", size.Replace("\"@X@\"", "1e400", StringComparison.Ordinal), "rootfs.sizeGiB")
            .SetName("NonFinite_CreateRootfsSize_1e400_Is400");
        yield return new TestCaseData("POST", "/api/v1/containers", size.Replace("\"@X@\"", "\"NaN\"", StringComparison.Ordinal), "rootfs.sizeGiB")
            .SetName("NonFinite_CreateRootfsSize_StrNaNStr_Is400");
    }

    [TestCaseSource(nameof(NonFiniteCases))]
    public async Task NonFinite(string method, string path, string body, string field)
    {
        var before = Factory.Emulator.Journal.RequestCalls();

        using var response = await SendJsonTextAsync(_admin, new HttpMethod(method), path, body);

        await ValidationProblemAtAsync(response, field);
        Assert.That(Factory.Emulator.Journal.RequestCalls(), Is.EqualTo(before), "no call may reach Proxmox");
    }

    [Test]
    public async Task Patch_CpuLimitAsNumericString_StillAccepted()
    {
        using var response = await SendJsonTextAsync(_admin, HttpMethod.Patch, "/api/v1/containers/102/config", "{\"cpuLimit\":\"1.5\"}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(Factory.Emulator.State.FindContainer(102)!.Config["cpulimit"], Is.EqualTo("1.5"));
    }

    // ---- 6: charsets ----

    [TestCase("application/json; charset=utf-16", HttpStatusCode.UnsupportedMediaType, "unsupported_media_type")]
    [TestCase("application/json; charset=UTF-16LE", HttpStatusCode.UnsupportedMediaType, "unsupported_media_type")]
    [TestCase("application/json; charset=x-no-such-charset", HttpStatusCode.UnsupportedMediaType, "unsupported_media_type")]
    [TestCase("application/json; charset=", HttpStatusCode.BadRequest, "validation_failed")]
    [TestCase("application/json; charset=\"\"", HttpStatusCode.BadRequest, "validation_failed")]
    public async Task Charset_NotUtf8_IsRefusedAsProblem(string contentType, HttpStatusCode status, string code)
    {
        var before = Factory.Emulator.Journal.RequestCalls();
        var body = Encoding.UTF8.GetBytes(WriteApi.CreateBody("cs1").ToJsonString() + " "); // odd or even: never decoded
        if (body.Length % 2 == 0)
        {
            body = [.. body, (byte)' '];
        }

        using var create = await SendRawAsync(_admin, HttpMethod.Post, "/api/v1/containers", body, contentType);
        using var key = await SendRawAsync(_admin, HttpMethod.Post, "/api/v1/keys",
            Encoding.UTF8.GetBytes("{\"name\":\"charset\",\"scopes\":[\"containers:read\"]} "), contentType);

        await create.ProblemAsync(status, code);
        await key.ProblemAsync(status, code);
        Assert.That(Factory.Emulator.Journal.RequestCalls(), Is.EqualTo(before), "no call may reach Proxmox");
    }

    [Test]
    public async Task Charset_WithoutKey_StillAnswers401()
    {
        using var anonymous = Factory.CreateClient(apiKey: null);

        using var response = await SendRawAsync(anonymous, HttpMethod.Post, "/api/v1/keys", [0x7B, 0x7D, 0x20], "application/json; charset=utf-16");

        await response.ProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Test]
    public async Task Charset_InvalidUtf8Bytes_Is400()
    {
        byte[] body = [.. Encoding.UTF8.GetBytes("{\"name\":\""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\",\"scopes\":[\"containers:read\"]}")];

        using var response = await SendRawAsync(_admin, HttpMethod.Post, "/api/v1/keys", body, "application/json; charset=utf-8");

        await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Test]
    public async Task Charset_Utf8Declared_IsAccepted()
    {
        using var response = await SendRawAsync(_admin, HttpMethod.Post, "/api/v1/keys",
            Encoding.UTF8.GetBytes("{\"name\":\"utf8 ok\",\"scopes\":[\"containers:read\"]}"), "application/json; charset=UTF-8");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    // ---- 12: duplicate and case-variant members ----

    [TestCase("{\"name\":\"dup-scopes\",\"scopes\":[\"containers:read\"],\"scopes\":[\"admin\"]}", "scopes")]
    [TestCase("{\"name\":\"dup-name\",\"name\":\"other\",\"scopes\":[\"containers:read\"]}", "name")]
    [TestCase("{\"name\":\"case-scopes\",\"scopes\":[\"containers:read\"],\"Scopes\":[\"admin\"]}", "Scopes")]
    [TestCase("{\"Name\":\"case-name\",\"scopes\":[\"containers:read\"]}", "Name")]
    public async Task CreateKey_DuplicateOrCaseVariantMember_Is400AndNoKey(string body, string field)
    {
        using var response = await SendJsonTextAsync(_admin, HttpMethod.Post, "/api/v1/keys", body);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.ToString());
        using var list = await _admin.GetAsync(new Uri("/api/v1/keys?limit=200", UriKind.Relative));
        var names = (await list.JsonAsync()).GetProperty("items").EnumerateArray().Select(k => k.GetProperty("name").GetString()).ToList();
        Assert.That(names, Has.None.StartsWith("dup-").And.None.StartsWith("case-"));
    }

    [TestCase("hostname", "hostname")]
    [TestCase("storage", "rootfs.storage")]
    public async Task Create_DuplicateMember_Is400AndNothingReachesProxmox(string member, string field)
    {
        var before = Factory.Emulator.Journal.RequestCalls();
        var json = WriteApi.CreateBody("dup2").ToJsonString();
        json = member == "hostname"
            ? json.Replace("\"hostname\":\"dup2\"", "\"hostname\":\"dup2\",\"hostname\":\"dup3\"", StringComparison.Ordinal)
            : json.Replace("\"storage\":\"local-lvm\"", "\"storage\":\"local-lvm\",\"storage\":\"local\"", StringComparison.Ordinal);

        using var response = await SendJsonTextAsync(_admin, HttpMethod.Post, "/api/v1/containers", json);

        await ValidationProblemAtAsync(response, field);
        Assert.That(Factory.Emulator.Journal.RequestCalls(), Is.EqualTo(before), "no call may reach Proxmox");
    }

    // ---- 3: a taken vmid ----

    [Test]
    public async Task Create_VmIdTakenOutsideRestriction_409VmIdUnavailableNamingNothingElse()
    {
        var key = await Factory.CreateKeyAsync(["containers:write", "containers:read"], "pve1 writer", new { allowedNodes = new[] { "pve1" } });
        using var client = Factory.CreateClient(key.Key);
        var creates = Factory.Emulator.Journal.Count("POST", "/nodes/{node}/lxc");

        using var response = await client.PostAsync("/api/v1/containers", WriteApi.CreateBody("taken1", b =>
        {
            b["node"] = "pve1";
            b["vmid"] = 101; // db1 on pve2, pool db: invisible to this key
        }));

        var problem = await response.ProblemAsync(HttpStatusCode.Conflict, "vmid_unavailable");
        AssertNamesNothingOf101(problem);
        Assert.That(Factory.Emulator.Journal.Count("POST", "/nodes/{node}/lxc"), Is.EqualTo(creates), "nothing may reach Proxmox");
    }

    [Test]
    public async Task Create_PoolRestrictedKeyVmIdTaken_409VmIdUnavailable()
    {
        var key = await Factory.CreateKeyAsync(["containers:write"], "web writer", new { allowedPools = new[] { "web" } });
        using var client = Factory.CreateClient(key.Key);
        var creates = Factory.Emulator.Journal.Count("POST", "/nodes/{node}/lxc");

        using var response = await client.PostAsync("/api/v1/containers", WriteApi.CreateBody("taken2", b =>
        {
            b["pool"] = "web";
            b["vmid"] = 101;
        }));

        AssertNamesNothingOf101(await response.ProblemAsync(HttpStatusCode.Conflict, "vmid_unavailable"));
        Assert.That(Factory.Emulator.Journal.Count("POST", "/nodes/{node}/lxc"), Is.EqualTo(creates), "nothing may reach Proxmox");
    }

    [Test]
    public async Task Clone_OntoVmIdTakenOutsideRestriction_409VmIdUnavailable()
    {
        var key = await Factory.CreateKeyAsync(["containers:write"], "pve1 cloner", new { allowedNodes = new[] { "pve1" } });
        using var client = Factory.CreateClient(key.Key);
        var clones = Factory.Emulator.Journal.Count("POST", "/nodes/{node}/lxc/{vmid}/clone");

        using var response = await client.PostAsync("/api/v1/containers/102/clone", new JsonObject { ["newVmid"] = 101, ["hostname"] = "copy", ["full"] = true });

        AssertNamesNothingOf101(await response.ProblemAsync(HttpStatusCode.Conflict, "vmid_unavailable"));
        Assert.That(Factory.Emulator.Journal.Count("POST", "/nodes/{node}/lxc/{vmid}/clone"), Is.EqualTo(clones), "nothing may reach Proxmox");
    }

    private static void AssertNamesNothingOf101(JsonElement problem)
    {
        // Every member but the random trace ids (hex: "…2adb1d…" once read as naming db1).
        var text = string.Join('\n', problem.EnumerateObject()
            .Where(m => m.Name is not ("traceId" or "activityId"))
            .Select(m => $"{m.Name}={m.Value}"));
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Not.Contain("pve2"));
            Assert.That(text, Does.Not.Contain("db1"));
            Assert.That(text, Does.Not.Contain("'db'"));
            Assert.That(text, Does.Not.Contain("already exists"));
        });
    }

    // ---- 9: refusals Proxmox would give, decided first ----

    [Test]
    public async Task Clone_FullOfRunningContainer_409StateConflictAndNothingReachesProxmox()
    {
        var clones = Factory.Emulator.Journal.Count("POST", "/nodes/{node}/lxc/{vmid}/clone");

        using var response = await _admin.PostAsync("/api/v1/containers/100/clone", new JsonObject { ["hostname"] = "web1-copy", ["full"] = true });

        await response.ProblemAsync(HttpStatusCode.Conflict, "container_state_conflict");
        Assert.That(Factory.Emulator.Journal.Count("POST", "/nodes/{node}/lxc/{vmid}/clone"), Is.EqualTo(clones));
    }

    [Test]
    public async Task Create_PoolThatDoesNotExist_422AtPoolAndNothingReachesProxmox()
    {
        var creates = Factory.Emulator.Journal.Count("POST", "/nodes/{node}/lxc");

        using var response = await _admin.PostAsync("/api/v1/containers", WriteApi.CreateBody("nopool1", b => b["pool"] = "nosuchpool"));

        var problem = await response.ProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.That(problem.GetProperty("errors").GetProperty("pool")[0].GetString(), Does.Contain("nosuchpool").And.Not.Contain("ermission"));
        Assert.That(Factory.Emulator.Journal.Count("POST", "/nodes/{node}/lxc"), Is.EqualTo(creates));
    }

    // ---- 11: sizes reach Proxmox exactly as asked ----

    [Test]
    public async Task Create_FractionalSizesInWholeMiB_ReachProxmoxExactly()
    {
        using var response = await _admin.PostAsync("/api/v1/containers", WriteApi.CreateBody("size1", b =>
        {
            b["vmid"] = 720;
            b["rootfs"]!["sizeGiB"] = 1.5m;
            b["mountPoints"] = new JsonArray(new JsonObject { ["storage"] = "local-lvm", ["sizeGiB"] = 2.25m, ["path"] = "/srv" });
        }));
        await response.AcceptedAsync();

        var sent = Factory.Emulator.Journal.Entries.Last(e => e.Method == "POST" && e.Route == "POST /nodes/{node}/lxc").Parameters;
        Assert.Multiple(() =>
        {
            Assert.That(sent["rootfs"], Is.EqualTo("local-lvm:1.5"));
            Assert.That(sent["mp0"], Does.StartWith("local-lvm:2.25,"));
        });
    }

    // ---- 10: snapshot descriptions are one line ----

    [TestCase("line\nbreak", TestName = "SnapshotDescription_LineFeed_Is400")]
    [TestCase("line\rbreak", TestName = "SnapshotDescription_CarriageReturn_Is400")]
    [TestCase("line\u2028break", TestName = "SnapshotDescription_LineSeparator_Is400")]
    [TestCase("line\u2029break", TestName = "SnapshotDescription_ParagraphSeparator_Is400")]
    [TestCase("line\u0085break", TestName = "SnapshotDescription_NextLine_Is400")]
    [TestCase("nul\u0000byte", TestName = "SnapshotDescription_Nul_Is400")]
    [TestCase("trailing\n", TestName = "SnapshotDescription_TrailingNewline_Is400")]
    public async Task SnapshotDescription_NotOneLine(string description)
    {
        var before = Factory.Emulator.Journal.RequestCalls();

        using var response = await _admin.PostAsync("/api/v1/containers/100/snapshots", new JsonObject { ["name"] = "snapx", ["description"] = description });

        await ValidationProblemAtAsync(response, "description");
        Assert.That(Factory.Emulator.Journal.RequestCalls(), Is.EqualTo(before), "no call may reach Proxmox");
    }

    [Test]
    public async Task ContainerDescription_MultiLine_StillAccepted()
    {
        using var response = await _admin.SendJsonAsync(HttpMethod.Patch, "/api/v1/containers/102/config", new JsonObject { ["description"] = "first line\nsecond line" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }
}
