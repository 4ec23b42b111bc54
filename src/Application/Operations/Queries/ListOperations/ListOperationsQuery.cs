using System.Text.Json.Serialization;
using ProxmoxLxc.Application.Common.Messaging;
using ProxmoxLxc.Application.Common.Models;

namespace ProxmoxLxc.Application.Operations.Queries.ListOperations;

/// <summary>The audit trail, newest first, with keyset pagination.</summary>
public sealed record ListOperationsQuery(
    [property: JsonPropertyName("vmid")] int? VmId = null,
    string? KeyId = null,
    string? Action = null,
    string? Outcome = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    int? Limit = null,
    string? Cursor = null) : IAppQuery<Page<OperationDto>>
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static string RequiredScope => Domain.ApiKeys.Scopes.AuditRead;
}
