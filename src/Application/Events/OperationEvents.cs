using System.Text.Json;
using System.Text.Json.Serialization;
using ProxmoxLxc.Application.Operations;
using ProxmoxLxc.Domain.Events;
using ProxmoxLxc.Domain.Operations;

namespace ProxmoxLxc.Application.Events;

/// <summary>The payload of <c>container.state</c>.</summary>
public sealed record ContainerStateEventData(
    [property: JsonPropertyName("vmid")] int VmId,
    string? Node,
    string Status,
    string? PreviousStatus);

/// <summary>
/// The one rule for which events a change of a mutating operation's row causes; the writer of the row adds them to the
/// same transaction. <c>operation.started</c> when the row is first written running; <c>operation.succeeded</c> or
/// <c>operation.failed</c> (failed and rejected) when it ends — a row first written already ended causes only its end
/// event. A successful start, stop or shutdown also causes <c>container.state</c> (suspend and resume keep Proxmox's
/// <c>running</c>, reboot ends where it began). Read calls cause none. The data of an operation event is the Operation
/// exactly as <c>GET /operations/{id}</c> renders it (without the task log), so the row must have its id.
/// </summary>
public static class OperationEvents
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>The events caused by writing <paramref name="row"/> whose last written outcome was <paramref name="before"/> (null: first write).</summary>
    public static IReadOnlyList<ApiEvent> For(OperationLog row, OperationOutcome? before)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (!row.IsMutating || (before is { } previous && previous != OperationOutcome.Running))
        {
            return [];
        }

        if (!row.IsCompleted)
        {
            return before is null ? [OperationEvent(EventTypes.OperationStarted, row, row.StartedAt ?? row.RequestedAt)] : [];
        }

        var occurredAt = row.CompletedAt ?? row.RequestedAt;
        if (row.Outcome != OperationOutcome.Succeeded)
        {
            return [OperationEvent(EventTypes.OperationFailed, row, occurredAt)];
        }

        var succeeded = OperationEvent(EventTypes.OperationSucceeded, row, occurredAt);
        return StateChangeOf(row.Action) is { } change && row.VmId is { } vmId
            ? [succeeded, ContainerState(row, vmId, change.Status, change.Previous, occurredAt)]
            : [succeeded];
    }

    private static ApiEvent OperationEvent(string type, OperationLog row, DateTimeOffset at) =>
        ApiEvent.Create(type, at, row.Id, row.KeyId, row.VmId, row.Node, pool: null, JsonSerializer.Serialize(row.ToDto(), JsonOptions));

    private static ApiEvent ContainerState(OperationLog row, int vmId, string status, string previous, DateTimeOffset at) =>
        ApiEvent.Create(EventTypes.ContainerState, at, row.Id, row.KeyId, vmId, row.Node, pool: null,
            JsonSerializer.Serialize(new ContainerStateEventData(vmId, row.Node, status, previous), JsonOptions));

    private static (string Status, string Previous)? StateChangeOf(string action) => action switch
    {
        "StartContainer" => ("running", "stopped"),
        "StopContainer" or "ShutdownContainer" => ("stopped", "running"),
        _ => null,
    };
}
