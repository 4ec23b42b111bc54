using ProxmoxLxc.Application.Common.Messaging;
using ProxmoxLxc.Application.Common.Models;

namespace ProxmoxLxc.Application.Containers.Queries.ListContainers;

/// <summary>
/// Containers the caller may see, ordered by vmid, with keyset pagination. Filters combine (AND):
/// <paramref name="Node"/>, <paramref name="Status"/> (<c>running</c>, <c>stopped</c>, <c>unknown</c>),
/// <paramref name="Pool"/>, <paramref name="Tag"/> (one tag, case-insensitive) and <paramref name="Search"/>
/// (case-insensitive part of the name or of the vmid).
/// </summary>
public sealed record ListContainersQuery(
    string? Node = null,
    string? Status = null,
    string? Pool = null,
    string? Tag = null,
    string? Search = null,
    int? Limit = null,
    string? Cursor = null) : IAppQuery<Inventoried<Page<ContainerSummaryDto>>>
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;
    public const int MaxSearchLength = 100;

    public static IReadOnlyList<string> Statuses { get; } = ["running", "stopped", "unknown"];

    public static string RequiredScope => Domain.ApiKeys.Scopes.ContainersRead;
}
