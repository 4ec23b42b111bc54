namespace ProxmoxLxc.Application.Common.Exceptions;

/// <summary>
/// An expected failure with a stable machine <see cref="Code"/> (see the contract's error table).
/// The single exception handler in WebApi turns it into a ProblemDetails body with <see cref="StatusCode"/>.
/// Messages must never contain secrets: they reach callers verbatim.
/// </summary>
public abstract class AppException : Exception
{
    protected AppException(string code, string message, Exception? innerException = null)
        : base(message, innerException) => Code = code;

    /// <summary>Stable machine-readable error code, e.g. <c>container_not_found</c>.</summary>
    public string Code { get; }

    /// <summary>HTTP status the error maps to.</summary>
    public abstract int StatusCode { get; }

    /// <summary>Short human title for the ProblemDetails <c>title</c>.</summary>
    public abstract string Title { get; }

    /// <summary>Extra ProblemDetails members (e.g. <c>requiredScope</c>); null when none.</summary>
    public virtual IReadOnlyDictionary<string, object?>? Extensions => null;

    /// <summary>When the caller may try again (the <c>Retry-After</c> header of a 503); null when not applicable.</summary>
    public virtual TimeSpan? RetryAfter => null;
}

public sealed class NotFoundException(string code, string message) : AppException(code, message)
{
    public override int StatusCode => 404;
    public override string Title => "Not found";
}

public sealed class ForbiddenException : AppException
{
    public ForbiddenException(string requiredScope)
        : base(ErrorCodes.InsufficientScope, $"This API key lacks the scope '{requiredScope}'.") => RequiredScope = requiredScope;

    public ForbiddenException(string code, string message, string? requiredScope = null)
        : base(code, message) => RequiredScope = requiredScope;

    public string? RequiredScope { get; }
    public override int StatusCode => 403;
    public override string Title => "Forbidden";
    public override IReadOnlyDictionary<string, object?>? Extensions =>
        RequiredScope is null ? null : new Dictionary<string, object?> { ["requiredScope"] = RequiredScope };
}

public sealed class ConflictException(string code, string message) : AppException(code, message)
{
    public override int StatusCode => 409;
    public override string Title => "Conflict";
}

public sealed class PreconditionFailedException(string message)
    : AppException(ErrorCodes.PreconditionFailed, message)
{
    public override int StatusCode => 412;
    public override string Title => "Precondition failed";
}

/// <summary>Validation failure: 400 for malformed input, 422 for well-formed input that cannot be acted on.</summary>
public sealed class RequestValidationException : AppException
{
    public RequestValidationException(IReadOnlyDictionary<string, string[]> errors, int statusCode = 400,
        string code = ErrorCodes.ValidationFailed, string message = "One or more fields are invalid.")
        : base(code, message)
    {
        Errors = errors;
        StatusCode = statusCode;
    }

    public RequestValidationException(string field, string error, int statusCode = 422)
        : this(new Dictionary<string, string[]> { [field] = [error] }, statusCode, message: error)
    {
    }

    public IReadOnlyDictionary<string, string[]> Errors { get; }
    public override int StatusCode { get; }
    public override string Title => "Validation failed";
}

public sealed class IdempotencyKeyReusedException()
    : AppException(ErrorCodes.IdempotencyKeyReused, "This Idempotency-Key was already used with a different request body.")
{
    public override int StatusCode => 422;
    public override string Title => "Idempotency key reused";
}

/// <summary>The Proxmox cluster cannot be reached, or the circuit breaker is open (503).</summary>
public sealed class ProxmoxUnavailableException(string message, Exception? inner = null, TimeSpan? retryAfter = null)
    : AppException(ErrorCodes.ProxmoxUnavailable, message, inner)
{
    public override TimeSpan? RetryAfter { get; } = retryAfter ?? TimeSpan.FromSeconds(10);
    public override int StatusCode => 503;
    public override string Title => "Proxmox unavailable";
}

/// <summary>Proxmox did not answer in time (504).</summary>
public sealed class ProxmoxTimeoutException(string message, Exception? inner = null)
    : AppException(ErrorCodes.ProxmoxTimeout, message, inner)
{
    public override int StatusCode => 504;
    public override string Title => "Proxmox timeout";
}

/// <summary>Proxmox answered with an error we cannot attribute to the caller (502), including
/// an authentication failure of the service's own Proxmox credentials (a configuration error).</summary>
public sealed class ProxmoxErrorException(string message, Exception? inner = null)
    : AppException(ErrorCodes.ProxmoxError, message, inner)
{
    public override int StatusCode => 502;
    public override string Title => "Proxmox error";
}

/// <summary>
/// The database cannot take the write a mutating call needs before it does anything (file locked by another writer,
/// server down or refusing): 503, nothing was sent to Proxmox.
/// </summary>
public sealed class DatabaseUnavailableException(string message, Exception? inner = null)
    : AppException(ErrorCodes.DatabaseUnavailable, message, inner)
{
    public override TimeSpan? RetryAfter => TimeSpan.FromSeconds(5);
    public override int StatusCode => 503;
    public override string Title => "Database unavailable";
}

/// <summary>
/// A write may have reached Proxmox but its answer was lost (the connection broke after the request was sent, or no
/// answer came within the dispatch timeout). The action is never sent again: its operation stays open and is settled
/// from Proxmox's task list (the task is attached and followed, or the operation fails with <c>outcome_unknown</c>).
/// </summary>
public sealed class ProxmoxAnswerLostException(bool timedOut, Exception? inner = null)
    : AppException(timedOut ? ErrorCodes.ProxmoxTimeout : ErrorCodes.ProxmoxUnavailable,
        "Proxmox's answer to this action was lost, so it may or may not have been carried out. It is not sent again; its operation stays open and is settled from Proxmox's task list (see the operation log).",
        inner)
{
    public override int StatusCode => Code == ErrorCodes.ProxmoxTimeout ? 504 : 503;
    public override string Title => "Proxmox answer lost";
}
