using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.ApiKeys;
using ProxmoxLxc.Infrastructure.Security;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Persistence;

public class ApiKeySecurityTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private readonly ApiKeySecrets _secrets = new();

    [Test]
    public void Generate_NewKey_HasTheDocumentedShapeAndParses()
    {
        var generated = _secrets.Generate();

        Assert.Multiple(() =>
        {
            Assert.That(generated.Plaintext, Does.Match("^pxl_[0-9A-Za-z]{12}_[0-9A-Za-z]{43}$"));
            Assert.That(_secrets.TryParse(generated.Plaintext, out var id, out var secret), Is.True);
            Assert.That(id, Is.EqualTo(generated.KeyId));
            Assert.That(_secrets.Verify(secret, generated.SecretHash), Is.True);
            Assert.That(generated.SecretHash, Has.Length.EqualTo(32));
        });
    }

    [Test]
    public void Regenerate_SameId_GivesAnotherSecret()
    {
        var first = _secrets.Generate();

        var second = _secrets.Regenerate(first.KeyId);

        Assert.Multiple(() =>
        {
            Assert.That(second.KeyId, Is.EqualTo(first.KeyId));
            Assert.That(second.Plaintext, Is.Not.EqualTo(first.Plaintext));
            Assert.That(second.SecretHash, Is.Not.EqualTo(first.SecretHash));
        });
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("pxl_abcdefABCDEF_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP")]
    [TestCase("pxl_abcdefABCDEF_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR")]
    [TestCase("pxk_abcdefABCDEF_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ")]
    [TestCase("pxl_abcdefABCDEF-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ")]
    [TestCase("pxl_abcdef-BCDEF_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ")]
    [TestCase("pxl_abcdefABCDEF_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP+")]
    [TestCase("pxl_abcdéfABCDEF_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ")]
    public void TryParse_MalformedKey_ReturnsFalse(string? plaintext)
    {
        Assert.That(_secrets.TryParse(plaintext, out _, out _), Is.False);
    }

    [Test]
    public void Verify_WrongSecret_ReturnsFalse()
    {
        var generated = _secrets.Generate();

        Assert.That(_secrets.Verify("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ", generated.SecretHash), Is.False);
    }

    [Test]
    public void Touch_SameKeyTwice_KeepsTheLatestTime()
    {
        var tracker = new LastUsedTracker();

        tracker.Touch("a", Now.AddSeconds(5));
        tracker.Touch("a", Now);
        tracker.Touch("b", Now);

        Assert.Multiple(() =>
        {
            Assert.That(tracker.Drain(), Is.EquivalentTo(new[] { KeyValuePair.Create("a", Now.AddSeconds(5)), KeyValuePair.Create("b", Now) }));
            Assert.That(tracker.Drain(), Is.Empty);
        });
    }

    [Test]
    public async Task Authenticate_ValidKey_ReturnsCallerAndDefersTheLastUseWrite()
    {
        var time = new ManualTimeProvider(Now);
        await using var host = await InfrastructureHost.StartAsync(time: time);
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
        await using var host = await InfrastructureHost.StartAsync(time: time);
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
        await using var host = await InfrastructureHost.StartAsync(time: time);
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

    private static async Task<(string Plaintext, string Id)> SeedAsync(InfrastructureHost host, string[] scopes, DateTimeOffset? expiresAt = null)
    {
        var generated = host.Services.GetRequiredService<IApiKeySecrets>().Generate();
        await using var db = host.NewContext();
        db.ApiKeys.Add(ApiKey.Issue(generated.KeyId, "seed", generated.SecretHash, scopes, KeyRestriction.None, expiresAt, Now, null));
        await db.SaveChangesAsync();
        return (generated.Plaintext, generated.KeyId);
    }
}
