using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ProxmoxLxc.Infrastructure.Redis;

/// <summary>
/// The instance's one connection to the shared Redis (<see cref="RedisOptions.Redis"/>). It connects at start-up
/// without waiting long for a Redis that is down, reconnects by itself, fails commands at once while disconnected
/// (no backlog) and bounds each by <see cref="RedisOptions.RedisTimeoutMilliseconds"/>, so callers can go on without
/// it. Failures are logged as one warning per <see cref="WarningInterval"/> (with the number of failures since), and
/// the return of Redis once.
/// </summary>
public sealed partial class RedisConnection : IHostedService, IAsyncDisposable
{
    /// <summary>At most one warning about an unreachable Redis per this period.</summary>
    public static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan StartupWait = TimeSpan.FromSeconds(2);

    private readonly ConfigurationOptions _configuration;
    private readonly ILogger<RedisConnection> _logger;
    private readonly Lock _sync = new();
    private Task<ConnectionMultiplexer>? _connecting;
    private long _lastWarningAt;
    private bool _warned;
    private int _failuresSinceWarning;
    private bool _failing;

    public RedisConnection(IOptions<RedisOptions> options, ILogger<RedisConnection> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        Timeout = TimeSpan.FromMilliseconds(options.Value.RedisTimeoutMilliseconds);
        KeyPrefix = options.Value.RedisKeyPrefix;
        _configuration = ConfigurationOptions.Parse(options.Value.Redis ?? throw new InvalidOperationException("RateLimiting:Redis is not set."));
        _configuration.AbortOnConnectFail = false;
        _configuration.BacklogPolicy = BacklogPolicy.FailFast;
        _configuration.ReconnectRetryPolicy = new LinearRetry(1000);
        _configuration.AsyncTimeout = Math.Max(1, options.Value.RedisTimeoutMilliseconds);
        Endpoints = string.Join(", ", _configuration.EndPoints.Select(e => e.ToString()));
    }

    /// <summary>The bound of one command.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Prefix of every key and channel this service uses.</summary>
    public string KeyPrefix { get; }

    /// <summary>Where Redis is (host:port, never the password), for messages.</summary>
    public string Endpoints { get; }

    /// <summary>The multiplexer once the first connection attempt has ended (connected or still retrying); else null.</summary>
    public ConnectionMultiplexer? Multiplexer => _connecting is { IsCompletedSuccessfully: true } done ? done.Result : null;

    /// <summary>Starts connecting and waits briefly for it, so the first requests after start-up already count in Redis.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var connecting = ConnectAsync();
        try
        {
            await connecting.WaitAsync(StartupWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Still trying in the background; commands fail open until it is connected.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Runs one command within <see cref="Timeout"/>. Null when Redis is not connected, slow or failing: the failure is
    /// reported (rate-limited warning) and the caller goes on without Redis.
    /// </summary>
    public async Task<RedisResult?> TryExecuteAsync(Func<IDatabase, Task<RedisResult>> command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var multiplexer = Multiplexer;
        if (multiplexer is null || !multiplexer.IsConnected)
        {
            ReportFailure("not connected");
            return null;
        }

        try
        {
            var result = await command(multiplexer.GetDatabase()).WaitAsync(Timeout, cancellationToken);
            ReportSuccess();
            return result;
        }
        catch (TimeoutException)
        {
            ReportFailure($"no answer within {Timeout.TotalMilliseconds:0} ms");
        }
        catch (RedisException ex)
        {
            ReportFailure(ex is RedisConnectionException connection ? connection.FailureType.ToString() : ex.GetType().Name);
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connecting is { } connecting)
        {
            try
            {
                await (await connecting).DisposeAsync();
            }
            catch (RedisException)
            {
                // Nothing to close.
            }
        }
    }

    private Task<ConnectionMultiplexer> ConnectAsync()
    {
        lock (_sync)
        {
            return _connecting ??= ConnectCoreAsync();
        }
    }

    private async Task<ConnectionMultiplexer> ConnectCoreAsync()
    {
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(_configuration);
        multiplexer.ConnectionFailed += (_, e) => ReportFailure(e.FailureType.ToString());
        multiplexer.ConnectionRestored += (_, _) => ReportSuccess();
        if (multiplexer.IsConnected)
        {
            RedisLog.Connected(_logger, Endpoints);
        }
        else
        {
            ReportFailure("unable to connect");
        }

        return multiplexer;
    }

    private void ReportFailure(string reason)
    {
        int suppressed;
        lock (_sync)
        {
            _failing = true;
            var now = Environment.TickCount64;
            if (_warned && now - _lastWarningAt < (long)WarningInterval.TotalMilliseconds)
            {
                _failuresSinceWarning++;
                return;
            }

            suppressed = _failuresSinceWarning;
            _failuresSinceWarning = 0;
            _lastWarningAt = now;
            _warned = true;
        }

        RedisLog.Unavailable(_logger, Endpoints, reason, suppressed);
    }

    private void ReportSuccess()
    {
        lock (_sync)
        {
            if (!_failing)
            {
                return;
            }

            _failing = false;
        }

        RedisLog.Restored(_logger, Endpoints);
    }
}

internal static partial class RedisLog
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Warning,
        Message = "Redis at {Endpoints} is unavailable ({Reason}): requests are served without the shared rate limits " +
                  "until it is back; {Suppressed} more failures since the previous warning")]
    public static partial void Unavailable(ILogger logger, string endpoints, string reason, int suppressed);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Redis at {Endpoints} is reachable again")]
    public static partial void Restored(ILogger logger, string endpoints);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "Connected to Redis at {Endpoints}")]
    public static partial void Connected(ILogger logger, string endpoints);
}
