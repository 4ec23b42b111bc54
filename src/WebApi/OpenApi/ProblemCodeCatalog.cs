namespace ProxmoxLxc.WebApi.OpenApi;

/// <summary>Every stable <c>code</c> a problem body can carry, with its HTTP status and meaning (the <c>ProblemCode</c> schema).</summary>
internal static class ProblemCodeCatalog
{
    public static IReadOnlyList<(string Code, int Status, string Meaning)> All { get; } =
    [
        ("validation_failed", 400, "The request is malformed or a field is invalid (400), or Proxmox rejected a value (422); see `errors` (JSON field path → messages)."),
        ("bad_request", 400, "The request could not be read."),
        ("unauthenticated", 401, "The X-API-Key header is missing, malformed, unknown, disabled, revoked or expired (one constant body for all, without traceId)."),
        ("insufficient_scope", 403, "The key lacks the scope named in `requiredScope`."),
        ("not_found", 404, "No resource lives at this address."),
        ("container_not_found", 404, "No such container, or it is outside the key's restriction."),
        ("operation_not_found", 404, "No such operation, or it is not visible to this key."),
        ("key_not_found", 404, "No such API key."),
        ("snapshot_not_found", 404, "No such snapshot."),
        ("node_not_found", 404, "No such node."),
        ("task_not_found", 404, "No such Proxmox task."),
        ("resource_not_found", 404, "Proxmox reported a missing resource."),
        ("method_not_allowed", 405, "The HTTP method is not allowed on this resource."),
        ("not_acceptable", 406, "No acceptable representation."),
        ("conflict", 409, "The request conflicts with the resource's current state."),
        ("container_locked", 409, "The container is locked by another Proxmox task."),
        ("container_state_conflict", 409, "The container is in the wrong state for this action (e.g. deleting a running container without force)."),
        ("vmid_unavailable", 409, "The vmid asked for is taken (by any guest, visible to the key or not); the answer names nothing else."),
        ("last_admin_key", 409, "The last active key that can administer keys cannot be revoked, disabled or stripped of that scope."),
        ("key_revoked", 409, "The key is revoked."),
        ("precondition_failed", 412, "If-Match does not match the current configuration digest (ETag)."),
        ("payload_too_large", 413, "The request body is too large."),
        ("unsupported_media_type", 415, "The request body must be application/json."),
        ("idempotency_key_reused", 422, "This Idempotency-Key was already used with a different request body."),
        ("rate_limited", 429, "Too many requests for this key; retry after the Retry-After header's seconds."),
        ("internal_error", 500, "An unexpected error; quote the traceId when you report it."),
        ("proxmox_error", 502, "Proxmox answered with an unexpected error."),
        ("outcome_unknown", 502, "An Operation's error: the action was (or may have been) sent to Proxmox but its answer was lost (the service stopped or the connection broke) and no matching Proxmox task was found; the message names the container's current state. The action is never sent again."),
        ("proxmox_unavailable", 503, "Proxmox cannot be reached; retry after the Retry-After header's seconds."),
        ("service_unavailable", 503, "The service is temporarily unavailable."),
        ("database_unavailable", 503, "The database cannot record the call (locked by another writer, down or refusing); nothing was sent to Proxmox. Retry after the Retry-After header's seconds."),
        ("proxmox_timeout", 504, "Proxmox did not answer in time."),
    ];
}
