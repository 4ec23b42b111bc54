using ProxmoxLxc.Client;
using ProxmoxLxc.EndToEnd.Tests.Support;

namespace ProxmoxLxc.EndToEnd.Tests;

/// <summary>On a fresh service the bootstrap key is the only admin key: it cannot be revoked or disabled.</summary>
[TestFixtureSource(typeof(ServiceProcess), nameof(ServiceProcess.Providers))]
public sealed class LastAdminKeyTests(string provider) : ServiceFixture(provider)
{
    [Test]
    public async Task RevokeAndDisable_LastAdminKey_AreConflictsAndTheKeyKeepsWorking()
    {
        using var admin = Service.Clients();
        var keys = admin.Create<KeysClient>();
        var keyId = ServiceProcess.AdminKey.Split('_')[1];

        var revoke = Assert.ThrowsAsync<ProxmoxLxcApiException<ProblemDetails>>(() => keys.RevokeAsync(keyId));
        var disable = Assert.ThrowsAsync<ProxmoxLxcApiException<ProblemDetails>>(() => keys.UpdateAsync(keyId, new UpdateApiKeyCommand { Enabled = false }));

        Assert.Multiple(() =>
        {
            Assert.That(revoke!.StatusCode, Is.EqualTo(409));
            Assert.That(revoke.Code, Is.EqualTo("last_admin_key"));
            Assert.That(disable!.Code, Is.EqualTo("last_admin_key"));
        });
        var stillThere = await keys.GetAsync(keyId);
        Assert.Multiple(() =>
        {
            Assert.That(stillThere.Enabled, Is.True);
            Assert.That(stillThere.RevokedAt, Is.Null);
        });
    }
}
