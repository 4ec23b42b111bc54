namespace ProxmoxLxc.Application.Common.Exceptions;

/// <summary>The default machine <c>code</c> for an HTTP status that carries no more specific one.</summary>
public static class ErrorCodes
{
    public static string ForStatus(int status) => status switch
    {
        400 => "validation_failed",
        401 => "unauthenticated",
        403 => "insufficient_scope",
        404 => "not_found",
        405 => "method_not_allowed",
        406 => "not_acceptable",
        409 => "conflict",
        412 => "precondition_failed",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        422 => "validation_failed",
        429 => "rate_limited",
        499 => "client_closed_request",
        502 => "proxmox_error",
        503 => "service_unavailable",
        504 => "proxmox_timeout",
        _ => status >= 500 ? "internal_error" : "bad_request",
    };
}
