using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Containers.Queries.GetContainerMetrics;

/// <summary>
/// RRD time series of one container. <paramref name="Timeframe"/>: <c>hour</c> (default), <c>day</c>, <c>week</c>,
/// <c>month</c>, <c>year</c>; <paramref name="Cf"/> (consolidation): <c>average</c> (default) or <c>max</c>.
/// </summary>
public sealed record GetContainerMetricsQuery(int VmId, string? Timeframe = null, string? Cf = null)
    : IAppQuery<ContainerMetricsDto>, ITargetsContainer
{
    public static IReadOnlyList<string> Timeframes { get; } = ["hour", "day", "week", "month", "year"];

    public static IReadOnlyList<string> ConsolidationFunctions { get; } = ["average", "max"];

    public static string RequiredScope => Domain.ApiKeys.Scopes.ContainersRead;
}
