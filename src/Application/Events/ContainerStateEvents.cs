using System.Text.Json;
using System.Text.Json.Serialization;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Domain.Events;
using ProxmoxLxc.Domain.Operations;

namespace ProxmoxLxc.Application.Events;

/// <summary>
/// The payload of <c>container.state</c>: the container, its node, the state it changed to (<c>status</c>) and from
/// (<c>previousStatus</c>), and what saw the change (<c>source</c>): <c>operation</c> (this API's own start, stop or
/// shutdown) or <c>inventory</c> (the API's view of <c>/cluster/resources</c> found the container in another state than
/// before — changed outside this API).
/// </summary>
public sealed record ContainerStateEventData(
    [property: JsonPropertyName("vmid")] int VmId,
    string? Node,
    string Status,
    string? PreviousStatus,
    string Source);

/// <summary>
/// Builds <c>container.state</c> events. Whether one is recorded at all is decided where events are appended: an
/// event that repeats the last recorded state of its container is dropped there (one event per change, whichever
/// instance or path saw it first).
/// </summary>
public static class ContainerStateEvents
{
    /// <summary><c>source</c> of a change this API made.</summary>
    public const string OperationSource = "operation";

    /// <summary><c>source</c> of a change the inventory view saw.</summary>
    public const string InventorySource = "inventory";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>The change a successful power operation made (carries the operation and its key).</summary>
    public static ApiEvent OfOperation(OperationLog row, int vmId, string status, string previous, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(row);
        return ApiEvent.Create(EventTypes.ContainerState, at, row.Id, row.KeyId, vmId, row.Node, pool: null,
            Serialize(new ContainerStateEventData(vmId, row.Node, status, previous, OperationSource)));
    }

    /// <summary>
    /// The changes between two inventory views: containers in both whose status differs. <c>unknown</c> (no data from
    /// an unreachable node) is not a state of the container and is skipped on either side; containers that appear or
    /// disappear are created or deleted, not state changes. No operation, no key: visible with <c>audit:read</c>.
    /// </summary>
    public static IReadOnlyList<ApiEvent> Between(InventoryView previous, InventoryView current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        var events = new List<ApiEvent>();
        foreach (var now in current.Containers)
        {
            if (previous.Find(now.VmId) is not { } before || before.Status == now.Status || IsUnknown(before.Status) || IsUnknown(now.Status))
            {
                continue;
            }

            events.Add(ApiEvent.Create(EventTypes.ContainerState, current.FetchedAt, operationId: null, keyId: null, now.VmId, now.Node, now.Pool,
                Serialize(new ContainerStateEventData(now.VmId, now.Node, now.Status, before.Status, InventorySource))));
        }

        return events;
    }

    /// <summary>The <c>status</c> of a <c>container.state</c> event's data.</summary>
    public static string? StatusOf(string data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var document = JsonDocument.Parse(data);
        return document.RootElement.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String ? status.GetString() : null;
    }

    private static bool IsUnknown(string status) => string.Equals(status, "unknown", StringComparison.Ordinal);

    private static string Serialize(ContainerStateEventData data) => JsonSerializer.Serialize(data, JsonOptions);
}
