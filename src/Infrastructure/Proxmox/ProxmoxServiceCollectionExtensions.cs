using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Infrastructure.Proxmox;

public static class ProxmoxServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IProxmoxGateway"/> (options from section <c>Proxmox</c>, validated at start), its HTTP client
    /// with TLS policy, authentication and the Polly pipeline, the <c>ProxmoxLxc.Proxmox</c> meter and the
    /// <c>proxmox</c> health check (tag <c>ready</c>).
    /// </summary>
    public static IServiceCollection AddProxmoxGateway(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ProxmoxOptions>()
            .Bind(configuration.GetSection(ProxmoxOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProxmoxOptions>, ProxmoxOptionsValidator>());

        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ProxmoxMetrics>();
        services.TryAddSingleton<ProxmoxTicketStore>();
        services.TryAddSingleton<ProxmoxApiClient>();
        services.TryAddSingleton<IProxmoxGateway, ProxmoxGateway>();
        services.TryAddSingleton<IClusterInventory, ClusterInventory>();
        services.TryAddSingleton<ProxmoxHealthCheck>();
        services.AddTransient<ProxmoxAuthenticationHandler>();
        services.AddHostedService<ProxmoxStartup>();

        var httpClient = services.AddHttpClient(ProxmoxApiClient.HttpClientName, (sp, client) =>
            {
                var options = sp.GetRequiredService<IOptions<ProxmoxOptions>>().Value;
                client.BaseAddress = new Uri(options.BaseUrl.TrimEnd('/') + "/");
                client.Timeout = Timeout.InfiniteTimeSpan; // Polly owns the timeouts.
                // Unparsed: every request copies the default headers, and a parsed value is copied under a lock on it
                // that all concurrent requests share (lock contention in a profile at 32 connections).
                client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "ProxmoxLxc/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<IOptions<ProxmoxOptions>>().Value;
                var handler = new SocketsHttpHandler
                {
                    UseCookies = false, // the ticket cookie is set by hand
                    AllowAutoRedirect = false,
                    ConnectTimeout = options.ConnectTimeout,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                };
                var callback = CertificateValidation.CreateCallback(options);
                if (callback is not null)
                    handler.SslOptions.RemoteCertificateValidationCallback = callback;
                return handler;
            });
        // ProxmoxApiClient logs failures and records metrics itself: the factory's per-request log handlers only cost time.
        httpClient.RemoveAllLoggers();
        // Order matters: the resilience pipeline is outermost, so every retry passes through authentication again.
        httpClient.AddResilienceHandler("proxmox", ConfigureResilience);
        httpClient.AddHttpMessageHandler<ProxmoxAuthenticationHandler>();

        services.AddHealthChecks().AddCheck<ProxmoxHealthCheck>("proxmox", tags: ["ready"]);
        return services;
    }

    private static void ConfigureResilience(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<ProxmoxOptions>>().Value;
        var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("ProxmoxLxc.Infrastructure.Proxmox.Resilience");

        // Reads get their own short total deadline (retries included); a write gets one attempt with the dispatch budget.
        builder.AddTimeout(new TimeoutStrategyOptions
        {
            Name = "total",
            TimeoutGenerator = args => ValueTask.FromResult(IsRead(args.Context) ? options.ReadTimeout : options.DispatchTimeout),
        });

        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "retry-get",
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                // Only idempotent reads are retried; a write that failed may already have happened.
                ShouldHandle = async args => IsRead(args.Context)
                    && await IsTransientFailureAsync(args.Outcome),
                OnRetry = args =>
                {
                    ProxmoxLog.Retrying(logger, args.Context.GetRequestMessage()?.RequestUri?.AbsolutePath ?? "?", args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            Name = "breaker",
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = options.BreakerMinimumThroughput,
            SamplingDuration = options.BreakerSamplingDuration,
            BreakDuration = options.BreakerBreakDuration,
            ShouldHandle = args => IsTransientFailureAsync(args.Outcome),
            OnOpened = args =>
            {
                ProxmoxLog.CircuitOpened(logger, args.BreakDuration);
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                ProxmoxLog.CircuitClosed(logger);
                return ValueTask.CompletedTask;
            },
        });

        builder.AddTimeout(new TimeoutStrategyOptions
        {
            Name = "attempt",
            TimeoutGenerator = args => ValueTask.FromResult(IsRead(args.Context)
                ? (options.AttemptTimeout < options.ReadTimeout ? options.AttemptTimeout : options.ReadTimeout)
                : options.DispatchTimeout),
        });
    }

    private static bool IsRead(ResilienceContext context) => context.GetRequestMessage()?.Method == HttpMethod.Get;

    /// <summary>
    /// Network errors, timeouts, 502/503/504, the 595–599 proxy codes and 500s without a semantic message.
    /// A 500 that says "does not exist", "is locked (…)", "already running" etc. is an answer, not an outage.
    /// TLS rejections are not transient (a retry cannot change the certificate).
    /// </summary>
    internal static async ValueTask<bool> IsTransientFailureAsync(Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Exception is not null)
        {
            return outcome.Exception switch
            {
                HttpRequestException http => !ProxmoxApiClient.IsTlsFailure(http),
                SocketException => true, // a connection reset while connecting escapes SocketsHttpHandler unwrapped
                TimeoutRejectedException => true,
                _ => false,
            };
        }

        var response = outcome.Result;
        if (response is null)
            return false;
        if (ProxmoxErrorTranslator.IsTransientStatus(response.StatusCode))
            return true;
        if (response.StatusCode != HttpStatusCode.InternalServerError)
            return false;

        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(); // buffered, read again later
        }
        catch (HttpRequestException)
        {
            return true;
        }

        var (message, _) = ProxmoxApiClient.ParseError(body, response.ReasonPhrase);
        return ProxmoxErrorTranslator.IsTransientServerError(message);
    }
}

/// <summary>
/// Logs the gateway configuration once at start, with a warning when TLS validation is off, and primes the readiness
/// check (<see cref="ProxmoxHealthCheck.PrimeAsync"/>) without waiting for it — registered before the database
/// initializer (see Program), so the first Proxmox answer is fetched while the migrations run, not after them. The
/// start waits for the prime once every service has started, at most <see cref="PrimeWait"/>: a Proxmox that is down
/// or slow delays the start by that much at most (the prime then goes on in the background), and the prime gives up
/// when the service stops.
/// </summary>
internal sealed partial class ProxmoxStartup(
    IOptions<ProxmoxOptions> options, ProxmoxHealthCheck health, ILogger<ProxmoxStartup> logger) : IHostedLifecycleService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _prime = Task.CompletedTask;

    /// <summary>The prime started at start-up (completed when it answered, failed quietly or was cancelled).</summary>
    internal Task Prime => _prime;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _prime = PrimeAsync(_stopping.Token);
        var o = options.Value;
        var tls = o.SkipCertificateValidation ? "no" : o.CertificateFingerprint is { Length: > 0 } ? "pinned-fingerprint" : "system-trust";
        ProxmoxLog.GatewayConfigured(logger, o.BaseUrl, o.UsesToken ? "API token" : "ticket", tls);
        if (o.SkipCertificateValidation)
            ProxmoxLog.CertificateValidationDisabled(logger);
        return Task.CompletedTask;
    }

    /// <summary>How long the start waits, after every service started, for a prime still under way.</summary>
    internal static readonly TimeSpan PrimeWait = TimeSpan.FromSeconds(1);

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _prime.WaitAsync(PrimeWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            LogPrimeStillRunning(logger, PrimeWait.TotalSeconds);
        }
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _prime;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _stopping.Dispose();

    private async Task PrimeAsync(CancellationToken cancellationToken)
    {
        await Task.Yield(); // off the starting thread: the next service (the database initializer) starts at once
        try
        {
            await health.PrimeAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A failed prime only means the first readiness probe asks Proxmox itself.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogPrimeFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Proxmox has not answered the start-up readiness prime within {Seconds} s; starting without it.")]
    private static partial void LogPrimeStillRunning(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The start-up readiness prime of Proxmox failed; the first readiness probe asks again.")]
    private static partial void LogPrimeFailed(ILogger logger, Exception exception);
}
