using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProxmoxLxc.Application.Operations;

/// <summary>
/// One container of a batch operation: its per-container Operation (<see cref="OperationId"/>, null until dispatched or
/// when nothing was recorded), <see cref="Status"/> (<c>pending</c> until dispatched, then the child's status) and why
/// it failed.
/// </summary>
public sealed record BatchItemDto([property: JsonPropertyName("vmid")] int VmId, long? OperationId, string Status, OperationErrorDto? Error)
{
    public const string Pending = "pending";

    [JsonIgnore]
    public bool IsEnded => Status is not (Pending or "running");

    [JsonIgnore]
    public bool IsSucceeded => Status == "succeeded";
}

/// <summary>How many items a batch has, and how many of them ended succeeded or not (failed or rejected).</summary>
public sealed record BatchSummaryDto(int Total, int Succeeded, int Failed);

/// <summary>
/// The persisted state of a batch operation, stored as the JSON of its row's <c>Changes</c>: rewritten after every item
/// change, so a restart finds which items were dispatched.
/// </summary>
public sealed record BatchProgress(int MaxParallel, IReadOnlyList<BatchItemDto> Items)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    [JsonIgnore]
    public BatchSummaryDto Summary => new(Items.Count, Items.Count(i => i.IsSucceeded), Items.Count(i => i.IsEnded && !i.IsSucceeded));

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static BatchProgress? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            var progress = JsonSerializer.Deserialize<BatchProgress>(json, JsonOptions);
            return progress?.Items is null ? null : progress;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
