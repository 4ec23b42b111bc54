using System.Text.Json;
using ProxmoxLxc.Domain.Operations;
using Riok.Mapperly.Abstractions;

namespace ProxmoxLxc.Application.Operations;

[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target, EnumMappingStrategy = EnumMappingStrategy.ByName)]
internal static partial class OperationMapper
{
    [MapProperty(nameof(OperationLog.Outcome), nameof(OperationDto.Status), Use = nameof(StatusOf))]
    [MapPropertyFromSource(nameof(OperationDto.Error), Use = nameof(ErrorOf))]
    [MapProperty(nameof(OperationLog.Warnings), nameof(OperationDto.Warnings), Use = nameof(WarningsOf))]
    [MapProperty(nameof(OperationLog.Parameters), nameof(OperationDto.Parameters), Use = nameof(JsonOf))]
    [MapPropertyFromSource(nameof(OperationDto.Changes), Use = nameof(ChangesOf))]
    [MapPropertyFromSource(nameof(OperationDto.Items), Use = nameof(ItemsOf))]
    [MapPropertyFromSource(nameof(OperationDto.Summary), Use = nameof(SummaryOf))]
    [MapperIgnoreTarget(nameof(OperationDto.TaskLog))]
    public static partial OperationDto ToDto(this OperationLog log);

    public static string StatusOf(OperationOutcome outcome) => outcome switch
    {
        OperationOutcome.Running => "running",
        OperationOutcome.Succeeded => "succeeded",
        OperationOutcome.Failed => "failed",
        OperationOutcome.Rejected => "rejected",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    public static bool TryParseStatus(string? value, out OperationOutcome outcome)
    {
        foreach (var candidate in Enum.GetValues<OperationOutcome>())
        {
            if (string.Equals(StatusOf(candidate), value, StringComparison.Ordinal))
            {
                outcome = candidate;
                return true;
            }
        }

        outcome = default;
        return false;
    }

    private static OperationErrorDto? ErrorOf(OperationLog log) =>
        log.ErrorCode is null ? null : new OperationErrorDto(log.ErrorCode, log.Error ?? string.Empty);

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "Mapperly needs the exact target type.")]
    private static IReadOnlyList<string> WarningsOf(string? warnings) =>
        string.IsNullOrEmpty(warnings) ? [] : JsonSerializer.Deserialize<string[]>(warnings) ?? [];

    /// <summary>A batch's changes are its items (answered as <see cref="OperationDto.Items"/>, not twice).</summary>
    private static JsonElement? ChangesOf(OperationLog log) => ProgressOf(log) is null ? JsonOf(log.Changes) : null;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "Mapperly needs the exact target type.")]
    private static IReadOnlyList<BatchItemDto>? ItemsOf(OperationLog log) => ProgressOf(log)?.Items;

    private static BatchSummaryDto? SummaryOf(OperationLog log) => ProgressOf(log)?.Summary;

    /// <summary>A batch row's items (null for other rows, and for a batch call answered as a replay of an earlier one).</summary>
    private static BatchProgress? ProgressOf(OperationLog log) => log.IsBatch ? BatchProgress.FromJson(log.Changes) : null;

    private static JsonElement? JsonOf(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<JsonElement>(json);
}
