using Microsoft.Extensions.Options;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>Settings bound from the <c>Proxmox</c> configuration section.</summary>
public sealed class ProxmoxOptions
{
    public const string SectionName = "Proxmox";

    /// <summary>Cluster endpoint, e.g. <c>https://pve1.example:8006</c>; <c>/api2/json</c> is appended.</summary>
    public string BaseUrl { get; set; } = string.Empty;

    /// <summary>API token id <c>user@realm!name</c> (recommended auth mode, with <see cref="TokenSecret"/>).</summary>
    public string? TokenId { get; set; }
    public string? TokenSecret { get; set; }

    /// <summary>Ticket auth instead of a token (<c>user@realm</c> and password).</summary>
    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>SHA-256 fingerprint of the server certificate (<c>AA:BB:…</c> or plain hex). Host name is not checked when pinned.</summary>
    public string? CertificateFingerprint { get; set; }

    /// <summary>Trust any certificate (a warning is logged at start).</summary>
    public bool SkipCertificateValidation { get; set; }

    /// <summary>TCP connect timeout.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Timeout of a single read (GET) attempt; a read's retries share <see cref="ReadTimeoutSeconds"/>.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Total deadline of a read (GET) including its retries, in seconds (a hanging Proxmox never holds a read longer).</summary>
    public int ReadTimeoutSeconds { get; set; } = 15;

    /// <summary>
    /// Deadline of a write (POST/PUT/DELETE) — one attempt, never repeated — in seconds. A mutating call's row that has
    /// no task this long after it began is reconciled against Proxmox's task list.
    /// </summary>
    public int DispatchTimeoutSeconds { get; set; } = 90;

    internal TimeSpan ReadTimeout => TimeSpan.FromSeconds(ReadTimeoutSeconds);

    internal TimeSpan DispatchTimeout => TimeSpan.FromSeconds(DispatchTimeoutSeconds);

    /// <summary>Retries for GET requests (never for writes).</summary>
    public int MaxRetries { get; set; } = 3;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Circuit breaker: failure ratio within <see cref="BreakerSamplingDuration"/> that opens the circuit.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;
    public int BreakerMinimumThroughput { get; set; } = 10;
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Ticket mode: renew the ticket once it is this old (Proxmox tickets live 2 h).</summary>
    public TimeSpan TicketRenewAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Ticket mode: a ticket older than this is not renewed but replaced by a fresh login.</summary>
    public TimeSpan TicketLifetime { get; set; } = TimeSpan.FromMinutes(115);

    /// <summary>Task polling: first delay and the cap of the exponential back-off.</summary>
    public TimeSpan TaskPollInitialDelay { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan TaskPollMaxDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a health check result is reused.</summary>
    public TimeSpan HealthCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Bundled emulator hosting (the WebApi reads this).</summary>
    /// <summary>
    /// Oldest inventory view (<c>/cluster/resources</c>) used to find a container's node, pool and restriction, and to serve
    /// list and batch status; in seconds, 0 = ask Proxmox on every such read.
    /// </summary>
    public int InventoryMaxAgeSeconds { get; set; } = 5;

    public ProxmoxEmulatorHostingOptions Emulator { get; set; } = new();

    internal bool UsesToken => !string.IsNullOrEmpty(TokenId);
}

public sealed class ProxmoxEmulatorHostingOptions
{
    /// <summary>When true the WebApi hosts the Proxmox emulator on loopback and points the gateway at it.</summary>
    public bool Enabled { get; set; }
}

internal sealed class ProxmoxOptionsValidator : IValidateOptions<ProxmoxOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxmoxOptions options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            failures.Add("Proxmox:BaseUrl must be an absolute http(s) URL such as https://pve.example:8006.");

        var token = !string.IsNullOrEmpty(options.TokenId) || !string.IsNullOrEmpty(options.TokenSecret);
        var ticket = !string.IsNullOrEmpty(options.Username) || !string.IsNullOrEmpty(options.Password);
        if (token == ticket)
            failures.Add("Configure exactly one Proxmox auth mode: TokenId+TokenSecret, or Username+Password.");
        if (token && (string.IsNullOrEmpty(options.TokenId) || string.IsNullOrEmpty(options.TokenSecret)))
            failures.Add("Proxmox:TokenId and Proxmox:TokenSecret must both be set.");
        if (token && !string.IsNullOrEmpty(options.TokenId) && options.TokenId.Count(c => c == '!') != 1)
            failures.Add("Proxmox:TokenId must look like user@realm!tokenname.");
        if (ticket && (string.IsNullOrEmpty(options.Username) || string.IsNullOrEmpty(options.Password)))
            failures.Add("Proxmox:Username and Proxmox:Password must both be set.");
        if (ticket && !string.IsNullOrEmpty(options.Username) && !options.Username.Contains('@', StringComparison.Ordinal))
            failures.Add("Proxmox:Username must include the realm, e.g. root@pam.");

        if (!string.IsNullOrEmpty(options.CertificateFingerprint))
        {
            if (options.SkipCertificateValidation)
                failures.Add("Proxmox:CertificateFingerprint and Proxmox:SkipCertificateValidation are mutually exclusive.");
            if (CertificateValidation.NormalizeFingerprint(options.CertificateFingerprint) is null)
                failures.Add("Proxmox:CertificateFingerprint must be a SHA-256 fingerprint (64 hex digits, colons optional).");
        }

        if (options.AttemptTimeout <= TimeSpan.Zero || options.ConnectTimeout <= TimeSpan.Zero)
            failures.Add("Proxmox timeouts must be positive.");
        if (options.ReadTimeoutSeconds is < 1 or > 300)
            failures.Add("Proxmox:ReadTimeoutSeconds must be between 1 and 300.");
        if (options.DispatchTimeoutSeconds is < 1 or > 3600)
            failures.Add("Proxmox:DispatchTimeoutSeconds must be between 1 and 3600.");
        if (options.MaxRetries is < 0 or > 10)
            failures.Add("Proxmox:MaxRetries must be between 0 and 10.");
        if (options.BreakerFailureRatio is <= 0 or > 1)
            failures.Add("Proxmox:BreakerFailureRatio must be in (0, 1].");
        if (options.BreakerMinimumThroughput < 2)
            failures.Add("Proxmox:BreakerMinimumThroughput must be at least 2.");
        if (options.BreakerSamplingDuration < TimeSpan.FromMilliseconds(500) || options.BreakerBreakDuration < TimeSpan.FromMilliseconds(500))
            failures.Add("Proxmox breaker durations must be at least 500 ms.");
        if (options.TicketRenewAfter <= TimeSpan.Zero || options.TicketLifetime <= options.TicketRenewAfter)
            failures.Add("Proxmox:TicketRenewAfter must be positive and shorter than TicketLifetime.");

        if (options.InventoryMaxAgeSeconds is < 0 or > 3600)
            failures.Add("Proxmox:InventoryMaxAgeSeconds must be between 0 and 3600.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
