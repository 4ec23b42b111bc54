namespace ProxmoxLxc.Infrastructure.Webhooks;

/// <summary>Settings of webhook delivery (<c>Webhooks:*</c>).</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>
    /// Base64 of 32 bytes: the AES-GCM key that encrypts signing secrets at rest. Every instance on one database needs
    /// the same key. Absent: one is generated into <see cref="KeyFile"/> (with a warning) and reused from there.
    /// </summary>
    public string? EncryptionKey { get; set; }

    /// <summary>Where a generated key is kept when <see cref="EncryptionKey"/> is absent; default <c>data/webhooks.key</c> under the app.</summary>
    public string? KeyFile { get; set; }

    /// <summary>Hosts (names, addresses or CIDR ranges, comma-separated) that webhooks may target besides public <c>https://</c> ones; <c>http://</c> is allowed to them.</summary>
    public string? AllowedHosts { get; set; }

    /// <summary>An attempt that has no 2xx answer within this time fails.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often each instance looks for due deliveries and new events (it is also woken at once by its own changes).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>First retry delay ceiling; doubled per failed attempt up to <see cref="BackoffCap"/> (full jitter below the ceiling).</summary>
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan BackoffCap { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A webhook failing without a success for this long is disabled (and a <c>webhook.disabled</c> event says so).</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(3);
}
