using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProxmoxLxc.Application.ApiKeys;
using ProxmoxLxc.Application.ApiKeys.Queries.ListApiKeys;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Models;
using ProxmoxLxc.Domain.ApiKeys;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.Infrastructure.Security;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Persistence;

/// <summary>The API-key lookups, their keyset listing and the deferred last-use writes, on every provider.</summary>
public class ApiKeyPersistenceTests(DatabaseProvider provider) : ProviderMatrixFixture(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task Authenticate_ValidKey_ReturnsCallerAndDefersTheLastUseWrite()
    {
        var time = new ManualTimeProvider(Now);
        await using var host = await StartHostAsync(time: time);
        var (plaintext, id) = await SeedAsync(host, [Scopes.Admin]);

        CallerIdentity? caller;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            caller = await scope.ServiceProvider.GetRequiredService<IApiKeyAuthenticator>().AuthenticateAsync(plaintext, CancellationToken.None);
        }

        await using var db = host.NewContext();
        var stored = await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == id);
        Assert.Multiple(() =>
        {
            Assert.That(caller, Is.Not.Null);
            Assert.That(caller!.KeyId, Is.EqualTo(id));
            Assert.That(caller.Scopes, Is.EquivalentTo(Scopes.All));
            Assert.That(stored.LastUsedAt, Is.Null, "authentication must not write to the database");
        });

        await host.HostedService<LastUsedFlusher>().FlushAsync(CancellationToken.None);

        await using var after = host.NewContext();
        Assert.That((await after.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == id)).LastUsedAt, Is.EqualTo(Now));
    }

    [Test]
    public async Task Flush_ManyUsesOfOneKey_WritesTheLatestTimeOnce()
    {
        var time = new ManualTimeProvider(Now);
        await using var host = await StartHostAsync(time: time);
        var (plaintext, id) = await SeedAsync(host, [Scopes.ContainersRead]);
        for (var i = 0; i < 20; i++)
        {
            time.Now = Now.AddSeconds(i);
            await using var scope = host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IApiKeyAuthenticator>().AuthenticateAsync(plaintext, CancellationToken.None);
        }

        var pending = host.Services.GetRequiredService<LastUsedTracker>().Drain();
        foreach (var (keyId, at) in pending)
        {
            host.Services.GetRequiredService<LastUsedTracker>().Touch(keyId, at);
        }

        await host.HostedService<LastUsedFlusher>().FlushAsync(CancellationToken.None);

        await using var db = host.NewContext();
        Assert.Multiple(async () =>
        {
            Assert.That(pending, Has.Count.EqualTo(1));
            Assert.That((await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == id)).LastUsedAt, Is.EqualTo(Now.AddSeconds(19)));
        });
    }

    [Test]
    public async Task Authenticate_BadKeys_AllReturnNull()
    {
        var time = new ManualTimeProvider(Now);
        await using var host = await StartHostAsync(time: time);
        var (wrongSecretBase, _) = await SeedAsync(host, [Scopes.Admin]);
        var (disabled, disabledId) = await SeedAsync(host, [Scopes.Admin]);
        var (revoked, revokedId) = await SeedAsync(host, [Scopes.Admin]);
        var (expired, _) = await SeedAsync(host, [Scopes.Admin], expiresAt: Now.AddMinutes(1));
        await using (var db = host.NewContext())
        {
            (await db.ApiKeys.SingleAsync(k => k.Id == disabledId)).Disable();
            (await db.ApiKeys.SingleAsync(k => k.Id == revokedId)).Revoke(Now);
            await db.SaveChangesAsync();
        }

        time.Now = Now.AddMinutes(1);
        var wrongSecret = wrongSecretBase[..^1] + (wrongSecretBase[^1] == 'a' ? 'b' : 'a');
        var unknown = "pxl_Unknown00001_" + wrongSecretBase[^43..];
        string?[] presented = [null, "", "garbage", unknown, wrongSecret, disabled, revoked, expired];

        await using var scope = host.Services.CreateAsyncScope();
        var authenticator = scope.ServiceProvider.GetRequiredService<IApiKeyAuthenticator>();
        var results = new List<CallerIdentity?>();
        foreach (var key in presented)
        {
            results.Add(await authenticator.AuthenticateAsync(key, CancellationToken.None));
        }

        Assert.Multiple(() =>
        {
            Assert.That(results, Is.All.Null);
            Assert.That(host.Services.GetRequiredService<LastUsedTracker>().Drain(), Is.Empty);
        });
    }

    [Test]
    public async Task ListApiKeys_PagedByCursor_ReturnsEveryKeyOnceInIdOrder()
    {
        await using var host = await StartHostAsync();
        // Ids differing only in case and in digits: the keyset order must be the one the database sorts by.
        string[] ids = ["aaaaaaaaaaaa", "AAAAAAAAAAAA", "aaaaaaaaaaab", "Zzzzzzzzzzzz", "000000000001", "zzzzzzzzzzzz", "BBBBBBBBBBBB"];
        await using (var db = host.NewContext())
        {
            foreach (var id in ids)
            {
                db.ApiKeys.Add(ApiKey.Issue(id, "k-" + id, new byte[32], [Scopes.ContainersRead], KeyRestriction.None, null, Now, null));
            }

            await db.SaveChangesAsync();
        }

        var all = await ListAsync(host, new ListApiKeysQuery(Limit: 100));
        var paged = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await ListAsync(host, new ListApiKeysQuery(Limit: 2, Cursor: cursor));
            paged.AddRange(page.Items.Select(k => k.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Multiple(() =>
        {
            Assert.That(all.Items.Select(k => k.Id), Is.EquivalentTo(ids.Append(InfrastructureHost.AdminKey.Split('_')[1])));
            Assert.That(all.NextCursor, Is.Null);
            Assert.That(paged, Is.EqualTo(all.Items.Select(k => k.Id)), "pages must continue exactly where the previous one ended");
            Assert.That(pages, Is.EqualTo(4));
        });
    }

    private static async Task<Page<ApiKeyDto>> ListAsync(
        InfrastructureHost host, ListApiKeysQuery query)
    {
        await using var db = host.NewContext();
        return await new ListApiKeysQueryHandler(db, TestCallers.Admin()).Handle(query, CancellationToken.None);
    }

    private static async Task<(string Plaintext, string Id)> SeedAsync(InfrastructureHost host, string[] scopes, DateTimeOffset? expiresAt = null)
    {
        var generated = host.Services.GetRequiredService<IApiKeySecrets>().Generate();
        await using var db = host.NewContext();
        db.ApiKeys.Add(ApiKey.Issue(generated.KeyId, "seed", generated.SecretHash, scopes, KeyRestriction.None, expiresAt, Now, null));
        await db.SaveChangesAsync();
        return (generated.Plaintext, generated.KeyId);
    }
}
