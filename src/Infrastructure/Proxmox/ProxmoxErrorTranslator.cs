using System.Net;
using System.Text.RegularExpressions;
using ProxmoxLxc.Application.Common.Exceptions;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>
/// Proxmox has no 404/409: missing objects and conflicts are 500s with a message. This turns a failed answer
/// (status, reason phrase, JSON <c>message</c> and <c>errors</c>) into the application's typed exceptions.
/// </summary>
internal static partial class ProxmoxErrorTranslator
{
    public static AppException Translate(int status, string? message, IReadOnlyDictionary<string, string[]>? errors)
    {
        var text = Clean(message);
        switch (status)
        {
            case 400:
                if (errors is { Count: > 0 })
                {
                    if (errors.TryGetValue("upid", out var upidErrors) && upidErrors.Any(e => e.Contains("no such task", StringComparison.OrdinalIgnoreCase)))
                        return new NotFoundException(ErrorCodes.TaskNotFound, "The Proxmox task does not exist.");
                    if (errors.TryGetValue("vmid", out var vmidErrors) && vmidErrors.Any(e => AlreadyExistsRegex().IsMatch(e)))
                        return VmIdUnavailable();
                    return new RequestValidationException(errors, 422, message: "Proxmox rejected one or more parameters.");
                }

                return new RequestValidationException("request", text.Length > 0 ? text : "Proxmox rejected the request.");
            case 401:
                return new ProxmoxErrorException(
                    "Proxmox rejected the service's own credentials (check the Proxmox token or user configuration).");
            case 403:
                // Proxmox reports some missing objects as permission failures ("Permission check failed (pool 'x' does
                // not exist)"): that is the request's fault, not a privilege the service lacks.
                if (MissingObjectRegex().Match(text) is { Success: true } missing)
                    return new RequestValidationException(missing.Groups[1].Value, $"The {missing.Groups[1].Value} '{missing.Groups[2].Value}' does not exist.");
                return new ProxmoxErrorException(
                    $"The service's Proxmox account lacks a privilege for this action ({text}). Check the Proxmox ACLs of the configured token or user.");
            case 501:
                return new ProxmoxErrorException($"Proxmox does not support this call ({text}).");
            case 502 or 503 or >= 595:
                return new ProxmoxUnavailableException(text.Length > 0 ? $"Proxmox node unreachable ({status} {text})." : $"Proxmox node unreachable ({status}).");
            case 504:
                return new ProxmoxTimeoutException("Proxmox did not answer in time (504).");
        }

        return status == 500 ? TranslateServerError(text) : new ProxmoxErrorException($"Proxmox answered {status}: {text}");
    }

    /// <summary>Classifies the message of a Proxmox 500.</summary>
    public static AppException TranslateServerError(string message)
    {
        if (SnapshotMissingRegex().IsMatch(message))
            return new NotFoundException(ErrorCodes.SnapshotNotFound, message);
        if (ConfigMissingRegex().IsMatch(message) || NoSuchVmRegex().IsMatch(message))
            return new NotFoundException(ErrorCodes.ContainerNotFound, message);
        if (HostnameLookupRegex().IsMatch(message))
            return new NotFoundException(ErrorCodes.NodeNotFound, message);
        if (message.Contains("does not exist", StringComparison.OrdinalIgnoreCase))
            return new NotFoundException(ErrorCodes.ResourceNotFound, message);
        if (LockedRegex().IsMatch(message) || LockTimeoutRegex().IsMatch(message))
            return new ConflictException(ErrorCodes.ContainerLocked, message);
        if (message.Contains("detected modified configuration", StringComparison.OrdinalIgnoreCase))
            return new PreconditionFailedException("The container configuration was changed by someone else (digest mismatch); read it again and retry.");
        if (AlreadyExistsRegex().IsMatch(message))
            return VmIdUnavailable();
        if (UndeletableRegex().Match(message) is { Success: true } undeletable)
            return new RequestValidationException("delete", $"'{undeletable.Groups[2].Value}' is a {undeletable.Groups[1].Value} option and cannot be deleted.");
        if (StateConflictRegex().IsMatch(message))
            return new ConflictException(ErrorCodes.ContainerStateConflict, message);
        if (ShrinkRegex().IsMatch(message))
            return new RequestValidationException("size", message);
        if (message.Contains("no options specified", StringComparison.OrdinalIgnoreCase))
            return new RequestValidationException("config", message);
        if (TransientRegex().IsMatch(message))
            return new ProxmoxUnavailableException($"Proxmox could not complete the call: {message}");
        return new ProxmoxErrorException($"Proxmox error: {(message.Length > 0 ? message : "500 without a message")}");
    }

    /// <summary>
    /// True for a 500 that a retry may fix. Proxmox reports both answers ("does not exist", "is locked (…)",
    /// "already running", digest mismatch…) and outages as 500, so the known deterministic answers are excluded and
    /// anything else (empty, generic, timeouts, connection trouble, unknown text) counts as transient. Lock-file
    /// timeouts are transient: the lock holder usually finishes within seconds.
    /// </summary>
    public static bool IsTransientServerError(string? message)
    {
        var text = Clean(message);
        if (text.Length == 0 || TransientRegex().IsMatch(text))
            return true;
        return !(SnapshotMissingRegex().IsMatch(text)
            || ConfigMissingRegex().IsMatch(text)
            || NoSuchVmRegex().IsMatch(text)
            || HostnameLookupRegex().IsMatch(text)
            || text.Contains("does not exist", StringComparison.OrdinalIgnoreCase)
            || LockedRegex().IsMatch(text)
            || text.Contains("detected modified configuration", StringComparison.OrdinalIgnoreCase)
            || AlreadyExistsRegex().IsMatch(text)
            || UndeletableRegex().IsMatch(text)
            || StateConflictRegex().IsMatch(text)
            || ShrinkRegex().IsMatch(text)
            || text.Contains("no options specified", StringComparison.OrdinalIgnoreCase)
            || text.Contains("permission", StringComparison.OrdinalIgnoreCase)
            || text.Contains("unable to parse", StringComparison.OrdinalIgnoreCase)
            || text.Contains("invalid", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The id is taken (by a guest the caller may not see): the answer names neither node nor owner.</summary>
    private static ConflictException VmIdUnavailable() => new(ErrorCodes.VmIdUnavailable, "The id is not available for a new container.");

    public static bool IsTransientStatus(HttpStatusCode status) => (int)status is 502 or 503 or 504 or (>= 595 and <= 599);

    public static string Clean(string? message) => (message ?? string.Empty).Trim();

    [GeneratedRegex(@"snapshot '[^']*' does not exist", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SnapshotMissingRegex();

    [GeneratedRegex(@"Configuration file '[^']*' does not exist", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConfigMissingRegex();

    [GeneratedRegex(@"^(CT|VM) \d+ does not exist|no such (VM|CT)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NoSuchVmRegex();

    [GeneratedRegex(@"hostname lookup '[^']*' failed", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HostnameLookupRegex();

    [GeneratedRegex(@"is locked \(", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LockedRegex();

    [GeneratedRegex(@"can't lock file '[^']*' - got timeout", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LockTimeoutRegex();

    [GeneratedRegex(@"already exists on node|VM \d+ already exists", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AlreadyExistsRegex();

    [GeneratedRegex(@"already running|not running|container is running|is a template|can't migrate running container|is running - destroy failed|full clones on a running container|contains snapshots or is running", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StateConflictRegex();

    [GeneratedRegex(@"unable to delete (required|read-only|fixed) option:? '([A-Za-z0-9_-]{1,32})'", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UndeletableRegex();

    [GeneratedRegex(@"\((pool|storage|node|user|group|role|realm) '([A-Za-z0-9_.-]{1,64})' does not exist\)", RegexOptions.CultureInvariant)]
    private static partial Regex MissingObjectRegex();

    [GeneratedRegex(@"unable to shrink disk size|disk is already at specified size", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ShrinkRegex();

    [GeneratedRegex(@"got timeout|connection refused|no route to host|connection timed out|temporarily unavailable|broken pipe|proxy loop|cfs-lock", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TransientRegex();
}
