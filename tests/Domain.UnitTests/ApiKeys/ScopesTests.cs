using ProxmoxLxc.Domain.ApiKeys;

namespace ProxmoxLxc.Domain.UnitTests.ApiKeys;

public class ScopesTests
{
    [TestCase(new[] { Scopes.ContainersRead }, Scopes.ContainersRead, true)]
    [TestCase(new[] { Scopes.ContainersRead }, Scopes.ContainersWrite, false)]
    [TestCase(new[] { Scopes.Admin }, Scopes.ContainersWrite, true)]
    [TestCase(new[] { Scopes.Admin }, Scopes.KeysAdmin, true)]
    [TestCase(new[] { Scopes.AuditRead }, Scopes.OperationsRead, true)]
    [TestCase(new[] { Scopes.ContainersRead }, Scopes.OperationsRead, true)]
    [TestCase(new[] { Scopes.ContainersPower }, Scopes.OperationsRead, false)]
    [TestCase(new[] { Scopes.KeysAdmin }, Scopes.AuditRead, false)]
    public void Satisfies_HeldAndRequired_ReturnsExpected(string[] held, string required, bool expected)
    {
        Assert.That(Scopes.Satisfies(held, required), Is.EqualTo(expected));
    }

    [Test]
    public void Expand_Admin_YieldsEveryScope()
    {
        Assert.That(Scopes.Expand([Scopes.Admin]), Is.EquivalentTo(Scopes.All));
    }

    [Test]
    public void Expand_WithoutAdmin_KeepsTheGivenScopes()
    {
        Assert.That(Scopes.Expand([Scopes.KeysAdmin, Scopes.KeysAdmin]), Is.EquivalentTo(new[] { Scopes.KeysAdmin }));
    }

    [TestCase("containers:read", true)]
    [TestCase("Containers:Read", false)]
    [TestCase("root", false)]
    public void IsKnown_Scope_IsCaseSensitive(string scope, bool expected)
    {
        Assert.That(Scopes.IsKnown(scope), Is.EqualTo(expected));
    }
}
