namespace ProxmoxLxc.TestDatabases;

/// <summary>
/// The Redis server the shared rate-limit tests use, from <see cref="Variable"/> (set by scripts/with-redis.sh, which
/// ./test.sh uses). Tests share the server and keep apart by key prefix (<see cref="NewKeyPrefix"/>).
/// </summary>
public static class RedisTestServer
{
    public const string Variable = "PROXMOXLXC_TEST_REDIS";

    /// <summary>The server's StackExchange.Redis connection string. A missing variable fails the test (never skips it).</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set, so the shared rate-limit tests have no Redis. Run the tests through " +
                "scripts/with-redis.sh (./test.sh does), e.g. scripts/with-redis.sh dotnet test ProxmoxLxc.sln, " +
                "or point the variable at a Redis server (host:port).");

    /// <summary>The server's address (<c>host:port</c>), the connection string's first part.</summary>
    public static string Endpoint => ConnectionString.Split(',')[0];

    /// <summary>The connection string with <paramref name="endpoint"/> in place of the server's address (e.g. a relay's).</summary>
    public static string Via(string endpoint) => string.Join(',', [endpoint, .. ConnectionString.Split(',').Skip(1)]);

    /// <summary>A key prefix of one test's own (<c>RateLimiting:RedisKeyPrefix</c>).</summary>
    public static string NewKeyPrefix() => $"proxmoxlxc-test:{Guid.NewGuid():N}:";
}
