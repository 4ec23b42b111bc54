namespace ProxmoxLxc.Infrastructure.Redis;

/// <summary>
/// The optional Redis shared by all instances (section <c>RateLimiting</c>): per-key request budgets counted across
/// instances and, while it is reachable, the fast path of key-change notices. Without <see cref="Redis"/> each
/// instance counts its own budgets.
/// </summary>
public sealed class RedisOptions
{
    public const string SectionName = "RateLimiting";

    /// <summary>A StackExchange.Redis connection string (<c>host:port,password=…,ssl=true</c>); empty: no Redis.</summary>
    public string? Redis { get; set; }

    /// <summary>How long one Redis command may take before the request goes on without it (fail open).</summary>
    public int RedisTimeoutMilliseconds { get; set; } = 250;

    /// <summary>Prefix of every Redis key and channel name, so several deployments can share one Redis.</summary>
    public string RedisKeyPrefix { get; set; } = "proxmoxlxc:";

    public bool Enabled => !string.IsNullOrWhiteSpace(Redis);
}
