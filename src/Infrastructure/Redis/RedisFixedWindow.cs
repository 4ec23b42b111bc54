using StackExchange.Redis;

namespace ProxmoxLxc.Infrastructure.Redis;

/// <summary>
/// Fixed-window request counters in Redis, shared by every instance: one atomic script per request increments the
/// partition's counter and, on the window's first request, sets its expiry — the window starts with the first request
/// (as the per-instance limiter's does), independent of the instances' clocks. Keys are
/// <c>{prefix}ratelimit:{partition}</c>; a partition names a key by its id (<c>key:AbC…</c>), never by its secret.
/// </summary>
public sealed class RedisFixedWindow(RedisConnection redis)
{
    private const string Script = """
        local count = redis.call('INCR', KEYS[1])
        if count == 1 then
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
        end
        return { count, redis.call('PTTL', KEYS[1]) }
        """;

    /// <summary>Counts one request in <paramref name="partition"/>'s current window; null when Redis could not answer in time.</summary>
    public async Task<WindowCount?> HitAsync(string partition, TimeSpan window, CancellationToken cancellationToken)
    {
        RedisKey key = $"{redis.KeyPrefix}ratelimit:{partition}";
        RedisValue windowMs = (long)window.TotalMilliseconds;
        var result = await redis.TryExecuteAsync(db => db.ScriptEvaluateAsync(Script, [key], [windowMs]), cancellationToken);
        if (result is null)
        {
            return null;
        }

        var values = (RedisResult[])result!;
        return new WindowCount((long)values[0], TimeSpan.FromMilliseconds(Math.Max(0, (long)values[1])));
    }
}

/// <summary>Requests counted so far in the current window, and the time until it ends.</summary>
public sealed record WindowCount(long Count, TimeSpan ResetsIn);
