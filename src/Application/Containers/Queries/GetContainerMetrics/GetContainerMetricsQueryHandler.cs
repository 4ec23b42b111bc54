using Mediator;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.Containers.Queries.GetContainerMetrics;

internal sealed class GetContainerMetricsQueryHandler(ContainerLocator locator, IProxmoxGateway gateway, IOperationRecorder recorder)
    : IQueryHandler<GetContainerMetricsQuery, ContainerMetricsDto>
{
    public async ValueTask<ContainerMetricsDto> Handle(GetContainerMetricsQuery query, CancellationToken cancellationToken)
    {
        var timeframe = query.Timeframe ?? "hour";
        var cf = query.Cf ?? "average";
        var located = await locator.LocateAsync(query.VmId, cancellationToken);
        recorder.Target(located.VmId, located.Node);
        var points = await gateway.GetRrdDataAsync(located.Node, located.VmId, TimeframeOf(timeframe),
            cf == "max" ? RrdConsolidation.Max : RrdConsolidation.Average, cancellationToken);
        return new ContainerMetricsDto
        {
            VmId = located.VmId,
            Timeframe = timeframe,
            Cf = cf,
            Points = points.OrderBy(p => p.Time).Select(p => p.ToDto()).ToList(),
        };
    }

    private static RrdTimeframe TimeframeOf(string timeframe) => timeframe switch
    {
        "day" => RrdTimeframe.Day,
        "week" => RrdTimeframe.Week,
        "month" => RrdTimeframe.Month,
        "year" => RrdTimeframe.Year,
        _ => RrdTimeframe.Hour,
    };
}
