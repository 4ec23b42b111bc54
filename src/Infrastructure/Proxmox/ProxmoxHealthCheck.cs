using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>Readiness: <c>GET /version</c> succeeds. The result is cached for <see cref="ProxmoxOptions.HealthCacheDuration"/>.</summary>
internal sealed class ProxmoxHealthCheck(IProxmoxGateway gateway, IOptions<ProxmoxOptions> options, TimeProvider timeProvider) : IHealthCheck
{
    private readonly Lock _lock = new();
    private (HealthCheckResult Result, DateTimeOffset At)? _cached;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
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
            result = new HealthCheckResult(context.Registration.FailureStatus, $"Proxmox not ready: {ex.Message}");
        }

        lock (_lock)
            _cached = (result, timeProvider.GetUtcNow());
        return result;
    }
}
