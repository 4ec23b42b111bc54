namespace ProxmoxLxc.Domain.Events;

/// <summary>The event types of the contract ("v1.1 — events").</summary>
public static class EventTypes
{
    /// <summary>A mutating operation's row was first written as running (data: the Operation).</summary>
    public const string OperationStarted = "operation.started";

    /// <summary>An operation ended successfully (data: the Operation).</summary>
    public const string OperationSucceeded = "operation.succeeded";

    /// <summary>An operation ended failed or rejected (data: the Operation; its <c>status</c> says which).</summary>
    public const string OperationFailed = "operation.failed";

    /// <summary>The API saw a container change state (data: {vmid, node, status, previousStatus}).</summary>
    public const string ContainerState = "container.state";

    /// <summary>The service disabled a webhook (its endpoint answered 410, or failed for too long); only its owner key is told (data: {webhookId, reason, disabledAt}).</summary>
    public const string WebhookDisabled = "webhook.disabled";

    /// <summary>A message sent on request to one webhook (<c>POST /webhooks/{id}/test</c>); never in the log.</summary>
    public const string WebhookTest = "webhook.test";

    public static IReadOnlyList<string> All { get; } = [OperationStarted, OperationSucceeded, OperationFailed, ContainerState, WebhookDisabled];

    public static bool IsKnown(string? type) => type is not null && All.Contains(type, StringComparer.Ordinal);
}
