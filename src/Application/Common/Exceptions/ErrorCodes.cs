namespace ProxmoxLxc.Application.Common.Exceptions;

/// <summary>
/// The one home of the stable machine <c>code</c>s: every throw site, the ProblemDetails mapping and the OpenAPI
/// <c>ProblemCode</c> schema (built from <see cref="Catalog"/>) use these constants. A test compares the constants with
/// the committed document in both directions.
/// </summary>
public static class ErrorCodes
{
    public const string ValidationFailed = "validation_failed";
    public const string BadRequest = "bad_request";
    public const string Unauthenticated = "unauthenticated";
    public const string InsufficientScope = "insufficient_scope";
    public const string ResourceRestricted = "resource_restricted";
    public const string NotFound = "not_found";
    public const string ContainerNotFound = "container_not_found";
    public const string OperationNotFound = "operation_not_found";
    public const string KeyNotFound = "key_not_found";
    public const string WebhookNotFound = "webhook_not_found";
    public const string WebhookUrlRefused = "webhook_url_refused";
    public const string WebhookDisabled = "webhook_disabled";
    public const string SnapshotNotFound = "snapshot_not_found";
    public const string NodeNotFound = "node_not_found";
    public const string TaskNotFound = "task_not_found";
    public const string ResourceNotFound = "resource_not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string NotAcceptable = "not_acceptable";
    public const string Conflict = "conflict";
    public const string ContainerLocked = "container_locked";
    public const string ContainerStateConflict = "container_state_conflict";
    public const string VmIdUnavailable = "vmid_unavailable";
    public const string VmIdRangeExhausted = "vmid_range_exhausted";
    public const string SnapshotExists = "snapshot_exists";
    public const string LastAdminKey = "last_admin_key";
    public const string KeyRevoked = "key_revoked";
    public const string PreconditionFailed = "precondition_failed";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string IdempotencyKeyInProgress = "idempotency_key_in_progress";
    public const string RateLimited = "rate_limited";
    public const string InternalError = "internal_error";
    public const string ProxmoxError = "proxmox_error";
    public const string OutcomeUnknown = "outcome_unknown";
    public const string DatabaseUnavailable = "database_unavailable";
    public const string ProxmoxUnavailable = "proxmox_unavailable";
    public const string ServiceUnavailable = "service_unavailable";
    public const string ProxmoxTimeout = "proxmox_timeout";

    /// <summary>Every problem code with its HTTP status and meaning, in the order the OpenAPI <c>ProblemCode</c> schema lists them.</summary>
    public static IReadOnlyList<ErrorCodeInfo> Catalog { get; } =
    [
        new(ValidationFailed, 400, "The request is malformed or a field is invalid (400), or Proxmox rejected a value (422); see `errors` (JSON field path → messages)."),
        new(BadRequest, 400, "The request could not be read."),
        new(WebhookUrlRefused, 400, "The webhook URL is not allowed: not `https://` (outside `Webhooks__AllowedHosts`), or its host resolves to a private, loopback, link-local, shared, unspecified or multicast address (see `errors.url`)."),
        new(Unauthenticated, 401, "The X-API-Key header is missing, malformed, unknown, disabled, revoked or expired (the same body for all, apart from `instance` and `traceId`)."),
        new(InsufficientScope, 403, "The key lacks the scope named in `requiredScope`."),
        new(ResourceRestricted, 403, "The key's restriction (nodes, pools, container ids) does not allow placing the new container there."),
        new(NotFound, 404, "No resource lives at this address."),
        new(ContainerNotFound, 404, "No such container, or it is outside the key's restriction."),
        new(OperationNotFound, 404, "No such operation, or it is not visible to this key."),
        new(KeyNotFound, 404, "No such API key."),
        new(WebhookNotFound, 404, "No such webhook, or it belongs to a key this key cannot manage."),
        new(SnapshotNotFound, 404, "No such snapshot."),
        new(NodeNotFound, 404, "No such node."),
        new(TaskNotFound, 404, "No such Proxmox task."),
        new(ResourceNotFound, 404, "Proxmox reported a missing resource."),
        new(MethodNotAllowed, 405, "The HTTP method is not allowed on this resource."),
        new(NotAcceptable, 406, "No acceptable representation."),
        new(Conflict, 409, "The request conflicts with the resource's current state."),
        new(ContainerLocked, 409, "The container is locked by another Proxmox task."),
        new(ContainerStateConflict, 409, "The container is in the wrong state for this action (e.g. deleting a running container without force)."),
        new(VmIdUnavailable, 409, "The vmid asked for is taken (by any guest, visible to the key or not); the answer names nothing else."),
        new(VmIdRangeExhausted, 409, "No free container id is left in the key's vmid range."),
        new(SnapshotExists, 409, "The container already has a snapshot with this name."),
        new(LastAdminKey, 409, "The last active key that can administer keys cannot be revoked, disabled or stripped of that scope."),
        new(KeyRevoked, 409, "The key is revoked."),
        new(WebhookDisabled, 409, "The webhook is disabled; enable it (PATCH) before sending a test."),
        new(IdempotencyKeyInProgress, 409, "A request with this Idempotency-Key is still being processed; retry later."),
        new(PreconditionFailed, 412, "If-Match does not match the current configuration digest (ETag)."),
        new(PayloadTooLarge, 413, "The request body is too large."),
        new(UnsupportedMediaType, 415, "The request body must be application/json."),
        new(IdempotencyKeyReused, 422, "This Idempotency-Key was already used with a different request body."),
        new(RateLimited, 429, "Too many requests for this key; retry after the Retry-After header's seconds."),
        new(InternalError, 500, "An unexpected error; quote the traceId when you report it."),
        new(ProxmoxError, 502, "Proxmox answered with an unexpected error."),
        new(OutcomeUnknown, 502, "An Operation's error: the action was (or may have been) sent to Proxmox but its answer was lost (the service stopped or the connection broke) and no matching Proxmox task was found; the message names the container's current state. The action is never sent again."),
        new(ProxmoxUnavailable, 503, "Proxmox cannot be reached; retry after the Retry-After header's seconds."),
        new(ServiceUnavailable, 503, "The service is temporarily unavailable: it is starting and its database was not ready within 30 s (retry after the Retry-After header's seconds), or its start-up failed and it is stopping."),
        new(DatabaseUnavailable, 503, "The database cannot record the call (locked by another writer, down or refusing); nothing was sent to Proxmox. Retry after the Retry-After header's seconds."),
        new(ProxmoxTimeout, 504, "Proxmox did not answer in time."),
    ];

    /// <summary>The default code for an HTTP status that carries no more specific one.</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => ValidationFailed,
        401 => Unauthenticated,
        403 => InsufficientScope,
        404 => NotFound,
        405 => MethodNotAllowed,
        406 => NotAcceptable,
        409 => Conflict,
        412 => PreconditionFailed,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        422 => ValidationFailed,
        429 => RateLimited,
        499 => OperationOnly.ClientClosedRequest,
        502 => ProxmoxError,
        503 => ServiceUnavailable,
        504 => ProxmoxTimeout,
        _ => status >= 500 ? InternalError : BadRequest,
    };

    /// <summary>The problem <c>type</c> URI of a code.</summary>
    public static string TypeUri(string code) => $"urn:proxmoxlxc:problem:{code}";

    /// <summary>Codes that appear only in an operation's <c>error</c>, never in a problem body.</summary>
    public static class OperationOnly
    {
        /// <summary>The Proxmox task stopped with an error.</summary>
        public const string TaskFailed = "task_failed";

        /// <summary>The caller cancelled the request.</summary>
        public const string Cancelled = "cancelled";

        /// <summary>The client hung up before the answer (HTTP 499).</summary>
        public const string ClientClosedRequest = "client_closed_request";
    }
}

/// <summary>A problem code, the HTTP status it comes with and what it means.</summary>
public sealed record ErrorCodeInfo(string Code, int Status, string Meaning);
