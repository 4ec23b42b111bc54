using ProxmoxLxc.Domain.ApiKeys;

namespace ProxmoxLxc.Domain.UnitTests.ApiKeys;

public class ApiKeyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static ApiKey NewKey(IEnumerable<string>? scopes = null, DateTimeOffset? expiresAt = null, KeyRestriction? restriction = null) =>
        ApiKey.Issue("abcdefABCDEF", "  ci key  ", [1, 2, 3], scopes ?? [Scopes.ContainersRead], restriction ?? KeyRestriction.None,
            expiresAt, Now, "creator");

    [Test]
    public void Issue_WithDuplicateScopes_StoresThemOnceInOrder()
    {
        var key = NewKey([Scopes.KeysAdmin, Scopes.ContainersRead, Scopes.KeysAdmin]);

        Assert.Multiple(() =>
        {
            Assert.That(key.Scopes, Is.EqualTo(new[] { Scopes.ContainersRead, Scopes.KeysAdmin }));
            Assert.That(key.Name, Is.EqualTo("ci key"));
            Assert.That(key.Enabled, Is.True);
            Assert.That(key.CreatedAt, Is.EqualTo(Now));
            Assert.That(key.CreatedBy, Is.EqualTo("creator"));
            Assert.That(key.IsActive(Now), Is.True);
        });
    }

    [Test]
    public void Issue_WithUnknownScope_Throws()
    {
        Assert.Throws<ArgumentException>(() => NewKey(["containers:read", "root"]));
    }

    [Test]
    public void Issue_WithNoScope_Throws()
    {
        Assert.Throws<ArgumentException>(() => NewKey([]));
    }

    [Test]
    public void Restriction_AfterIssue_RoundTripsThroughStoredColumns()
    {
        var restriction = new KeyRestriction(["pve1", "pve2"], ["prod"], new VmIdRange(100, 199));

        var key = NewKey(restriction: restriction);

        Assert.Multiple(() =>
        {
            Assert.That(key.Restriction.AllowedNodes, Is.EqualTo(new[] { "pve1", "pve2" }));
            Assert.That(key.Restriction.AllowedPools, Is.EqualTo(new[] { "prod" }));
            Assert.That(key.Restriction.VmIdRange, Is.EqualTo(new VmIdRange(100, 199)));
            Assert.That(key.AllowedNodeList, Is.EqualTo("pve1,pve2"));
        });
    }

    [Test]
    public void IsActive_AtOrAfterExpiry_IsFalse()
    {
        var key = NewKey(expiresAt: Now.AddHours(1));

        Assert.Multiple(() =>
        {
            Assert.That(key.IsActive(Now.AddMinutes(59)), Is.True);
            Assert.That(key.IsActive(Now.AddHours(1)), Is.False);
            Assert.That(key.IsExpired(Now.AddHours(2)), Is.True);
        });
    }

    [Test]
    public void IsActive_WhenDisabledThenEnabled_FollowsTheFlag()
    {
        var key = NewKey();

        key.Disable();
        var whileDisabled = key.IsActive(Now);
        key.Enable();

        Assert.Multiple(() =>
        {
            Assert.That(whileDisabled, Is.False);
            Assert.That(key.IsActive(Now), Is.True);
        });
    }

    [Test]
    public void Revoke_Twice_KeepsFirstRevocationTimeAndDisables()
    {
        var key = NewKey();

        key.Revoke(Now);
        key.Revoke(Now.AddDays(1));

        Assert.Multiple(() =>
        {
            Assert.That(key.RevokedAt, Is.EqualTo(Now));
            Assert.That(key.Enabled, Is.False);
            Assert.That(key.IsRevoked, Is.True);
            Assert.That(key.IsActive(Now), Is.False);
        });
    }

    [Test]
    public void Enable_AfterRevoke_DoesNotReactivateTheKey()
    {
        var key = NewKey();
        key.Revoke(Now);

        key.Enable();

        Assert.That(key.IsActive(Now), Is.False);
    }

    [Test]
    public void Rotate_ActiveKey_ReplacesHashAndStampsTime()
    {
        var key = NewKey();

        key.Rotate([9, 9, 9], Now.AddMinutes(5));

        Assert.Multiple(() =>
        {
            Assert.That(key.SecretHash, Is.EqualTo(new byte[] { 9, 9, 9 }));
            Assert.That(key.RotatedAt, Is.EqualTo(Now.AddMinutes(5)));
        });
    }

    [Test]
    public void Rotate_RevokedKey_Throws()
    {
        var key = NewKey();
        key.Revoke(Now);

        Assert.Throws<InvalidOperationException>(() => key.Rotate([9], Now));
    }

    [Test]
    public void MarkUsed_WithOlderTime_KeepsTheLatest()
    {
        var key = NewKey();

        key.MarkUsed(Now.AddMinutes(2));
        key.MarkUsed(Now.AddMinutes(1));

        Assert.That(key.LastUsedAt, Is.EqualTo(Now.AddMinutes(2)));
    }

    [TestCase(new[] { Scopes.Admin }, true)]
    [TestCase(new[] { Scopes.KeysAdmin }, true)]
    [TestCase(new[] { Scopes.ContainersRead, Scopes.AuditRead }, false)]
    public void HoldsKeyAdministration_ForScopes_MatchesAdminOrKeysAdmin(string[] scopes, bool expected)
    {
        Assert.That(NewKey(scopes).HoldsKeyAdministration, Is.EqualTo(expected));
    }
}
