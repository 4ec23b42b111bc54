using Microsoft.EntityFrameworkCore;
using Moq;
using ProxmoxLxc.Application.ApiKeys;
using ProxmoxLxc.Application.ApiKeys.Commands.CreateApiKey;
using ProxmoxLxc.Application.ApiKeys.Commands.RevokeApiKey;
using ProxmoxLxc.Application.ApiKeys.Commands.RotateApiKey;
using ProxmoxLxc.Application.ApiKeys.Commands.UpdateApiKey;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.UnitTests.Common;
using ProxmoxLxc.Domain.ApiKeys;

namespace ProxmoxLxc.Application.UnitTests.ApiKeys;

/// <summary>Key-administration handlers on a real SQLite database.</summary>
public class KeyAdministrationHandlerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private TestDatabase _database = null!;
    private ManualTimeProvider _time = null!;
    private Mock<IApiKeyCache> _keyCache = null!;
    private int _next;

    [SetUp]
    public void SetUp()
    {
        _database = new TestDatabase();
        _time = new ManualTimeProvider(Now);
        _keyCache = new Mock<IApiKeyCache>();
        _next = 0;
    }

    [TearDown]
    public void TearDown() => _database.Dispose();

    private async Task<ApiKey> SeedAsync(string[] scopes, DateTimeOffset? expiresAt = null, KeyRestriction? restriction = null)
    {
        await using var db = _database.NewContext();
        var key = ApiKey.Issue($"seed{++_next:D8}", $"seed {_next}", new byte[32], scopes, restriction ?? KeyRestriction.None,
            expiresAt, Now.AddDays(-1), null);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync();
        return key;
    }

    private static readonly ICurrentCaller CommandLine = TestCallers.Current(CallerIdentity.CommandLine);

    private static CallerIdentity CallerOf(ApiKey key) => new(key.Id, key.Name, Scopes.Expand(key.Scopes), key.Restriction);

    private static IApiKeySecrets Secrets()
    {
        var mock = new Mock<IApiKeySecrets>();
        mock.Setup(s => s.Generate()).Returns(new GeneratedApiKey("created00001", "pxl_created00001_x", new byte[32]));
        mock.Setup(s => s.Regenerate(It.IsAny<string>()))
            .Returns((string id) => new GeneratedApiKey(id, $"pxl_{id}_new", Enumerable.Repeat((byte)7, 32).ToArray()));
        return mock.Object;
    }

    [Test]
    public async Task Revoke_LastAdminKey_ThrowsLastAdminConflict()
    {
        var admin = await SeedAsync([Scopes.Admin]);
        await SeedAsync([Scopes.ContainersRead, Scopes.AuditRead]);
        await using var db = _database.NewContext();

        var ex = Assert.ThrowsAsync<ConflictException>(async () =>
            await new RevokeApiKeyCommandHandler(db, _keyCache.Object, CommandLine, _time).Handle(new RevokeApiKeyCommand(admin.Id), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo("last_admin_key"));
            Assert.That(ex.StatusCode, Is.EqualTo(409));
        });
    }

    [Test]
    public async Task Revoke_OtherAdminOnlyExpired_ThrowsLastAdminConflict()
    {
        var admin = await SeedAsync([Scopes.Admin]);
        await SeedAsync([Scopes.Admin], expiresAt: Now.AddMinutes(-1));
        await using var db = _database.NewContext();

        var ex = Assert.ThrowsAsync<ConflictException>(async () =>
            await new RevokeApiKeyCommandHandler(db, _keyCache.Object, CommandLine, _time).Handle(new RevokeApiKeyCommand(admin.Id), CancellationToken.None));

        Assert.That(ex!.Code, Is.EqualTo("last_admin_key"));
    }

    [Test]
    public async Task Revoke_AnotherKeysAdminExists_RevokesAndKeepsTheRow()
    {
        var admin = await SeedAsync([Scopes.Admin]);
        await SeedAsync([Scopes.KeysAdmin]);
        await using var db = _database.NewContext();

        var dto = await new RevokeApiKeyCommandHandler(db, _keyCache.Object, CommandLine, _time).Handle(new RevokeApiKeyCommand(admin.Id), CancellationToken.None);

        await using var check = _database.NewContext();
        var stored = await check.ApiKeys.SingleAsync(k => k.Id == admin.Id);
        _keyCache.Verify(c => c.Invalidate(admin.Id), Times.Once, "the revoked key leaves the authentication cache");
        Assert.Multiple(() =>
        {
            Assert.That(dto.RevokedAt, Is.EqualTo(Now));
            Assert.That(dto.Enabled, Is.False);
            Assert.That(stored.RevokedAt, Is.EqualTo(Now));
        });
    }

    [Test]
    public async Task RotateAndRevoke_TargetHoldsMoreThanTheCaller_ThrowForbiddenAndLeaveTheKey()
    {
        var keysAdmin = await SeedAsync([Scopes.KeysAdmin]);
        var admin = await SeedAsync([Scopes.Admin]);
        var caller = TestCallers.Current(CallerOf(keysAdmin));
        await using var db = _database.NewContext();

        var rotate = Assert.ThrowsAsync<ForbiddenException>(async () =>
            await new RotateApiKeyCommandHandler(db, _keyCache.Object, Secrets(), caller, _time).Handle(new RotateApiKeyCommand(admin.Id), CancellationToken.None));
        var revoke = Assert.ThrowsAsync<ForbiddenException>(async () =>
            await new RevokeApiKeyCommandHandler(db, _keyCache.Object, caller, _time).Handle(new RevokeApiKeyCommand(admin.Id), CancellationToken.None));

        await using var check = _database.NewContext();
        var stored = await check.ApiKeys.SingleAsync(k => k.Id == admin.Id);
        Assert.Multiple(() =>
        {
            Assert.That(rotate!.Code, Is.EqualTo("insufficient_scope"));
            Assert.That(revoke!.Code, Is.EqualTo("insufficient_scope"));
            Assert.That(stored.SecretHash, Is.EqualTo(admin.SecretHash));
            Assert.That(stored.RevokedAt, Is.Null);
        });
    }

    [Test]
    public async Task Revoke_UnknownKey_ThrowsKeyNotFound()
    {
        await using var db = _database.NewContext();

        var ex = Assert.ThrowsAsync<NotFoundException>(async () =>
            await new RevokeApiKeyCommandHandler(db, _keyCache.Object, CommandLine, _time).Handle(new RevokeApiKeyCommand("nope"), CancellationToken.None));

        Assert.That(ex!.Code, Is.EqualTo("key_not_found"));
    }

    [TestCase(false, null)]
    [TestCase(null, new[] { Scopes.ContainersRead })]
    public async Task Update_LastAdminLosesAdministration_ThrowsLastAdminConflict(bool? enabled, string[]? scopes)
    {
        var admin = await SeedAsync([Scopes.Admin]);
        await using var db = _database.NewContext();
        var handler = new UpdateApiKeyCommandHandler(db, _keyCache.Object, TestCallers.Current(CallerOf(admin)), _time);

        var ex = Assert.ThrowsAsync<ConflictException>(async () =>
            await handler.Handle(new UpdateApiKeyCommand(Scopes: scopes, Enabled: enabled) { Id = admin.Id }, CancellationToken.None));

        Assert.That(ex!.Code, Is.EqualTo("last_admin_key"));
    }

    [Test]
    public async Task Update_LastAdminRenamed_Succeeds()
    {
        var admin = await SeedAsync([Scopes.Admin]);
        await using var db = _database.NewContext();
        var handler = new UpdateApiKeyCommandHandler(db, _keyCache.Object, TestCallers.Current(CallerOf(admin)), _time);

        var dto = await handler.Handle(new UpdateApiKeyCommand(Name: "renamed", Scopes: [Scopes.KeysAdmin]) { Id = admin.Id }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(dto.Name, Is.EqualTo("renamed"));
            Assert.That(dto.Scopes, Is.EqualTo(new[] { Scopes.KeysAdmin }));
        });
    }

    [Test]
    public async Task Update_GrantingScopeTheCallerLacks_ThrowsInsufficientScope()
    {
        // The caller may manage the target (it holds the target's scopes) but cannot raise it to admin.
        var keysAdmin = await SeedAsync([Scopes.KeysAdmin, Scopes.ContainersRead]);
        var target = await SeedAsync([Scopes.ContainersRead]);
        await using var db = _database.NewContext();
        var handler = new UpdateApiKeyCommandHandler(db, _keyCache.Object, TestCallers.Current(CallerOf(keysAdmin)), _time);

        var ex = Assert.ThrowsAsync<ForbiddenException>(async () =>
            await handler.Handle(new UpdateApiKeyCommand(Scopes: [Scopes.Admin]) { Id = target.Id }, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo("insufficient_scope"));
            Assert.That(ex.RequiredScope, Is.EqualTo(Scopes.Admin));
        });
    }

    [Test]
    public async Task Create_GrantingScopeTheCallerLacks_ThrowsInsufficientScopeAndStoresNothing()
    {
        var keysAdmin = await SeedAsync([Scopes.KeysAdmin]);
        await using var db = _database.NewContext();
        var handler = new CreateApiKeyCommandHandler(db, Secrets(), TestCallers.Current(CallerOf(keysAdmin)), _time);

        var ex = Assert.ThrowsAsync<ForbiddenException>(async () =>
            await handler.Handle(new CreateApiKeyCommand("x", [Scopes.ContainersWrite]), CancellationToken.None));

        await using var check = _database.NewContext();
        Assert.Multiple(async () =>
        {
            Assert.That(ex!.RequiredScope, Is.EqualTo(Scopes.ContainersWrite));
            Assert.That(await check.ApiKeys.CountAsync(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Create_RestrictionOutsideTheCallers_ThrowsInsufficientScope()
    {
        var restricted = await SeedAsync([Scopes.Admin], restriction: new KeyRestriction(["pve1"], [], new VmIdRange(100, 199)));
        await using var db = _database.NewContext();
        var handler = new CreateApiKeyCommandHandler(db, Secrets(), TestCallers.Current(CallerOf(restricted)), _time);

        var ex = Assert.ThrowsAsync<ForbiddenException>(async () =>
            await handler.Handle(new CreateApiKeyCommand("x", [Scopes.ContainersRead], AllowedNodes: ["pve1"], VmIdRange: new(100, 300)),
                CancellationToken.None));

        Assert.That(ex!.Code, Is.EqualTo("insufficient_scope"));
    }

    [Test]
    public async Task Create_RestrictionWithinTheCallers_CreatesTheKey()
    {
        var restricted = await SeedAsync([Scopes.Admin], restriction: new KeyRestriction(["pve1"], [], new VmIdRange(100, 199)));
        await using var db = _database.NewContext();
        var handler = new CreateApiKeyCommandHandler(db, Secrets(), TestCallers.Current(CallerOf(restricted)), _time);

        var created = await handler.Handle(
            new CreateApiKeyCommand("x", [Scopes.ContainersRead], AllowedNodes: ["pve1"], VmIdRange: new(120, 130)), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(created.Metadata.AllowedNodes, Is.EqualTo(new[] { "pve1" }));
            Assert.That(created.Metadata.VmIdRange, Is.EqualTo(new VmIdRangeDto(120, 130)));
            Assert.That(created.Metadata.Prefix, Is.EqualTo("pxl_created00001_"));
        });
    }

    [Test]
    public async Task Rotate_RevokedKey_ThrowsConflict()
    {
        await SeedAsync([Scopes.Admin]);
        var target = await SeedAsync([Scopes.ContainersRead]);
        await using (var db = _database.NewContext())
        {
            await new RevokeApiKeyCommandHandler(db, _keyCache.Object, CommandLine, _time).Handle(new RevokeApiKeyCommand(target.Id), CancellationToken.None);
        }

        await using var db2 = _database.NewContext();
        var ex = Assert.ThrowsAsync<ConflictException>(async () =>
            await new RotateApiKeyCommandHandler(db2, _keyCache.Object, Secrets(), CommandLine, _time).Handle(new RotateApiKeyCommand(target.Id), CancellationToken.None));

        Assert.That(ex!.Code, Is.EqualTo("key_revoked"));
    }

    [Test]
    public async Task Rotate_ActiveKey_StoresTheNewHash()
    {
        var target = await SeedAsync([Scopes.ContainersRead]);
        await using var db = _database.NewContext();

        var rotated = await new RotateApiKeyCommandHandler(db, _keyCache.Object, Secrets(), CommandLine, _time).Handle(new RotateApiKeyCommand(target.Id), CancellationToken.None);

        await using var check = _database.NewContext();
        var stored = await check.ApiKeys.SingleAsync(k => k.Id == target.Id);
        _keyCache.Verify(c => c.Invalidate(target.Id), Times.Once, "the old hash leaves the authentication cache");
        Assert.Multiple(() =>
        {
            Assert.That(rotated.Key, Is.EqualTo($"pxl_{target.Id}_new"));
            Assert.That(stored.SecretHash, Is.EqualTo(Enumerable.Repeat((byte)7, 32).ToArray()));
            Assert.That(stored.RotatedAt, Is.EqualTo(Now));
        });
    }
}
