using System.Net;
using System.Text.Json.Nodes;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Containers.Writes;

/// <summary>Invalid requests are refused with the JSON field path and never reach Proxmox.</summary>
[TestFixture]
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class BadRequestBodyTests(DatabaseProvider provider) : ApiFixture(provider)
{
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void SetUpFixture()
    {
        _client = Factory.CreateAdminClient();
    }

    [OneTimeTearDown]
    public void DisposeClients()
    {
        _client.Dispose();
    }

    [Test]
    public async Task PatchConfig_FormEncodedBody_415NotAServerError()
    {
        // A JSON body sent as a form (as the fuzzer did): control characters, quotes and braces in the "form".
        using var content = new StringContent(
            "{\"cores\":4,\"cpuLimit\":\"abc\",\"tags\":[\"prod,tag=7\",\":\u007F,--\\\"\t_\u0001,9\t-\u00019\u0085\"],\"description\":\"line one\\nline two\"}",
            System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/containers/101/config") { Content = content };

        using var response = await _client.SendAsync(request);

        Assert.That((int)response.StatusCode, Is.EqualTo(415), Factory.Logs.AllText);
    }

    private static JsonObject Create(Action<JsonObject> change) => WriteApi.CreateBody("bad1", change);

    private static JsonObject Net(Action<JsonObject> change) => Create(b => change((JsonObject)b["networks"]![0]!));

    private static TestCaseData Case(string name, string path, JsonNode body, string field, int status = 400, string method = "POST") =>
        new TestCaseData(method, path, body.ToJsonString(), status, field).SetName($"BadBody_{name}_Is{status}At_{field.Replace("[", "(", StringComparison.Ordinal).Replace("]", ")", StringComparison.Ordinal)}");

    private static IEnumerable<TestCaseData> Cases()
    {
        const string c = "/api/v1/containers";
        yield return Case("HostnameMissing", c, Create(b => b.Remove("hostname")), "hostname");
        yield return Case("HostnameWithComma", c, Create(b => b["hostname"] = "web,ip=1.2.3.4"), "hostname");
        yield return Case("HostnameWithNewline", c, Create(b => b["hostname"] = "web\nnet1: x"), "hostname");
        yield return Case("HostnameWithSpace", c, Create(b => b["hostname"] = "web one"), "hostname");
        yield return Case("HostnameLabelTooLong", c, Create(b => b["hostname"] = new string('a', 64)), "hostname");
        yield return Case("HostnameTooLong", c, Create(b => b["hostname"] = string.Join('.', Enumerable.Repeat(new string('a', 60), 5))), "hostname");
        yield return Case("HostnameLeadingDash", c, Create(b => b["hostname"] = "-web"), "hostname");
        yield return Case("HostnameNul", c, Create(b => b["hostname"] = "web\u0000x"), "hostname");
        yield return Case("TemplateMissing", c, Create(b => b.Remove("template")), "template");
        yield return Case("TemplateNotVztmpl", c, Create(b => b["template"] = "local:iso/debian.iso"), "template");
        yield return Case("TemplateWithComma", c, Create(b => b["template"] = "local:vztmpl/a.tar.zst,size=1"), "template");
        yield return Case("TemplatePathTraversal", c, Create(b => b["template"] = "local:vztmpl/../../etc/passwd"), "template");
        yield return Case("TemplateUppercaseStorage", c, Create(b => b["template"] = "Local:vztmpl/a.tar.zst"), "template");
        yield return Case("CoresZero", c, Create(b => b["cores"] = 0), "cores");
        yield return Case("CoresTooMany", c, Create(b => b["cores"] = 8193), "cores");
        yield return Case("CoresMissing", c, Create(b => b.Remove("cores")), "cores");
        yield return Case("CoresString", c, Create(b => b["cores"] = "two"), "cores");
        yield return Case("MemoryTooSmall", c, Create(b => b["memoryMiB"] = 15), "memoryMiB");
        yield return Case("SwapNegative", c, Create(b => b["swapMiB"] = -1), "swapMiB");
        yield return Case("CpuLimitNegative", c, Create(b => b["cpuLimit"] = -0.5), "cpuLimit");
        yield return Case("CpuUnitsTooHigh", c, Create(b => b["cpuUnits"] = 500001), "cpuUnits");
        yield return Case("VmIdTooLow", c, Create(b => b["vmid"] = 99), "vmid");
        yield return Case("NodeWithSlash", c, Create(b => b["node"] = "pve1/../x"), "node");
        yield return Case("RootfsMissing", c, Create(b => b.Remove("rootfs")), "rootfs");
        yield return Case("RootfsStorageWithComma", c, Create(b => b["rootfs"]!["storage"] = "local-lvm,mp=/x"), "rootfs.storage");
        yield return Case("RootfsStorageUppercase", c, Create(b => b["rootfs"]!["storage"] = "LOCAL"), "rootfs.storage");
        yield return Case("RootfsSizeZero", c, Create(b => b["rootfs"]!["sizeGiB"] = 0), "rootfs.sizeGiB");
        yield return Case("RootfsSizeNegative", c, Create(b => b["rootfs"]!["sizeGiB"] = -4), "rootfs.sizeGiB");
        yield return Case("BridgeMissing", c, Net(n => n.Remove("bridge")), "networks[0].bridge");
        yield return Case("BridgeWithComma", c, Net(n => n["bridge"] = "vmbr0,tag=5"), "networks[0].bridge");
        yield return Case("BridgeWithEquals", c, Net(n => n["bridge"] = "vmbr0=x"), "networks[0].bridge");
        yield return Case("BridgeTooLong", c, Net(n => n["bridge"] = "vmbr0123456789012"), "networks[0].bridge");
        yield return Case("InterfaceNameWithSemicolon", c, Net(n => n["name"] = "eth0;rm"), "networks[0].name");
        yield return Case("VlanZero", c, Net(n => n["vlan"] = 0), "networks[0].vlan");
        yield return Case("VlanTooHigh", c, Net(n => n["vlan"] = 4095), "networks[0].vlan");
        yield return Case("Ipv4NoPrefix", c, Net(n => n["ipv4"] = "10.0.0.5"), "networks[0].ipv4");
        yield return Case("Ipv4BadOctet", c, Net(n => n["ipv4"] = "10.0.0.256/24"), "networks[0].ipv4");
        yield return Case("Ipv4PrefixTooLong", c, Net(n => n["ipv4"] = "10.0.0.5/33"), "networks[0].ipv4");
        yield return Case("Ipv4WithOption", c, Net(n => n["ipv4"] = "10.0.0.5/24,gw=10.0.0.9"), "networks[0].ipv4");
        yield return Case("Ipv4Auto", c, Net(n => n["ipv4"] = "auto"), "networks[0].ipv4");
        yield return Case("Gateway4OutsideSubnet", c, Net(n => n["gateway4"] = "192.168.1.1"), "networks[0].gateway4");
        yield return Case("Gateway4WithDhcp", c, Net(n => { n["ipv4"] = "dhcp"; n["gateway4"] = "10.0.0.1"; }), "networks[0].gateway4");
        yield return Case("Gateway4NotAnAddress", c, Net(n => n["gateway4"] = "router"), "networks[0].gateway4");
        yield return Case("Ipv6Invalid", c, Net(n => n["ipv6"] = "fd00::zz/64"), "networks[0].ipv6");
        yield return Case("Ipv6PrefixTooLong", c, Net(n => n["ipv6"] = "fd00::5/129"), "networks[0].ipv6");
        yield return Case("Gateway6OutsideSubnet", c, Net(n => { n["ipv6"] = "fd00:1::5/64"; n["gateway6"] = "fd00:2::1"; }), "networks[0].gateway6");
        yield return Case("MacInvalid", c, Net(n => n["macAddress"] = "BC:24:11:00:00"), "networks[0].macAddress");
        yield return Case("MacMulticast", c, Net(n => n["macAddress"] = "01:00:5E:00:00:01"), "networks[0].macAddress");
        yield return Case("RateNegative", c, Net(n => n["rateMbps"] = -1), "networks[0].rateMbps");
        yield return Case("MtuTooSmall", c, Net(n => n["mtu"] = 63), "networks[0].mtu");
        yield return Case("DuplicateNetworkIndex", c, Create(b => b["networks"] = new JsonArray(
            new JsonObject { ["bridge"] = "vmbr0", ["index"] = 0 }, new JsonObject { ["bridge"] = "vmbr0", ["index"] = 0 })), "networks");
        yield return Case("UnknownNetworkMember", c, Net(n => n["ip"] = "dhcp"), "networks[0].ip");
        yield return Case("PasswordTooShort", c, Create(b => b["password"] = "abcd"), "password");
        yield return Case("PasswordWithNewline", c, Create(b => b["password"] = "abcdef\nroot"), "password");
        yield return Case("SshKeyGarbage", c, Create(b => b["sshPublicKeys"] = new JsonArray("not a key")), "sshPublicKeys[0]");
        yield return Case("SshKeyUnknownType", c, Create(b => b["sshPublicKeys"] = new JsonArray("ssh-foo AAAAB3NzaC1yc2E= x")), "sshPublicKeys[0]");
        yield return Case("SshKeyTwoLinesInOne", c, Create(b => b["sshPublicKeys"] = new JsonArray(WriteApi.SshKey + "\n" + WriteApi.SshKey)), "sshPublicKeys[0]");
        yield return Case("SshKeyBlobTypeMismatch", c, Create(b => b["sshPublicKeys"] = new JsonArray("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl")), "sshPublicKeys[0]");
        yield return Case("TagWithSemicolon", c, Create(b => b["tags"] = new JsonArray("prod;web")), "tags[0]");
        yield return Case("TagWithSpace", c, Create(b => b["tags"] = new JsonArray("ok", "two words")), "tags[1]");
        yield return Case("PoolWithComma", c, Create(b => b["pool"] = "web,db"), "pool");
        yield return Case("DescriptionTooLong", c, Create(b => b["description"] = new string('x', 8193)), "description");
        yield return Case("DescriptionWithNul", c, Create(b => b["description"] = "line\u0000two"), "description");
        yield return Case("NameserverNotAnIp", c, Create(b => b["nameserver"] = "dns.example.org"), "nameserver");
        yield return Case("NameserverWithComma", c, Create(b => b["nameserver"] = "10.0.0.2,10.0.0.3"), "nameserver");
        yield return Case("SearchDomainWithNewline", c, Create(b => b["searchDomain"] = "example.org\nmp0: x"), "searchDomain");
        yield return Case("MountPointPathRelative", c, Create(b => b["mountPoints"] = new JsonArray(new JsonObject { ["storage"] = "local-lvm", ["sizeGiB"] = 1, ["path"] = "data" })), "mountPoints[0].path");
        yield return Case("MountPointPathWithComma", c, Create(b => b["mountPoints"] = new JsonArray(new JsonObject { ["storage"] = "local-lvm", ["sizeGiB"] = 1, ["path"] = "/data,ro=1" })), "mountPoints[0].path");
        yield return Case("MountPointPathDotDot", c, Create(b => b["mountPoints"] = new JsonArray(new JsonObject { ["storage"] = "local-lvm", ["sizeGiB"] = 1, ["path"] = "/srv/../etc" })), "mountPoints[0].path");
        yield return Case("UnknownMember", c, Create(b => b["ostemplate"] = "local:vztmpl/x.tar.zst"), "ostemplate");
        yield return Case("KeyctlPrivileged", c, Create(b => { b["unprivileged"] = false; b["features"] = new JsonObject { ["keyctl"] = true }; }), "features");

        yield return Case("ShutdownTimeoutNegative", $"{c}/100/shutdown", new JsonObject { ["timeoutSeconds"] = -1 }, "timeoutSeconds");
        yield return Case("RebootTimeoutTooLong", $"{c}/100/reboot", new JsonObject { ["timeoutSeconds"] = 3601 }, "timeoutSeconds");
        yield return Case("ResizeBothSizes", $"{c}/100/resize", new JsonObject { ["disk"] = "rootfs", ["sizeGiB"] = 20, ["growGiB"] = 2 }, "sizeGiB");
        yield return Case("ResizeNoSize", $"{c}/100/resize", new JsonObject { ["disk"] = "rootfs" }, "sizeGiB");
        yield return Case("ResizeBadDisk", $"{c}/100/resize", new JsonObject { ["disk"] = "rootfs,size=1", ["growGiB"] = 2 }, "disk");
        yield return Case("ResizeGrowZero", $"{c}/100/resize", new JsonObject { ["disk"] = "mp0", ["growGiB"] = 0 }, "growGiB");
        yield return Case("SnapshotNameReserved", $"{c}/100/snapshots", new JsonObject { ["name"] = "vzdump" }, "name");
        yield return Case("SnapshotNameStartsWithDigit", $"{c}/100/snapshots", new JsonObject { ["name"] = "1snap" }, "name");
        yield return Case("SnapshotNameTooLong", $"{c}/100/snapshots", new JsonObject { ["name"] = "s" + new string('x', 40) }, "name");
        yield return Case("SnapshotNameWithSpace", $"{c}/100/snapshots", new JsonObject { ["name"] = "my snap" }, "name");
        yield return Case("CloneHostnameMissing", $"{c}/100/clone", new JsonObject { ["full"] = true }, "hostname");
        yield return Case("CloneStorageLinked", $"{c}/100/clone", new JsonObject { ["hostname"] = "x", ["full"] = false, ["targetStorage"] = "local-lvm" }, "targetStorage");
        yield return Case("CloneTargetNodeWithComma", $"{c}/100/clone", new JsonObject { ["hostname"] = "x", ["full"] = true, ["targetNode"] = "pve1,pve2" }, "targetNode");
        yield return Case("PatchEmpty", $"{c}/100/config", new JsonObject(), "$", method: "PATCH");
        yield return Case("PatchCoresZero", $"{c}/100/config", new JsonObject { ["cores"] = 0 }, "cores", method: "PATCH");
        yield return Case("PatchDeleteUnknown", $"{c}/100/config", new JsonObject { ["delete"] = new JsonArray("rootfs") }, "delete[0]", method: "PATCH");
        yield return Case("PatchDeleteAndSet", $"{c}/100/config", new JsonObject { ["cores"] = 2, ["delete"] = new JsonArray("cores") }, "delete[0]", method: "PATCH");
        yield return Case("PatchDeleteInjection", $"{c}/100/config", new JsonObject { ["delete"] = new JsonArray("tags,hostname") }, "delete[0]", method: "PATCH");
        yield return Case("PatchHostnameNotPatchable", $"{c}/100/config", new JsonObject { ["hostname"] = "x" }, "hostname", method: "PATCH");
        yield return Case("PatchNetworkIndexTooHigh", $"{c}/100/config", new JsonObject { ["networks"] = new JsonArray(new JsonObject { ["index"] = 32, ["bridge"] = "vmbr0" }) }, "networks[0].index", method: "PATCH");
        yield return Case("PatchSearchDomainWithComma", $"{c}/100/config", new JsonObject { ["searchDomain"] = "a.org,b.org" }, "searchDomain", method: "PATCH");

        // Issue 8 §10: '$' in a pattern matched before a trailing newline; no value may carry one (or a Unicode separator).
        yield return Case("HostnameTrailingNewline", c, Create(b => b["hostname"] = "web\n"), "hostname");
        yield return Case("HostnameLineSeparator", c, Create(b => b["hostname"] = "web\u2028x"), "hostname");
        yield return Case("TemplateTrailingNewline", c, Create(b => b["template"] = WriteApi.Debian + "\n"), "template");
        yield return Case("RootfsStorageTrailingNewline", c, Create(b => b["rootfs"]!["storage"] = "local-lvm\n"), "rootfs.storage");
        yield return Case("BridgeTrailingNewline", c, Net(n => n["bridge"] = "vmbr0\n"), "networks[0].bridge");
        yield return Case("InterfaceNameTrailingNewline", c, Net(n => n["name"] = "eth0\n"), "networks[0].name");
        yield return Case("MacTrailingNewline", c, Net(n => n["macAddress"] = "BC:24:11:00:00:01\n"), "networks[0].macAddress");
        yield return Case("Ipv4TrailingNewline", c, Net(n => { n["ipv4"] = "10.0.0.5/24\n"; n.Remove("gateway4"); }), "networks[0].ipv4");
        yield return Case("Gateway4TrailingNewline", c, Net(n => n["gateway4"] = "10.0.0.1\n"), "networks[0].gateway4");
        yield return Case("TagTrailingNewline", c, Create(b => b["tags"] = new JsonArray("prod\n")), "tags[0]");
        yield return Case("NameserverTrailingNewline", c, Create(b => b["nameserver"] = "10.0.0.2\n"), "nameserver");
        yield return Case("SearchDomainTrailingNewline", c, Create(b => b["searchDomain"] = "example.org\n"), "searchDomain");
        yield return Case("SearchDomainNextLine", c, Create(b => b["searchDomain"] = "example.org\u0085x"), "searchDomain");
        yield return Case("PoolTrailingNewline", c, Create(b => b["pool"] = "web\n"), "pool");
        yield return Case("PasswordLineSeparator", c, Create(b => b["password"] = "abcdef\u2028root"), "password");
        yield return Case("MountPointPathTrailingNewline", c, Create(b => b["mountPoints"] = new JsonArray(new JsonObject { ["storage"] = "local-lvm", ["sizeGiB"] = 1, ["path"] = "/srv\n" })), "mountPoints[0].path");
        yield return Case("SnapshotNameTrailingNewline", $"{c}/100/snapshots", new JsonObject { ["name"] = "snap1\n" }, "name");
        yield return Case("CloneHostnameTrailingNewline", $"{c}/100/clone", new JsonObject { ["hostname"] = "x\n", ["full"] = true }, "hostname");
        yield return Case("CloneTargetStorageTrailingNewline", $"{c}/100/clone", new JsonObject { ["hostname"] = "x", ["full"] = true, ["targetStorage"] = "local-lvm\n" }, "targetStorage");
        yield return Case("ResizeDiskTrailingNewline", $"{c}/100/resize", new JsonObject { ["disk"] = "rootfs\n", ["growGiB"] = 2 }, "disk");
        yield return Case("PatchDeleteTrailingNewline", $"{c}/100/config", new JsonObject { ["delete"] = new JsonArray("networks[1]\n") }, "delete[0]", method: "PATCH");

        // Issue 8 §11: sizes are ≥ 1 GiB with at most 3 decimals, so Proxmox receives what was asked (never "local-lvm:0").
        yield return Case("RootfsSizeTiny", c, Create(b => b["rootfs"]!["sizeGiB"] = 0.0000000000000000000001m), "rootfs.sizeGiB");
        yield return Case("RootfsSizeBelowOne", c, Create(b => b["rootfs"]!["sizeGiB"] = 0.5m), "rootfs.sizeGiB");
        yield return Case("RootfsSizeTooPrecise", c, Create(b => b["rootfs"]!["sizeGiB"] = 4.0001m), "rootfs.sizeGiB");
        yield return Case("MountPointSizeTiny", c, Create(b => b["mountPoints"] = new JsonArray(new JsonObject { ["storage"] = "local-lvm", ["sizeGiB"] = 0.0001m, ["path"] = "/srv" })), "mountPoints[0].sizeGiB");
        yield return Case("ResizeSizeTiny", $"{c}/100/resize", new JsonObject { ["disk"] = "rootfs", ["sizeGiB"] = 0.0000001m }, "sizeGiB");
        yield return Case("ResizeGrowTiny", $"{c}/100/resize", new JsonObject { ["disk"] = "rootfs", ["growGiB"] = 0.00001m }, "growGiB");

        // Issue 8 §9: Proxmox requires memory ("unable to delete required option 'memory'").
        yield return Case("PatchDeleteMemory", $"{c}/100/config", new JsonObject { ["delete"] = new JsonArray("memoryMiB") }, "delete[0]", method: "PATCH");
    }

    [TestCaseSource(nameof(Cases))]
    public async Task BadBody(string method, string path, string body, int status, string field)
    {
        var journal = Factory.Emulator.Journal;
        var before = journal.RequestCalls();
        using var response = await _client.SendJsonAsync(new HttpMethod(method), path, JsonNode.Parse(body));
        var problem = await response.ProblemAsync((HttpStatusCode)status, "validation_failed");
        var errors = problem.GetProperty("errors");
        Assert.That(errors.TryGetProperty(field, out _), Is.True, $"expected an error at '{field}': {problem}");
        Assert.That(journal.RequestCalls(), Is.EqualTo(before), "no call may reach Proxmox");
    }

    [Test]
    public async Task BadIfMatch_Is400AtIfMatch()
    {
        var before = Factory.Emulator.Journal.RequestCalls();
        using var response = await _client.SendJsonAsync(HttpMethod.Patch, "/api/v1/containers/100/config", new JsonObject { ["cores"] = 2 },
            new Dictionary<string, string> { ["If-Match"] = "W/\"abc\"" });
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(problem.GetProperty("errors").TryGetProperty("If-Match", out _), Is.True);
        Assert.That(Factory.Emulator.Journal.RequestCalls(), Is.EqualTo(before));
    }
}
