using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.ApiKeys;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.Infrastructure.Security;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Persistence;

/// <summary>
/// The key-change stamp is renewed with every key change authentication depends on, in the same transaction, and the
/// watcher drops the key cache exactly when it changed — on every provider.
/// </summary>
public class KeyChangeStampTests(DatabaseProvider provider) : ProviderMatrixFixture(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task SaveChanges_EachKindOfKeyChange_RenewsTheStamp()
    {
        await using var host = await StartHostAsync();
        var id = await SeedAsync(host);
        var secrets = host.Services.GetRequiredService<IApiKeySecrets>();
        Action<ApiKey>[] changes =
        [
            k => k.Disable(),
            k => k.Enable(),
            k => k.SetScopes([Scopes.AuditRead]),
            k => k.SetExpiry(Now.AddDays(1)),
            k => k.Rename("renamed"),
            k => k.Rotate(secrets.Generate().SecretHash, Now),
            k => k.Revoke(Now),
        ];

        var stamps = new List<Guid> { await StampAsync(host) };
        foreach (var change in changes)
        {
            await using var db = host.NewContext();
            change(await db.ApiKeys.SingleAsync(k => k.Id == id));
            await db.SaveChangesAsync();
            stamps.Add(await StampAsync(host));
        }

        Assert.That(stamps, Is.Unique, "every change leaves a stamp never seen before");
    }

    [Test]
    public async Task SaveChanges_LastUseOrNewKey_LeavesTheStamp()
    {
        await using var host = await StartHostAsync();
        var id = await SeedAsync(host);
        var before = await StampAsync(host);

        await using (var db = host.NewContext())
        {
            (await db.ApiKeys.SingleAsync(k => k.Id == id)).MarkUsed(Now);
            await db.SaveChangesAsync();
        }

        await SeedAsync(host);

        Assert.That(await StampAsync(host), Is.EqualTo(before), "the last-use flush and new keys do not make instances drop their caches");
    }

    [Test]
    public async Task SaveChanges_KeyChangeThatFails_LeavesTheStampAndTheKey()
    {
        await using var host = await StartHostAsync();
        var id = await SeedAsync(host);
        var other = await SeedAsync(host);
        var before = await StampAsync(host);

        await using (var db = host.NewContext())
        {
            (await db.ApiKeys.SingleAsync(k => k.Id == id)).Disable();
            var generated = host.Services.GetRequiredService<IApiKeySecrets>().Generate();
            db.ApiKeys.Add(ApiKey.Issue(other, "duplicate id", generated.SecretHash, [Scopes.ContainersRead], KeyRestriction.None, null, Now, null));
            Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }

        await using var check = host.NewContext();
        Assert.Multiple(async () =>
        {
            Assert.That(await StampAsync(host), Is.EqualTo(before), "one transaction: no stamp without the change");
            Assert.That((await check.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == id)).Enabled, Is.True);
        });
    }

    [Test]
    public async Task Poll_StampChangedOrFirstRead_DropsTheKeyCacheOnlyThen()
    {
        await using var host = await StartHostAsync();
        var id = await SeedAsync(host);
        var cache = host.Services.GetRequiredService<ApiKeyCache>();
        var watcher = host.HostedService<KeyChangeWatcher>();
        var generations = new List<long> { cache.Generation };

        await watcher.PollAsync(CancellationToken.None); // the first read: whatever was cached before is dropped
        generations.Add(cache.Generation);
        await watcher.PollAsync(CancellationToken.None); // nothing changed
        generations.Add(cache.Generation);
        await using (var db = host.NewContext())
        {
            (await db.ApiKeys.SingleAsync(k => k.Id == id)).Disable();
            await db.SaveChangesAsync();
        }

        await watcher.PollAsync(CancellationToken.None); // changed elsewhere
        generations.Add(cache.Generation);

        Assert.That(generations.Zip(generations.Skip(1), (before, after) => after > before),
            Is.EqualTo(new[] { true, false, true }));
    }

    private static async Task<Guid> StampAsync(InfrastructureHost host)
    {
        await using var db = host.NewContext();
        return (await db.KeyChangeStamps.AsNoTracking().SingleAsync()).Value;
    }

    private static async Task<string> SeedAsync(InfrastructureHost host)
    {
        var generated = host.Services.GetRequiredService<IApiKeySecrets>().Generate();
        await using var db = host.NewContext();
        db.ApiKeys.Add(ApiKey.Issue(generated.KeyId, "seed", generated.SecretHash, [Scopes.ContainersRead], KeyRestriction.None, null, Now, null));
        await db.SaveChangesAsync();
        return generated.KeyId;
    }
}
