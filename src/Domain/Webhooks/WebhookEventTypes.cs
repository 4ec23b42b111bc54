namespace ProxmoxLxc.Domain.Webhooks;

/// <summary>The event types a webhook may subscribe to, and the one it is sent by <c>POST /webhooks/{id}/test</c>.</summary>
public static class WebhookEventTypes
{
    public const string OperationStarted = "operation.started";
    public const string OperationSucceeded = "operation.succeeded";
    public const string OperationFailed = "operation.failed";
    public const string ContainerState = "container.state";
    public const string WebhookDisabled = "webhook.disabled";

    /// <summary>Sent only on request, to one webhook; not subscribable.</summary>
    public const string WebhookTest = "webhook.test";

    public static IReadOnlyList<string> Subscribable { get; } =
        [OperationStarted, OperationSucceeded, OperationFailed, ContainerState, WebhookDisabled];

    public static bool IsSubscribable(string? type) => type is not null && Subscribable.Contains(type, StringComparer.Ordinal);
}
