using System.Threading.RateLimiting;
using ProxmoxLxc.Infrastructure.Redis;

namespace ProxmoxLxc.WebApi.Hosting;

/// <summary>
/// The global limiter with Redis: each request of a limited partition is one round trip to <see cref="RedisFixedWindow"/>
/// (the synchronous attempt declines, so the middleware takes the asynchronous path). When Redis does not answer in
/// time the request is let through — fail open — and the connection reports the outage (log, <c>/health/ready</c>).
/// </summary>
internal sealed class SharedWindowRateLimiter(
    RedisFixedWindow windows, Func<HttpContext, string?> partitionOf, int permits, TimeSpan window) : PartitionedRateLimiter<HttpContext>
{
    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) =>
        permitCount == 0 || partitionOf(resource) is null ? WindowLease.Granted : WindowLease.Undecided;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken)
    {
        if (permitCount == 0 || partitionOf(resource) is not { } partition)
        {
            return WindowLease.Granted;
        }

        var count = await windows.HitAsync(partition, window, cancellationToken);
        return count is null || count.Count <= permits ? WindowLease.Granted : WindowLease.Refused(count.ResetsIn);
    }

    private sealed class WindowLease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly WindowLease Granted = new(true, null);

        /// <summary>The synchronous attempt's answer: not acquired, no metadata, so the middleware asks asynchronously.</summary>
        public static readonly WindowLease Undecided = new(false, null);

        public static WindowLease Refused(TimeSpan retryAfter) => new(false, retryAfter);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = wait;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
