using Newtonsoft.Json.Linq;
using ProxmoxLxc.Application.Common.Exceptions;

namespace ProxmoxLxc.WebApi.OpenApi;

/// <summary>
/// Request and response examples, keyed by operationId (the route name). An entry whose operation is not in
/// the document is ignored, so examples for endpoints on other branches can live here before they are merged.
/// Error examples are chosen by status and resource tag (<see cref="ForProblem"/>).
/// </summary>
internal static class OpenApiExamples
{
    private const string KeyMetadata = """
        {
          "id": "Portal0Web001", "name": "portal-web", "prefix": "pxl_Portal0Web001",
          "scopes": ["containers:read", "containers:power"],
          "allowedNodes": [], "allowedPools": ["web"], "vmidRange": { "min": 100, "max": 199 },
          "enabled": true, "createdAt": "2026-01-15T09:30:00+00:00", "lastUsedAt": null,
          "expiresAt": "2027-01-15T00:00:00+00:00", "revokedAt": null, "rotatedAt": null
        }
        """;

    private const string RunningOperation = """
        {
          "id": 4711, "action": "CreateContainer", "vmid": 120, "node": "pve1", "status": "running",
          "taskId": "UPID:pve1:0002A1B3:00C0FFEE:678A1B2C:vzcreate:120:api@pve!proxmoxlxc:",
          "exitStatus": null, "warnings": [], "requestedAt": "2026-01-15T09:30:00+00:00",
          "startedAt": "2026-01-15T09:30:00.120+00:00", "completedAt": null, "durationMs": null,
          "keyId": "Portal0Web001", "keyName": "portal-web", "method": "POST", "path": "/api/v1/containers",
          "httpStatus": 202, "requestId": "8f3c2a", "clientAddress": "10.0.0.12",
          "parameters": { "hostname": "web7", "password": "***" }
        }
        """;

    private const string RunningBatch = """
        {
          "id": 4712, "action": "BatchShutdown", "vmid": null, "node": null, "status": "running", "taskId": null,
          "exitStatus": null, "warnings": [], "requestedAt": "2026-01-15T09:30:00+00:00",
          "startedAt": "2026-01-15T09:30:00.010+00:00", "completedAt": null, "durationMs": null,
          "keyId": "Portal0Web001", "keyName": "portal-web", "method": "POST", "path": "/api/v1/containers/actions/shutdown",
          "httpStatus": 202, "requestId": "8f3c2b", "clientAddress": "10.0.0.12",
          "parameters": { "vmids": [101, 102, 4242], "selector": null, "maxParallel": 2, "timeoutSeconds": 60, "forceStop": true },
          "changes": null,
          "items": [
            { "vmid": 101, "operationId": 4713, "status": "running" },
            { "vmid": 102, "operationId": 4714, "status": "rejected",
              "error": { "code": "container_state_conflict", "message": "Container 102 is stopped; it cannot be shut down." } },
            { "vmid": 4242, "operationId": 4715, "status": "rejected",
              "error": { "code": "container_not_found", "message": "Container 4242 was not found." } }
          ],
          "summary": { "total": 3, "succeeded": 0, "failed": 2 }
        }
        """;

    private const string WebhookMetadata = """
        {
          "id": "wh3k9q2m7x1c5v8b0n", "url": "https://portal.example.com/hooks/proxmox",
          "events": ["operation.failed", "operation.succeeded"], "enabled": true, "ownerKeyId": "Portal0Web001",
          "createdAt": "2026-01-15T09:30:00+00:00", "updatedAt": "2026-01-15T09:30:00+00:00", "disabledAt": null, "disabledReason": null
        }
        """;

    private const string PendingDelivery = """
        {
          "id": 812, "messageId": "msg_test_5b0c9e1f2a3d4c5b6a7f8e9d", "eventId": null, "type": "webhook.test", "attempts": 0,
          "status": "pending", "responseStatus": null, "error": null, "createdAt": "2026-01-15T09:31:00+00:00",
          "lastAttemptAt": null, "nextAttemptAt": "2026-01-15T09:31:00+00:00", "completedAt": null
        }
        """;

    /// <summary>operationId → request body example.</summary>
    public static IReadOnlyDictionary<string, string> Requests { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Keys_Create"] = """
            {
              "name": "portal-web", "scopes": ["containers:read", "containers:power"],
              "expiresAt": "2027-01-15T00:00:00Z", "allowedPools": ["web"], "vmidRange": { "min": 100, "max": 199 }
            }
            """,
        ["Keys_Update"] = """{ "scopes": ["containers:read"], "enabled": true }""",
        ["Webhooks_Create"] = """{ "url": "https://portal.example.com/hooks/proxmox", "events": ["operation.succeeded", "operation.failed"], "enabled": true }""",
        ["Webhooks_Update"] = """{ "events": ["operation.failed"], "enabled": true }""",
        ["Containers_Create"] = """
            {
              "node": "pve1", "hostname": "web7", "template": "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
              "cores": 2, "memoryMiB": 1024, "swapMiB": 512, "rootfs": { "storage": "local-lvm", "sizeGiB": 8 },
              "networks": [{ "name": "eth0", "bridge": "vmbr0", "ipv4": "10.0.0.7/24", "gateway4": "10.0.0.1" }],
              "sshPublicKeys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g portal@example"],
              "unprivileged": true, "start": true, "tags": ["web"], "pool": "web"
            }
            """,
        ["Containers_BatchStart"] = """{ "selector": { "pool": "web", "tag": "prod" }, "maxParallel": 4 }""",
        ["Containers_BatchShutdown"] = """{ "vmids": [101, 102, 4242], "maxParallel": 2, "timeoutSeconds": 60, "forceStop": true }""",
        ["Containers_BatchStop"] = """{ "vmids": [100, 101], "maxParallel": 4 }""",
        ["Containers_BatchReboot"] = """{ "selector": { "pool": "web" }, "maxParallel": 2 }""",
        ["Containers_BatchSuspend"] = """{ "selector": { "node": "pve1", "tag": "prod" } }""",
        ["Containers_BatchResume"] = """{ "vmids": [100] }""",
        ["Containers_Clone"] = """{ "newVmid": 150, "hostname": "web1-copy", "full": true, "targetStorage": "local-lvm" }""",
        ["Containers_CreateSnapshot"] = """{ "name": "before-upgrade", "description": "before the 12.8 upgrade" }""",
        ["Containers_Resize"] = """{ "disk": "rootfs", "growGiB": 2 }""",
        ["Containers_UpdateConfig"] = """
            { "cores": 4, "memoryMiB": 2048, "description": "Web tier\nowner: portal team", "delete": ["searchDomain"] }
            """,
    };

    /// <summary>(operationId, status) → success response example.</summary>
    public static IReadOnlyDictionary<(string OperationId, string Status), string> Responses { get; } =
        new Dictionary<(string, string), string>
        {
            [("Keys_Create", "201")] = $$"""{ "key": "pxl_Portal0Web001_3hT9kQw2ZxV7bN1mR8cY4pL6sD0fG5jK2aE9uI7oW1q", "metadata": {{KeyMetadata}} }""",
            [("Keys_Get", "200")] = KeyMetadata,
            [("Webhooks_Create", "201")] = $$"""{ "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw4ZbMJh2RtVk=", "webhook": {{WebhookMetadata}} }""",
            [("Webhooks_Get", "200")] = WebhookMetadata,
            [("Webhooks_Update", "200")] = WebhookMetadata,
            [("Webhooks_Test", "201")] = PendingDelivery,
            [("Keys_Update", "200")] = KeyMetadata,
            [("Containers_Create", "202")] = RunningOperation,
            [("Containers_BatchShutdown", "202")] = RunningBatch,
        };

    /// <summary>The example problem body for an error status on an operation of the given resource tag.</summary>
    public static string? ForProblem(string status, string tag, string operationId, bool validation) => status switch
    {
        "422" when validation => $$"""
            {
              "type": "{{ErrorCodes.TypeUri(ErrorCodes.ValidationFailed)}}", "title": "Validation failed", "status": 422,
              "detail": "Proxmox rejected a value.", "instance": "/api/v1/containers",
              "errors": { "rootfs.sizeGiB": ["The disk cannot shrink (now 8 GiB)."] },
              "code": "{{ErrorCodes.ValidationFailed}}", "traceId": "8f3c2a"
            }
            """,
        "400" => $$"""
            {
              "type": "{{ErrorCodes.TypeUri(ErrorCodes.ValidationFailed)}}", "title": "Validation failed", "status": 400,
              "detail": "One or more fields are invalid.", "instance": "/api/v1/keys",
              "errors": { "scopes[0]": ["'containers:everything' is not a scope."], "name": ["'Name' must not be empty."] },
              "code": "{{ErrorCodes.ValidationFailed}}", "traceId": "8f3c2a"
            }
            """,
        "401" => Problem(401, Authentication.UnauthenticatedProblem.Title, ErrorCodes.Unauthenticated, Authentication.UnauthenticatedProblem.Detail),
        "403" => Problem(403, "Forbidden", ErrorCodes.InsufficientScope, $"This API key lacks the scope '{ScopeOf(tag, operationId)}'.",
            $""", "requiredScope": "{ScopeOf(tag, operationId)}" """),
        "404" => tag switch
        {
            "Keys" => Problem(404, "Not found", ErrorCodes.KeyNotFound, "No API key 'Portal0Web001'."),
            "Webhooks" => Problem(404, "Not found", ErrorCodes.WebhookNotFound, "Webhook 'wh3k9q2m7x1c5v8b0n' was not found."),
            "Operations" => Problem(404, "Not found", ErrorCodes.OperationNotFound, "No operation 4711."),
            "Nodes" or "Templates" => Problem(404, "Not found", ErrorCodes.NodeNotFound, "No node 'pve9'."),
            "Snapshots" => Problem(404, "Not found", ErrorCodes.SnapshotNotFound, "No snapshot 'before-upgrade'."),
            "Containers" => Problem(404, "Not found", ErrorCodes.ContainerNotFound, "No container 120."),
            _ => Problem(404, "Not found", ErrorCodes.NotFound, "No resource lives at this address."),
        },
        "409" => tag switch
        {
            "Keys" => Problem(409, "Conflict", ErrorCodes.LastAdminKey, "The last active key that administers keys cannot lose that ability."),
            "Webhooks" => Problem(409, "Conflict", ErrorCodes.WebhookDisabled, "The webhook is disabled; enable it before sending a test."),
            _ when operationId is "Containers_Create" or "Containers_Clone" =>
                Problem(409, "Conflict", ErrorCodes.VmIdUnavailable, "The id 120 is not available for a new container."),
            _ => Problem(409, "Conflict", ErrorCodes.ContainerLocked, "Container 120 is locked (backup)."),
        },
        "412" => Problem(412, "Precondition failed", ErrorCodes.PreconditionFailed, "The configuration changed since it was read (If-Match)."),
        "422" => Problem(422, "Idempotency key reused", ErrorCodes.IdempotencyKeyReused, "This Idempotency-Key was already used with a different request body."),
        "429" => Problem(429, "Too many requests", ErrorCodes.RateLimited, "Too many requests for this key."),
        "500" => Problem(500, "Internal server error", ErrorCodes.InternalError, "An unexpected error occurred. Quote the traceId when you report it."),
        "502" => Problem(502, "Proxmox error", ErrorCodes.ProxmoxError, "Proxmox answered with an unexpected error."),
        "503" when HeadersAndProblemsProcessor.ProxmoxBackedTags.Contains(tag) =>
            Problem(503, "Proxmox unavailable", ErrorCodes.ProxmoxUnavailable, "Proxmox cannot be reached."),
        "503" => Problem(503, "Service unavailable", ErrorCodes.ServiceUnavailable,
            "The service is starting and its database is still being prepared; retry after the Retry-After header's seconds."),
        "504" => Problem(504, "Proxmox timeout", ErrorCodes.ProxmoxTimeout, "Proxmox did not answer in time."),
        _ => null,
    };

    public static JToken Parse(string json) => JToken.Parse(json);

    private static string ScopeOf(string tag, string operationId) => tag switch
    {
        "Keys" => "keys:admin",
        "Webhooks" => "webhooks:admin",
        "Operations" => operationId == "Operations_Get" ? "containers:read" : "audit:read",
        _ => "containers:read",
    };

    private static string Problem(int status, string title, string code, string detail, string extra = "") => $$"""
        {
          "type": "{{ErrorCodes.TypeUri(code)}}", "title": "{{title}}", "status": {{status}},
          "detail": "{{detail}}", "instance": "/api/v1/...", "code": "{{code}}", "traceId": "8f3c2a"{{extra}}
        }
        """;
}
