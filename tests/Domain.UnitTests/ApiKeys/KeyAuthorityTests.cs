using ProxmoxLxc.Domain.ApiKeys;

namespace ProxmoxLxc.Domain.UnitTests.ApiKeys;

/// <summary>The key-management rule: a key covers only keys that hold no more scopes and no wider restriction.</summary>
public class KeyAuthorityTests
{
    private static readonly KeyRestriction Web = new([], ["web"], new VmIdRange(100, 199));

    private static KeyAuthority Of(string[] scopes, KeyRestriction? restriction = null) => new(scopes, restriction ?? KeyRestriction.None);

    [TestCase(new[] { "keys:admin" }, new[] { "keys:admin" })]
    [TestCase(new[] { "keys:admin", "containers:read" }, new[] { "containers:read" })]
    [TestCase(new[] { "admin" }, new[] { "admin" })]
    [TestCase(new[] { "admin" }, new[] { "keys:admin", "containers:write", "audit:read" })]
    public void Covers_ScopesWithinTheCallers_IsTrue(string[] caller, string[] target)
    {
        Assert.That(Of(caller).Covers(Of(target)), Is.True);
    }

    [TestCase(new[] { "keys:admin" }, new[] { "admin" }, "admin")]
    [TestCase(new[] { "keys:admin", "containers:read" }, new[] { "containers:read", "containers:write" }, "containers:write")]
    [TestCase(new[] { "keys:admin" }, new[] { "keys:admin", "audit:read" }, "audit:read")]
    public void Covers_ScopeTheCallerLacks_IsFalseAndNamesIt(string[] caller, string[] target, string missing)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Of(caller).Covers(Of(target)), Is.False);
            Assert.That(Of(caller).FirstMissingScope(Of(target)), Is.EqualTo(missing));
        });
    }

    [Test]
    public void Covers_NarrowerOrEqualRestriction_IsTrue()
    {
        var caller = Of(["admin"], Web);

        Assert.Multiple(() =>
        {
            Assert.That(caller.Covers(Of(["admin"], Web)), Is.True);
            Assert.That(caller.Covers(Of(["containers:read"], new KeyRestriction(["pve1"], ["web"], new VmIdRange(120, 130)))), Is.True);
            Assert.That(Of(["keys:admin", "containers:read"]).Covers(Of(["containers:read"], Web)), Is.True, "an unrestricted caller covers restricted keys");
        });
    }

    [Test]
    public void Covers_WiderRestriction_IsFalse()
    {
        var caller = Of(["admin"], Web);

        Assert.Multiple(() =>
        {
            Assert.That(caller.Covers(Of(["containers:read"])), Is.False, "unrestricted is wider than any restriction");
            Assert.That(caller.Covers(Of(["containers:read"], new KeyRestriction([], ["web", "db"], new VmIdRange(100, 199)))), Is.False);
            Assert.That(caller.Covers(Of(["containers:read"], new KeyRestriction([], ["web"], new VmIdRange(100, 200)))), Is.False);
            Assert.That(caller.Covers(Of(["containers:read"], new KeyRestriction([], ["web"], null))), Is.False);
            Assert.That(caller.Covers(Of(["containers:read"], new KeyRestriction(["pve1"], [], new VmIdRange(100, 199)))), Is.False);
        });
    }
}
