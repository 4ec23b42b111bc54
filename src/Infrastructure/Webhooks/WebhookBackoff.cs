namespace ProxmoxLxc.Infrastructure.Webhooks;

/// <summary>
/// Exponential backoff with full jitter: after the n-th failed attempt the next one waits a uniformly random time in
/// [1 s, min(cap, base · 2^(n-1))]. With the defaults (5 s, 1 h) a failing endpoint is retried about every half hour
/// once the ceiling is reached, until it succeeds or is disabled after <see cref="WebhookOptions.DisableAfter"/>.
/// </summary>
internal static class WebhookBackoff
{
    private static readonly TimeSpan Floor = TimeSpan.FromSeconds(1);

    public static TimeSpan Ceiling(int failedAttempts, TimeSpan @base, TimeSpan cap)
    {
        var exponent = Math.Clamp(failedAttempts - 1, 0, 30);
        var ceiling = @base.TotalSeconds * Math.Pow(2, exponent);
        return ceiling >= cap.TotalSeconds ? cap : TimeSpan.FromSeconds(ceiling);
    }

    public static TimeSpan Delay(int failedAttempts, TimeSpan @base, TimeSpan cap, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var ceiling = Ceiling(failedAttempts, @base, cap);
        var delay = TimeSpan.FromSeconds(random.NextDouble() * ceiling.TotalSeconds);
        return delay < Floor ? Floor : delay;
    }
}
