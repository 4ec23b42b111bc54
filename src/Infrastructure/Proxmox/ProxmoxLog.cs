using Microsoft.Extensions.Logging;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>Source-generated log messages. Never pass credentials, tickets or request bodies here.</summary>
internal static partial class ProxmoxLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Warning,
        Message = "Proxmox TLS certificate validation is DISABLED (Proxmox:SkipCertificateValidation=true); use CertificateFingerprint instead outside development")]
    public static partial void CertificateValidationDisabled(ILogger logger);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Proxmox gateway targets {BaseUrl} using {AuthMode} authentication and {TlsMode} TLS validation")]
    public static partial void GatewayConfigured(ILogger logger, string baseUrl, string authMode, string tlsMode);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Proxmox ticket obtained for {Username} ({Reason})")]
    public static partial void TicketObtained(ILogger logger, string username, string reason);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Proxmox ticket renewal failed with {StatusCode}; logging in again")]
    public static partial void TicketRenewalFailed(ILogger logger, int statusCode);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Proxmox answered 401 to {Method} {Path}; re-authenticating once")]
    public static partial void Unauthorized(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Proxmox call {Method} {Path} failed with {StatusCode}: {ProxmoxMessage}")]
    public static partial void CallFailed(ILogger logger, string method, string path, int statusCode, string proxmoxMessage);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "Proxmox call {Method} {Path} could not be completed: {Reason}")]
    public static partial void CallUnavailable(ILogger logger, string method, string path, string reason, Exception exception);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Information, Message = "Retrying Proxmox GET {Path} (attempt {Attempt}) after {Delay}")]
    public static partial void Retrying(ILogger logger, string path, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 4108, Level = LogLevel.Error, Message = "Proxmox circuit breaker opened for {BreakDuration}; calls fail fast with 503")]
    public static partial void CircuitOpened(ILogger logger, TimeSpan breakDuration);

    [LoggerMessage(EventId = 4109, Level = LogLevel.Information, Message = "Proxmox circuit breaker closed")]
    public static partial void CircuitClosed(ILogger logger);

    [LoggerMessage(EventId = 4110, Level = LogLevel.Error, Message = "Proxmox login for {Username} was rejected ({StatusCode}); check Proxmox:Username/Password")]
    public static partial void LoginRejected(ILogger logger, string username, int statusCode);
}
