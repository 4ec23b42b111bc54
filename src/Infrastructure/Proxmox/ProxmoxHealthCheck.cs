using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>
/// Readiness: <c>GET /version</c> succeeds. The result is cached for <see cref="ProxmoxOptions.HealthCacheDuration"/>.
/// <see cref="PrimeAsync"/> asks once while the service starts (alongside the database migrations), so the first
/// readiness probe finds the answer, the connection and the TLS session already there.
/// </summary>
internal sealed class ProxmoxHealthCheck(IProxmoxGateway gateway, IOptions<ProxmoxOptions> options, TimeProvider timeProvider) : IHealthCheck
{
    private readonly Lock _lock = new();
    private (HealthCheckResult Result, DateTimeOffset At)? _cached;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ProbeAsync(context.Registration.FailureStatus, cacheFailure: true, cancellationToken);
    }

    /// <summary>
    /// Asks Proxmox once and caches a success like a probe would. A failure is not cached: the first real probe asks
    /// again, so a Proxmox that comes up a moment after this service is ready as soon as it answers.
    /// </summary>
    public Task PrimeAsync(CancellationToken cancellationToken) => ProbeAsync(HealthStatus.Unhealthy, cacheFailure: false, cancellationToken);

    private async Task<HealthCheckResult> ProbeAsync(HealthStatus failureStatus, bool cacheFailure, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_cached is { } cached && timeProvider.GetUtcNow() - cached.At < options.Value.HealthCacheDuration)
                return cached.Result;
        }

        HealthCheckResult result;
        try
        {
            var version = await gateway.GetVersionAsync(cancellationToken);
            result = HealthCheckResult.Healthy($"Proxmox VE {version.Version} reachable.");
        }
        catch (AppException ex)
        {
            result = new HealthCheckResult(failureStatus, $"Proxmox not ready: {ex.Message}");
            if (!cacheFailure)
                return result;
        }

        lock (_lock)
            _cached = (result, timeProvider.GetUtcNow());
        return result;
    }
}
