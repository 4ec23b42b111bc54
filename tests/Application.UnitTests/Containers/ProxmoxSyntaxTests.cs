using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.UnitTests.Containers;

/// <summary>The one set of Proxmox value rules the validators and the gateway guards share.</summary>
[TestFixture]
public sealed class ProxmoxSyntaxTests
{
    private static readonly (string Name, Func<string?, bool> Rule, string Valid)[] Rules =
    [
        ("node", ProxmoxSyntax.IsNodeName, "pve1"),
        ("pool", ProxmoxSyntax.IsPoolId, "web"),
        ("storage", ProxmoxSyntax.IsStorageId, "local-lvm"),
        ("template", ProxmoxSyntax.IsTemplateVolId, "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"),
        ("interface", ProxmoxSyntax.IsInterfaceName, "vmbr0.20"),
        ("mac", ProxmoxSyntax.IsMacSyntax, "BC:24:11:00:00:01"),
        ("tag", ProxmoxSyntax.IsTag, "prod+web"),
        ("snapshot", ProxmoxSyntax.IsSnapshotName, "before-upgrade"),
        ("hostname", ProxmoxSyntax.IsHostname, "web01.example.org"),
        ("mount path", ProxmoxSyntax.IsMountPath, "/srv/data"),
        ("fs type", ProxmoxSyntax.IsFsType, "nfs"),
        ("disk", ProxmoxSyntax.IsDiskName, "mp255"),
        ("config key", ProxmoxSyntax.IsConfigKey, "ssh-public-keys"),
        ("digest", ProxmoxSyntax.IsDigest, "0123456789abcdef0123456789abcdef01234567"),
        ("path segment", ProxmoxSyntax.IsPathSegment, "pve-node_2.lan"),
    ];

    private static IEnumerable<TestCaseData> EveryRule() => Rules.Select(r => new TestCaseData(r.Rule, r.Valid).SetArgDisplayNames(r.Name));

    [TestCaseSource(nameof(EveryRule))]
    public void Rule_ValidValue_Accepted(Func<string?, bool> rule, string valid) => Assert.That(rule(valid), Is.True);

    [TestCaseSource(nameof(EveryRule))]
    public void Rule_ValidValueWithTrailingNewline_Rejected(Func<string?, bool> rule, string valid) =>
        Assert.Multiple(() =>
        {
            Assert.That(rule(valid + "\n"), Is.False, "a trailing newline would reach Proxmox");
            Assert.That(rule(valid + ",x=1"), Is.False, "a separator would add an option");
            Assert.That(rule(null), Is.False);
        });

    [TestCase("current")]
    [TestCase("VZDUMP")]
    [TestCase("1snap")]
    public void IsSnapshotName_ReservedOrNotStartingWithLetter_False(string name) => Assert.That(ProxmoxSyntax.IsSnapshotName(name), Is.False);

    [TestCase("mp256")]
    [TestCase("mp01")]
    [TestCase("net0")]
    public void IsDiskName_OutsideRootfsAndMp0To255_False(string disk) => Assert.That(ProxmoxSyntax.IsDiskName(disk), Is.False);

    [TestCase("net3", "net", 3)]
    [TestCase("mp12", "mp", 12)]
    public void TryParseIndexedKey_NetOrMp_KindAndIndex(string key, string kind, int index)
    {
        Assert.That(ProxmoxSyntax.TryParseIndexedKey(key, out var k, out var i), Is.True);
        Assert.That((k, i), Is.EqualTo((kind, index)));
    }

    [TestCase("net")]
    [TestCase("rootfs")]
    [TestCase("net3\n")]
    public void TryParseIndexedKey_OtherKey_False(string key) => Assert.That(ProxmoxSyntax.TryParseIndexedKey(key, out _, out _), Is.False);

    [Test]
    public void IsStorageId_LongerThan64_False() => Assert.That(ProxmoxSyntax.IsStorageId("a" + new string('b', 64)), Is.False);
}
