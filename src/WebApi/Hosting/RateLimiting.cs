using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Infrastructure.Redis;
using ProxmoxLxc.WebApi.Authentication;

namespace ProxmoxLxc.WebApi.Hosting;

/// <summary>
/// Per-key request budget (<c>RateLimiting:PermitsPerMinute</c>, a fixed one-minute window); anonymous callers share a
/// budget per address. With <c>RateLimiting:Redis</c> the windows are counted in Redis and so shared by every instance
/// (<see cref="SharedWindowRateLimiter"/>); without it each instance counts its own.
/// </summary>
internal static class RateLimiting
{
    public const int DefaultPermitsPerMinute = 600;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var permits = configuration.GetValue<int?>("RateLimiting:PermitsPerMinute") ?? DefaultPermitsPerMinute;
        var shared = configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>() is { Enabled: true };
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) => WriteRejectionAsync(context, permits);
        });
        if (permits <= 0)
        {
            return services;
        }

        if (shared)
        {
            services.AddOptions<RateLimiterOptions>().Configure<RedisFixedWindow>((options, window) =>
                options.GlobalLimiter = new SharedWindowRateLimiter(window, PartitionOf, permits, Window));
        }
        else
        {
            services.Configure<RateLimiterOptions>(options => options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                PartitionOf(context) is { } partition
                    ? RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = permits,
                        Window = Window,
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter("unlimited")));
        }

        return services;
    }

    /// <summary>Whose budget a request spends: <c>key:{key id}</c> (never the secret) or <c>ip:{address}</c>; null for paths outside the API.</summary>
    private static string? PartitionOf(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return context.Items[HttpCurrentCaller.ItemKey] is CallerIdentity caller
            ? $"key:{caller.KeyId}"
            : $"ip:{context.Connection.RemoteIpAddress}";
    }

    private static async ValueTask WriteRejectionAsync(OnRejectedContext context, int permits)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
        var http = context.HttpContext;
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many requests",
            Detail = $"This API key's budget of {permits} requests per minute is used up; retry after the Retry-After delay.",
        };
        problem.Extensions["code"] = ErrorCodes.RateLimited;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }
}
