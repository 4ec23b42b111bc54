using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using ProxmoxLxc.Application.Common.Exceptions;

namespace ProxmoxLxc.WebApi.Hosting;

/// <summary>Per-key request budget (<c>RateLimiting:PermitsPerMinute</c>); anonymous callers share a budget per address.</summary>
internal static class RateLimiting
{
    public const int DefaultPermitsPerMinute = 600;

    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var permits = configuration.GetValue<int?>("RateLimiting:PermitsPerMinute") ?? DefaultPermitsPerMinute;
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (permits <= 0 || !context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }

                var partition = context.Items[Authentication.HttpCurrentCaller.ItemKey] is Application.Common.Interfaces.CallerIdentity caller
                    ? $"key:{caller.KeyId}"
                    : $"ip:{context.Connection.RemoteIpAddress}";
                return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = permits,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                var http = context.HttpContext;
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                var problem = new ProblemDetails
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too many requests",
                    Detail = $"This API key's budget of {permits} requests per minute is used up; retry after the Retry-After delay.",
                };
                problem.Extensions["code"] = ErrorCodes.RateLimited;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>()
                    .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
            };
        });
        return services;
    }
}
