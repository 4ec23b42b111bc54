using ProxmoxLxc.Client;
using ProxmoxLxc.EndToEnd.Tests.Support;

namespace ProxmoxLxc.EndToEnd.Tests;

/// <summary>Key management and the audit trail against the real service, only through the generated client.</summary>
[TestFixtureSource(typeof(ServiceProcess), nameof(ServiceProcess.Providers))]
public sealed class KeysAndAuditTests(string provider) : ServiceFixture(provider)
{
    [Test]
    public async Task Bootstrap_ConfiguredAdminKey_AuthenticatesAndIsListed()
    {
        var page = await Admin.Create<KeysClient>().ListAsync(limit: 100);

        var bootstrap = page.Items.SingleOrDefault(k => k.Name == "bootstrap-admin");
        Assert.That(bootstrap, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(bootstrap!.Scopes, Is.EqualTo(new[] { "admin" }));
            Assert.That(bootstrap.Id, Is.EqualTo(ServiceProcess.AdminKey.Split('_')[1]));
            Assert.That(bootstrap.Enabled, Is.True);
            Assert.That(bootstrap.RevokedAt, Is.Null);
        });
    }

    [TestCase("containers:read")]
    [TestCase("containers:power")]
    [TestCase("containers:write")]
    [TestCase("audit:read")]
    [TestCase("keys:admin")]
    [TestCase("admin")]
    public async Task CreateKey_PerScope_KeyWorksWithinItsScopeOnly(string scope)
    {
        var keys = Admin.Create<KeysClient>();
        var created = await keys.CreateAsync(new CreateApiKeyCommand { Name = $"e2e-{scope.Replace(':', '-')}", Scopes = [scope] });

        Assert.Multiple(() =>
        {
            Assert.That(created.Key, Does.Match("^pxl_[A-Za-z0-9]{12}_[A-Za-z0-9]{43}$"));
            Assert.That(created.Metadata.Scopes, Is.EqualTo(new[] { scope }));
        });
        using var asKey = Service.Clients(created.Key);
        var fetched = await keys.GetAsync(created.Metadata.Id);
        Assert.That(fetched.Name, Is.EqualTo(created.Metadata.Name));

        var canAdministerKeys = scope is "keys:admin" or "admin";
        var canReadAudit = scope is "audit:read" or "admin";
        if (canAdministerKeys)
        {
            var page = await asKey.Create<KeysClient>().ListAsync(limit: 100);
            Assert.That(page.Items.Select(k => k.Id), Does.Contain(created.Metadata.Id));
        }
        else
        {
            var denied = Assert.ThrowsAsync<ProxmoxLxcApiException<ProblemDetails>>(() => asKey.Create<KeysClient>().ListAsync());
            Assert.Multiple(() =>
            {
                Assert.That(denied!.StatusCode, Is.EqualTo(403));
                Assert.That(denied.Code, Is.EqualTo("insufficient_scope"));
                Assert.That(denied.Result.Code, Is.EqualTo(ProblemCode.Insufficient_scope));
                Assert.That(denied.TraceId, Is.Not.Null.And.EqualTo(denied.RequestId));
            });
        }

        if (canReadAudit)
        {
            var audit = await asKey.Create<OperationsClient>().ListAsync(limit: 5);
            Assert.That(audit.Items, Is.Not.Empty);
        }
        else
        {
            var denied = Assert.ThrowsAsync<ProxmoxLxcApiException<ProblemDetails>>(() => asKey.Create<OperationsClient>().ListAsync());
            Assert.That(denied!.Code, Is.EqualTo("insufficient_scope"));
        }
    }

    [Test]
    public async Task RotateThenRevoke_OldSecretsStopWorking_MetadataRecordsIt()
    {
        var keys = Admin.Create<KeysClient>();
        var created = await keys.CreateAsync(new CreateApiKeyCommand { Name = "e2e-rotate", Scopes = ["keys:admin"] });

        var rotated = await keys.RotateAsync(created.Metadata.Id);
        Assert.That(rotated.Key, Is.Not.EqualTo(created.Key));
        using (var oldKey = Service.Clients(created.Key))
        {
            var rejected = Assert.ThrowsAsync<ProxmoxLxcApiException<ProblemDetails>>(() => oldKey.Create<KeysClient>().ListAsync());
            Assert.That(rejected!.Code, Is.EqualTo("unauthenticated"));
        }

        using (var newKey = Service.Clients(rotated.Key))
        {
            var page = await newKey.Create<KeysClient>().ListAsync();
            Assert.That(page.Items, Is.Not.Empty);
        }

        await keys.RevokeAsync(created.Metadata.Id);
        var revoked = await keys.GetAsync(created.Metadata.Id);
        Assert.Multiple(() =>
        {
            Assert.That(revoked.RevokedAt, Is.Not.Null);
            Assert.That(revoked.RotatedAt, Is.Not.Null);
        });
        using var revokedKey = Service.Clients(rotated.Key);
        var afterRevoke = Assert.ThrowsAsync<ProxmoxLxcApiException<ProblemDetails>>(() => revokedKey.Create<KeysClient>().ListAsync());
        Assert.That(afterRevoke!.StatusCode, Is.EqualTo(401));
    }

    [Test]
    public async Task UpdateKey_NameAndScopes_AreChanged()
    {
        var keys = Admin.Create<KeysClient>();
        var created = await keys.CreateAsync(new CreateApiKeyCommand { Name = "e2e-update", Scopes = ["containers:read"], AllowedPools = ["web"] });

        var updated = await keys.UpdateAsync(created.Metadata.Id, new UpdateApiKeyCommand { Name = "e2e-updated", Scopes = ["containers:read", "audit:read"] });

        Assert.Multiple(() =>
        {
            Assert.That(updated.Name, Is.EqualTo("e2e-updated"));
            Assert.That(updated.Scopes, Is.EquivalentTo(new[] { "containers:read", "audit:read" }));
            Assert.That(updated.AllowedPools, Is.EqualTo(new[] { "web" }));
        });
    }

    [Test]
    public async Task UpdateKey_NameOnlyThroughTheClient_KeepsTheExpiry()
    {
        var keys = Admin.Create<KeysClient>();
        var expiresAt = DateTimeOffset.UtcNow.AddDays(3);
        var created = await keys.CreateAsync(new CreateApiKeyCommand { Name = "e2e-expiring", Scopes = ["containers:read"], ExpiresAt = expiresAt });

        var updated = await keys.UpdateAsync(created.Metadata.Id, new UpdateApiKeyCommand { Name = "e2e-expiring-renamed" });

        Assert.Multiple(() =>
        {
            Assert.That(updated.Name, Is.EqualTo("e2e-expiring-renamed"));
            Assert.That(updated.ExpiresAt, Is.EqualTo(expiresAt).Within(TimeSpan.FromSeconds(1)), "an unset expiresAt is not sent as null");
        });
    }

    [Test]
    public async Task Audit_ListWithFiltersAndGetById_ReturnsTheRecordedCalls()
    {
        var keys = Admin.Create<KeysClient>();
        var created = await keys.CreateAsync(new CreateApiKeyCommand { Name = "e2e-audited", Scopes = ["containers:read"] });
        var adminKeyId = ServiceProcess.AdminKey.Split('_')[1];
        var operations = Admin.Create<OperationsClient>();

        var page = await operations.ListAsync(keyId: adminKeyId, action: "CreateApiKey", outcome: "succeeded", limit: 50);

        Assert.That(page.Items, Is.Not.Empty);
        Assert.That(page.Items.All(o => o.KeyId == adminKeyId && o.Action == "CreateApiKey" && o.Status == "succeeded"), Is.True);
        var recorded = page.Items.First(o => o.Parameters?.ToString()?.Contains("e2e-audited", StringComparison.Ordinal) == true);
        var single = await operations.GetAsync(recorded.Id);
        Assert.Multiple(() =>
        {
            Assert.That(single.Id, Is.EqualTo(recorded.Id));
            Assert.That(single.Method, Is.EqualTo("POST"));
            Assert.That(single.Path, Is.EqualTo("/api/v1/keys"));
            Assert.That(single.HttpStatus, Is.EqualTo(201));
            Assert.That(single.KeyName, Is.EqualTo("bootstrap-admin"));
            Assert.That(single.Parameters?.ToString(), Does.Not.Contain(created.Key));
        });

        // Paging needs two rows for sure: a mutating call's row is written before it is answered, a read call's only with
        // the next batch of read rows, moments later.
        await keys.CreateAsync(new CreateApiKeyCommand { Name = "e2e-audited-second", Scopes = ["containers:read"] });
        var firstPage = await operations.ListAsync(limit: 1);
        Assert.That(firstPage.NextCursor, Is.Not.Null);
        var secondPage = await operations.ListAsync(limit: 1, cursor: firstPage.NextCursor);
        // Newest first by (requestedAt, id): a read call's row is inserted with its batch, so its id can be higher than
        // that of a call made after it.
        var (first, second) = (firstPage.Items.Single(), secondPage.Items.Single());
        Assert.That(second.Id, Is.Not.EqualTo(first.Id));
        Assert.That(second.RequestedAt < first.RequestedAt || (second.RequestedAt == first.RequestedAt && second.Id < first.Id), Is.True,
            $"page 2 ({second.Id} at {second.RequestedAt:O}) continues after page 1 ({first.Id} at {first.RequestedAt:O})");
    }

    [Test]
    public void UnknownKey_AnyCall_IsUnauthenticatedWithInstanceAndTraceId()
    {
        using var stranger = Service.Clients("pxl_NoSuchKey001_Zq8Wm3Kt6Yb1Nc4Vx7Rp0Ls5Hd2Gf9Ja6Ue3Io8Ty1Q");

        var error = Assert.ThrowsAsync<ProxmoxLxcApiException<ProblemDetails>>(() => stranger.Create<KeysClient>().ListAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error!.StatusCode, Is.EqualTo(401));
            Assert.That(error.Code, Is.EqualTo("unauthenticated"));
            Assert.That(error.RequestId, Is.Not.Null.And.Not.Empty);
            Assert.That(error.TraceId, Is.EqualTo(error.RequestId), "like every problem, the 401 carries the per-request traceId");
            Assert.That(error.Result.Instance, Is.EqualTo("/api/v1/keys"));
            Assert.That(error.Headers["WWW-Authenticate"], Is.EqualTo(new[] { "ApiKey" }));
        });
    }

    [Test]
    public void GetKey_Unknown_IsKeyNotFound()
    {
        var error = Assert.ThrowsAsync<ProxmoxLxcApiException<ProblemDetails>>(() => Admin.Create<KeysClient>().GetAsync("NoSuchKey000"));

        Assert.Multiple(() =>
        {
            Assert.That(error!.StatusCode, Is.EqualTo(404));
            Assert.That(error.Code, Is.EqualTo("key_not_found"));
            Assert.That(error.TraceId, Is.Not.Null);
        });
    }

    [Test]
    public void GetOperation_Unknown_IsOperationNotFound()
    {
        var error = Assert.ThrowsAsync<ProxmoxLxcApiException<ProblemDetails>>(() => Admin.Create<OperationsClient>().GetAsync(987_654_321));

        Assert.That(error!.Code, Is.EqualTo("operation_not_found"));
    }

    [Test]
    public void CreateKey_UnknownScopeAndEmptyName_IsValidationFailedWithFieldErrors()
    {
        var error = Assert.ThrowsAsync<ProxmoxLxcApiException<HttpValidationProblemDetails>>(() =>
            Admin.Create<KeysClient>().CreateAsync(new CreateApiKeyCommand { Name = "", Scopes = ["containers:everything"] }));

        Assert.Multiple(() =>
        {
            Assert.That(error!.StatusCode, Is.EqualTo(400));
            Assert.That(error.Code, Is.EqualTo("validation_failed"));
            Assert.That(error.Errors.Keys, Does.Contain("name"));
            Assert.That(error.Errors.Keys.Any(k => k.StartsWith("scopes", StringComparison.Ordinal)), Is.True, string.Join(", ", error.Errors.Keys));
            Assert.That(error.Result.Errors, Is.Not.Empty);
        });
    }
}
