using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProxmoxLxc.Application.Operations;

/// <summary>Why an operation failed or was rejected.</summary>
public sealed record OperationErrorDto(string Code, string Message);

/// <summary>
/// One recorded call and, when it started one, the Proxmox task that carried it out.
/// <see cref="Status"/> is <c>running</c>, <c>succeeded</c>, <c>failed</c> or <c>rejected</c>.
/// </summary>
public sealed record OperationDto(
    long Id,
    string Action,
    [property: JsonPropertyName("vmid")] int? VmId,
    string? Node,
    string Status,
    string? TaskId,
    string? ExitStatus,
    IReadOnlyList<string> Warnings,
    DateTimeOffset RequestedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    long? DurationMs,
    OperationErrorDto? Error,
    string? KeyId,
    string? KeyName,
    string Method,
    string Path,
    int? HttpStatus,
    string RequestId,
    string? ClientAddress,
    JsonElement? Parameters,
    JsonElement? Changes)
{
    /// <summary>The last lines of the Proxmox task log, when asked for one operation.</summary>
    public IReadOnlyList<string>? TaskLog { get; init; }

    /// <summary>A batch operation's containers, in the order asked (null for any other operation).</summary>
    public IReadOnlyList<BatchItemDto>? Items { get; init; }

    /// <summary>A batch operation's counts (null for any other operation).</summary>
    public BatchSummaryDto? Summary { get; init; }
}
