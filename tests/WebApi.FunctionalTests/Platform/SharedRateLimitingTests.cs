using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ProxmoxLxc.TestDatabases;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;
using StackExchange.Redis;

namespace ProxmoxLxc.WebApi.FunctionalTests.Platform;

/// <summary>
/// <c>RateLimiting:Redis</c>: per-key budgets counted in Redis are shared by every instance; a Redis that is down or
/// cut off is not in the requests' way (fail open), is reported by <c>/health/ready</c> as degraded and is used again
/// once it is back. Runs against the test Redis (scripts/with-redis.sh), each test under a key prefix of its own.
/// </summary>
// Provider-independent (SQLite only, not in the provider matrix): the shared budgets live in Redis, not in the database.
[TestFixture]
public sealed class SharedRateLimitingTests
{
    private const string UnavailableWarning = "Warning ProxmoxLxc.Infrastructure.Redis.RedisConnection: Redis at ";
    private static readonly Uri Keys = new("/api/v1/keys", UriKind.Relative);

    [Test]
    public async Task Requests_TwoInstancesOnOneRedis_ShareEachKeysBudget()
    {
        var prefix = RedisTestServer.NewKeyPrefix();
        await using var a = NewInstance(RedisTestServer.ConnectionString, prefix, permits: 4);
        await using var b = NewInstance(RedisTestServer.ConnectionString, prefix, permits: 4, sameDatabaseAs: a);
        var first = await a.CreateKeyAsync(["keys:admin"]);
        var second = await a.CreateKeyAsync(["keys:admin"]);
        using var firstOnA = a.CreateClient(first.Key);
        using var firstOnB = b.CreateClient(first.Key);
        using var secondOnB = b.CreateClient(second.Key);

        var served = new List<HttpStatusCode>();
        foreach (var client in (HttpClient[])[firstOnA, firstOnB, firstOnA, firstOnB])
        {
            using var response = await client.GetAsync(Keys);
            served.Add(response.StatusCode);
        }

        using var overOnA = await firstOnA.GetAsync(Keys);
        using var overOnB = await firstOnB.GetAsync(Keys);
        using var otherKey = await secondOnB.GetAsync(Keys);
        var problem = JsonDocument.Parse(await overOnB.Content.ReadAsStringAsync()).RootElement;

        await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisTestServer.ConnectionString);
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var stored = new List<string>();
        await foreach (var key in server.KeysAsync(pattern: prefix + "*"))
        {
            stored.Add(key.ToString());
        }

        var counter = prefix + "ratelimit:key:" + first.Id;
        var ttl = await redis.GetDatabase().KeyTimeToLiveAsync(counter);
        Assert.Multiple(() =>
        {
            Assert.That(served, Has.All.EqualTo(HttpStatusCode.OK), "four requests of a budget of four, over two instances");
            Assert.That(overOnA.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "the fifth on A: the budget is shared");
            Assert.That(overOnB.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "and on B");
            Assert.That(overOnB.Headers.RetryAfter?.Delta?.TotalSeconds, Is.InRange(1, 60), "Retry-After: when the window ends");
            Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("rate_limited"));
            Assert.That(otherKey.StatusCode, Is.EqualTo(HttpStatusCode.OK), "another key has its own budget");
            Assert.That(stored, Does.Contain(counter), "counted under the key's id");
            Assert.That(ttl, Is.Not.Null.And.LessThanOrEqualTo(TimeSpan.FromMinutes(1)), "a window of one minute");
            Assert.That(stored, Has.None.Contains(first.Key.Split('_')[2]).And.None.Contains(second.Key.Split('_')[2]),
                "no Redis key carries a key's secret");
        });
    }

    [Test]
    public async Task Requests_RedisNotListening_ServedAndReadinessDegraded()
    {
        var elapsed = Stopwatch.StartNew();
        await using var api = NewInstance($"127.0.0.1:{ClosedPort()}", RedisTestServer.NewKeyPrefix(), permits: 2);
        using var admin = api.CreateAdminClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await admin.GetAsync(Keys);
            statuses.Add(response.StatusCode);
        }

        var (readyStatus, ready) = await ReadinessAsync(api);
        var warnings = api.Logs.Messages.Count(m => m.StartsWith(UnavailableWarning, StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(statuses, Has.All.EqualTo(HttpStatusCode.OK), "a budget of 2, yet all 5 served: fail open");
            Assert.That(readyStatus, Is.EqualTo(HttpStatusCode.OK), "still ready: the instance serves every request");
            Assert.That(ready.GetProperty("status").GetString(), Is.EqualTo("Degraded"));
            Assert.That(ready.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString(), Is.EqualTo("Degraded"));
            Assert.That(ready.GetProperty("checks").GetProperty("database").GetProperty("status").GetString(), Is.EqualTo("Healthy"));
            Assert.That(warnings, Is.InRange(1, 1 + (int)(elapsed.Elapsed / ProxmoxLxc.Infrastructure.Redis.RedisConnection.WarningInterval)),
                "one warning per interval, not one per failed request");
        });
    }

    [Test]
    public async Task Requests_RedisCutOffThenBack_ServedMeanwhileAndSharedBudgetsAgainAfter()
    {
        await using var relay = new TcpRelay(RedisTestServer.Endpoint);
        await using var api = NewInstance(RedisTestServer.Via(relay.Endpoint), RedisTestServer.NewKeyPrefix(), permits: 3);
        var before = await api.CreateKeyAsync(["keys:admin"]);
        var after = await api.CreateKeyAsync(["keys:admin"]);
        using var beforeClient = api.CreateClient(before.Key);
        using var afterClient = api.CreateClient(after.Key);

        var whileUp = await SendAsync(beforeClient, 4);
        relay.Cut();
        var whileCut = await SendAsync(beforeClient, 5);
        var (cutStatus, cutReady) = await ReadinessAsync(api);
        relay.Mend();
        var back = await WaitForRedisHealthyAsync(api, TimeSpan.FromSeconds(30));
        var whenBack = await SendAsync(afterClient, 4);

        Assert.Multiple(() =>
        {
            Assert.That(whileUp, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
            Assert.That(whileCut, Has.All.EqualTo(HttpStatusCode.OK), "over budget, yet served while Redis is cut off");
            Assert.That(cutStatus, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(cutReady.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString(), Is.EqualTo("Degraded"));
            Assert.That(back, Is.True, "reconnected by itself: /health/ready reports redis healthy again");
            Assert.That(whenBack, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }),
                "budgets are counted in Redis again");
            Assert.That(api.Logs.Messages, Has.Some.StartsWith(UnavailableWarning));
            Assert.That(api.Logs.Messages, Has.Some.Contains("is reachable again"));
        });
    }

    private static ApiFactory NewInstance(string redis, string prefix, int permits, ApiFactory? sameDatabaseAs = null)
    {
        var factory = sameDatabaseAs is null
            ? new ApiFactory()
            : new ApiFactory(new() { Database = sameDatabaseAs.Database, AdminKey = sameDatabaseAs.AdminKey });
        factory.Settings["RateLimiting:PermitsPerMinute"] = permits.ToString(System.Globalization.CultureInfo.InvariantCulture);
        factory.Settings["RateLimiting:Redis"] = redis;
        factory.Settings["RateLimiting:RedisKeyPrefix"] = prefix;
        // Generous on a busy test machine, so no count is skipped because an answer came late; the outages under
        // test fail fast (connection refused or reset), not by this bound.
        factory.Settings["RateLimiting:RedisTimeoutMilliseconds"] = "2000";
        return factory;
    }

    private static async Task<List<HttpStatusCode>> SendAsync(HttpClient client, int count)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var response = await client.GetAsync(Keys);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadinessAsync(ApiFactory api)
    {
        using var client = api.CreateClient(apiKey: null);
        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static async Task<bool> WaitForRedisHealthyAsync(ApiFactory api, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            var (_, body) = await ReadinessAsync(api);
            if (body.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString() == "Healthy")
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    /// <summary>A loopback port nothing listens on (taken from the system, then released).</summary>
    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
