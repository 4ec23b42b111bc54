using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests;

/// <summary>Read calls are logged in batches, and a graceful shutdown loses none of them.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public class ReadLogBatchingTests(DatabaseProvider provider)
{
    [Test]
    public async Task GracefulShutdown_AfterManyReads_EveryReadIsLogged()
    {
        const int reads = 300;
        var factory = new ApiFactory(new() { Database = TestDatabase.Create(provider) });
        factory.Settings["RateLimiting:PermitsPerMinute"] = "100000"; // about batching, not the per-key budget
        await using (factory)
        {
            using var admin = factory.CreateAdminClient();
            for (var batch = 0; batch < reads / 20; batch++)
            {
                var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
                {
                    var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/keys?limit={(i % 5) + 1}");
                    request.Headers.Add("X-Request-Id", $"read-{batch}-{i}");
                    return admin.SendAsync(request);
                }));
                foreach (var response in responses)
                {
                    Assert.That(response.IsSuccessStatusCode, Is.True);

                    // Answered = the whole body arrived (the in-memory test server hands over the headers while the
                    // pipeline, which records the call after the body, still runs; Kestrel waits for that on shutdown).
                    await response.Content.ReadAsByteArrayAsync();
                    response.Dispose();
                }
            }
        }

        // Read the moment the disposal returned: the test host stops the service twice at once (this disposal, and the
        // entry point's RunAsync), and each stop must return only after the last rows are written.
        var rows = await factory.ReadOperationLogAsync();
        var stored = rows.Select(r => r.RequestId).ToHashSet(StringComparer.Ordinal);
        var missing = Enumerable.Range(0, reads / 20).SelectMany(b => Enumerable.Range(0, 20).Select(i => $"read-{b}-{i}"))
            .Where(id => !stored.Contains(id)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(missing, Is.Empty, "read calls without a row");
            Assert.That(rows.Count(r => r.RequestId.StartsWith("read-", StringComparison.Ordinal)), Is.EqualTo(reads));
            Assert.That(rows.Where(r => r.RequestId.StartsWith("read-", StringComparison.Ordinal)).Select(r => r.RequestId), Is.Unique);
            Assert.That(rows, Has.Count.EqualTo(reads));
        });
    }
}
