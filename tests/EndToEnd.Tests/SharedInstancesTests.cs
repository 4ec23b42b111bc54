using System.Diagnostics;
using System.Net;
using ProxmoxLxc.Client;
using ProxmoxLxc.EndToEnd.Tests.Support;
using ProxmoxLxc.TestDatabases;

namespace ProxmoxLxc.EndToEnd.Tests;

/// <summary>
/// Three processes of the built service on one PostgreSQL database and one Redis (<c>RateLimiting__Redis</c>): a key
/// revoked through one instance is refused by the other two within 2 s, and a key's budget of N requests per minute
/// holds across all three together, not per instance.
/// </summary>
public sealed class SharedInstancesTests : MultiInstanceFixture
{
    private const int Budget = 30;

    /// <summary>Requests let through beyond the budget that the test tolerates (a Redis command slower than its bound fails open).</summary>
    private const int Slack = 3;

    private static readonly TimeSpan KeyChangeBound = TimeSpan.FromSeconds(2);

    private readonly ServiceInstancesOptions _options = new()
    {
        Environment = new Dictionary<string, string>
        {
            ["RateLimiting__Redis"] = RedisTestServer.ConnectionString,
            ["RateLimiting__RedisKeyPrefix"] = RedisTestServer.NewKeyPrefix(),
            // Generous on a busy test machine: the shared budget is under test here, not the fail-open bound.
            ["RateLimiting__RedisTimeoutMilliseconds"] = "1000",
            ["RateLimiting__PermitsPerMinute"] = Budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
    };

    protected override ServiceInstancesOptions Options => _options;

    [Test]
    public async Task Revoke_OnOneInstance_RefusedByTheOtherTwoWithinTwoSeconds()
    {
        using var admin = Instances[0].Clients();
        var keys = admin.Create<KeysClient>();
        var created = await keys.CreateAsync(new CreateApiKeyCommand { Name = "shared-revoked", Scopes = ["audit:read"] });
        var others = Instances.Instances.Skip(1).Select(i => i.Clients(created.Key)).ToList();
        try
        {
            foreach (var other in others)
            {
                await other.Create<OperationsClient>().ListAsync(limit: 1); // cached there now
            }

            await keys.RevokeAsync(created.Metadata.Id);
            var revokedAt = Stopwatch.StartNew();
            var refusedAfter = await Task.WhenAll(others.Select(async other =>
            {
                while (revokedAt.Elapsed < TimeSpan.FromSeconds(15))
                {
                    try
                    {
                        await other.Create<OperationsClient>().ListAsync(limit: 1);
                    }
                    catch (ProxmoxLxcApiException ex) when (ex.StatusCode == (int)HttpStatusCode.Unauthorized)
                    {
                        return revokedAt.Elapsed;
                    }

                    await Task.Delay(50);
                }

                return TimeSpan.MaxValue;
            }));

            await TestContext.Out.WriteLineAsync($"refused by B after {refusedAfter[0].TotalMilliseconds:0} ms, by C after {refusedAfter[1].TotalMilliseconds:0} ms");
            Assert.That(refusedAfter, Has.All.LessThanOrEqualTo(KeyChangeBound));
        }
        finally
        {
            others.ForEach(o => o.Dispose());
        }
    }

    [Test]
    public async Task Requests_OneKeyOnThreeInstances_BudgetHoldsAcrossThemAll()
    {
        using var admin = Instances[0].Clients();
        var key = await admin.Create<KeysClient>().CreateAsync(new CreateApiKeyCommand { Name = "shared-budget", Scopes = ["audit:read"] });

        // As many requests to each instance as the whole budget: per-instance budgets would let all 3 × N through.
        var perInstance = await Task.WhenAll(Instances.Instances.Select(async instance =>
        {
            using var clients = instance.Clients(key.Key);
            var operations = clients.Create<OperationsClient>();
            var (served, limited) = (0, 0);
            for (var i = 0; i < Budget; i++)
            {
                try
                {
                    await operations.ListAsync(limit: 1);
                    served++;
                }
                catch (ProxmoxLxcApiException ex) when (ex.StatusCode == (int)HttpStatusCode.TooManyRequests)
                {
                    limited++;
                }
            }

            return (Served: served, Limited: limited);
        }));

        var served = perInstance.Sum(r => r.Served);
        await TestContext.Out.WriteLineAsync($"served per instance: {string.Join(", ", perInstance.Select(r => r.Served))}");
        Assert.Multiple(() =>
        {
            Assert.That(served, Is.InRange(Budget, Budget + Slack), "one budget for the key across the three instances");
            Assert.That(perInstance.Sum(r => r.Limited), Is.EqualTo(3 * Budget - served), "the rest answered 429");
        });
    }
}
