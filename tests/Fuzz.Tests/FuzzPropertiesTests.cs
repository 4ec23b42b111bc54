using ProxmoxEmulator;

namespace ProxmoxLxc.Fuzz.Tests;

/// <summary>
/// The checker of property (c) on planted answers: a foreign vmid where a container is named is caught, a number that
/// only happens to equal a foreign vmid (row id, duration, HTTP status, Content-Length) is not.
/// </summary>
[TestFixture]
public sealed class FuzzPropertiesTests
{
    /// <summary>Restricted to vmids 100–149: 173 and 4711 are foreign.</summary>
    private static readonly Actor Reader = FuzzWorld.KeyActors.Single(a => a.Name == "vmids-100-149-reader");

    [TestCase("""{"items":[{"id":1,"action":"start","vmid":173,"path":"/api/v1/containers/100/start"}],"nextCursor":null}""", "173")]
    [TestCase("""{"items":[{"id":1,"action":"start","vmid":100,"path":"/api/v1/containers/4711/start"}],"nextCursor":null}""", "4711")]
    [TestCase("""{"items":[{"id":1,"action":"start","vmid":100,"taskId":"UPID:pve1:00001234:00005678:6745A0B1:vzstart:173:root@pam:"}]}""", "173")]
    [TestCase("""{"code":"container_not_found","detail":"Container 4711 is not visible."}""", "4711")]
    [TestCase("""{"vmids":[100,173]}""", "173")]
    [TestCase("""{"items":[{"id":1,"action":"vault-keeper","vmid":100}]}""", "vault-keeper")]
    public void Check_ForeignContainerNamedInContainerMember_ReportsViolation(string body, string token)
    {
        var violations = FuzzProperties.Check(Outcome(body, []), Reader);

        Assert.That(violations.Select(v => v.Class), Has.One.Contains($"names a foreign container's '{token}'"));
    }

    [Test]
    public void Check_NumbersEqualToForeignVmidOutsideContainerMembers_NoViolation()
    {
        const string body = """
            {"items":[{"id":173,"action":"status","vmid":100,"node":"pve1","status":"succeeded","httpStatus":173,"durationMs":4711,
            "warnings":[],"requestedAt":"2026-11-29T19:01:02.173Z","method":"GET","path":"/api/v1/containers/100/status",
            "requestId":"0HN173-4711"}],"nextCursor":null}
            """;

        var violations = FuzzProperties.Check(Outcome(body, [new("Content-Length", "173")]), Reader);

        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void Check_ForeignVmidInLocationHeader_ReportsViolation()
    {
        var violations = FuzzProperties.Check(Outcome("{}", [new("Location", "/api/v1/containers/173")]), Reader);

        Assert.That(violations.Select(v => v.Class), Has.One.Contains("names a foreign container's '173'"));
    }

    [Test]
    public void Check_OperationAddressWhoseIdEqualsForeignVmid_NoViolation()
    {
        var violations = FuzzProperties.Check(Outcome("{}", [new("Location", "/api/v1/operations/173")]), Reader);

        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void Check_RecordRepeatingItsOwnRequestsForeignId_NoViolation()
    {
        const string body = """
            {"items":[{"id":9,"action":"CloneContainer","vmid":100,"error":{"code":"vmid_unavailable","message":"The id 4711 is not available."},
            "parameters":{"newVmid":4711,"hostname":"vault-keeper"}}]}
            """;

        var violations = FuzzProperties.Check(Outcome(body, []), Reader);

        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void Check_RecordNamingForeignIdItsRequestDidNotType_ReportsViolation()
    {
        const string body = """
            {"items":[{"id":9,"action":"CloneContainer","vmid":100,"error":{"code":"vmid_unavailable","message":"The id 173 is not available."},
            "parameters":{"newVmid":4711}}]}
            """;

        var violations = FuzzProperties.Check(Outcome(body, []), Reader);

        Assert.That(violations.Select(v => v.Class), Has.One.Contains("names a foreign container's '173'"));
    }

    [Test]
    public void Check_EventStream_IdsAreNotContainersButDataIs()
    {
        const string stream = "retry: 2000\n: connected\n\nid: 173\nevent: operation.started\ndata: {\"id\":4711,\"vmid\":100}\n\n"
            + "id: 174\nevent: container.state\ndata: {\"vmid\":173,\"state\":\"running\"}\n\n";
        var fuzzCase = new FuzzCase("Events_Stream", Reader.Name, "GET", "/api/v1/events", [], null, null, BodyEncoding.Utf8, null);
        var outcome = new CaseOutcome(fuzzCase, "/api/v1/events", 200, "text/event-stream", [], stream, Array.Empty<JournalEntry>());

        var violations = FuzzProperties.Check(outcome, Reader);

        Assert.That(violations.Select(v => v.Class), Is.EqualTo(new[] { "(c) Events_Stream 200 names a foreign container's '173'" }));
    }

    [Test]
    public void Check_ForeignVmidTheClientSent_NoViolation()
    {
        var violations = FuzzProperties.Check(Outcome("""{"items":[{"id":1,"vmid":173}]}""", [], "/api/v1/operations?vmid=173"), Reader);

        Assert.That(violations, Is.Empty);
    }

    private static CaseOutcome Outcome(string body, IReadOnlyList<KeyValuePair<string, string>> headers, string url = "/api/v1/operations")
    {
        var fuzzCase = new FuzzCase("Operations_List", Reader.Name, "GET", url, [], null, null, BodyEncoding.Utf8, null);
        return new CaseOutcome(fuzzCase, url, 200, "application/json", headers, body, Array.Empty<JournalEntry>());
    }
}
