using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ProxmoxLxc.Infrastructure.Redis;

/// <summary>
/// <c>redis</c> readiness entry: a <c>PING</c> within the command bound. An unreachable Redis reports
/// <see cref="HealthStatus.Degraded"/> (registered so): the instance still serves every request — only the per-key
/// budgets are not enforced meanwhile — so a load balancer must not take it out of rotation for that.
/// </summary>
internal sealed class RedisHealthCheck(RedisConnection redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var pong = await redis.TryExecuteAsync(db => db.ExecuteAsync("PING"), cancellationToken);
        return pong is { IsNull: false }
            ? HealthCheckResult.Healthy($"Redis at {redis.Endpoints} answers; per-key rate limits are shared by all instances.")
            : new HealthCheckResult(context.Registration.FailureStatus,
                $"Redis at {redis.Endpoints} is unreachable: requests are served, per-key rate limits are not enforced until it is back.");
    }
}
