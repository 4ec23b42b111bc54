using ProxmoxLxc.Domain.ApiKeys;

namespace ProxmoxLxc.Domain.UnitTests.ApiKeys;

public class KeyRestrictionTests
{
    private static readonly KeyRestriction Outer = new(["pve1", "pve2"], ["prod"], new VmIdRange(100, 199));

    [Test]
    public void Allows_ContainerInsideEveryAxis_IsTrue()
    {
        Assert.That(Outer.Allows(150, "pve1", "prod"), Is.True);
    }

    [TestCase(200, "pve1", "prod")]
    [TestCase(150, "pve3", "prod")]
    [TestCase(150, "pve1", "dev")]
    [TestCase(150, null, "prod")]
    [TestCase(150, "pve1", null)]
    public void Allows_ContainerOutsideOneAxis_IsFalse(int vmId, string? node, string? pool)
    {
        Assert.That(Outer.Allows(vmId, node, pool), Is.False);
    }

    [Test]
    public void Allows_Unrestricted_AllowsEverything()
    {
        Assert.Multiple(() =>
        {
            Assert.That(KeyRestriction.None.IsUnrestricted, Is.True);
            Assert.That(KeyRestriction.None.Allows(123456, null, null), Is.True);
        });
    }

    [Test]
    public void IsWithin_Narrower_IsTrue()
    {
        var inner = new KeyRestriction(["pve1"], ["prod"], new VmIdRange(120, 130));

        Assert.That(inner.IsWithin(Outer), Is.True);
    }

    [Test]
    public void IsWithin_AnythingAgainstUnrestricted_IsTrue()
    {
        Assert.That(Outer.IsWithin(KeyRestriction.None), Is.True);
    }

    [Test]
    public void IsWithin_UnrestrictedAgainstRestricted_IsFalse()
    {
        Assert.That(KeyRestriction.None.IsWithin(Outer), Is.False);
    }

    [TestCase(new[] { "pve3" }, new[] { "prod" }, 100, 199)]
    [TestCase(new[] { "pve1" }, new[] { "dev" }, 100, 199)]
    [TestCase(new[] { "pve1" }, new[] { "prod" }, 99, 150)]
    [TestCase(new[] { "pve1" }, new[] { "prod" }, 150, 200)]
    public void IsWithin_WiderOnOneAxis_IsFalse(string[] nodes, string[] pools, int min, int max)
    {
        var inner = new KeyRestriction(nodes, pools, new VmIdRange(min, max));

        Assert.That(inner.IsWithin(Outer), Is.False);
    }
}
