using System.Text.Json;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Infrastructure.Proxmox.Wire;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>Container metrics (RRD) and network interfaces.</summary>
internal sealed partial class ProxmoxGateway
{
    public async Task<IReadOnlyList<RrdPoint>> GetRrdDataAsync(string node, int vmid, RrdTimeframe timeframe, RrdConsolidation consolidation, CancellationToken cancellationToken)
    {
        var frame = timeframe switch
        {
            RrdTimeframe.Hour => "hour",
            RrdTimeframe.Day => "day",
            RrdTimeframe.Week => "week",
            RrdTimeframe.Month => "month",
            RrdTimeframe.Year => "year",
            _ => throw new ArgumentOutOfRangeException(nameof(timeframe)),
        };
        var cf = consolidation == RrdConsolidation.Max ? "MAX" : "AVERAGE";
        var wire = await api.GetAsync<List<WireRrdPoint>>(CtPath(node, vmid) + "/rrddata", "lxc.rrddata", cancellationToken,
            Param("timeframe", frame), Param("cf", cf));
        return wire.Select(WireMapping.ToModel).ToList();
    }

    public async Task<IReadOnlyList<ContainerInterface>> GetInterfacesAsync(string node, int vmid, CancellationToken cancellationToken)
    {
        var data = await api.GetAsync(CtPath(node, vmid) + "/interfaces", "lxc.interfaces", cancellationToken);
        if (data.ValueKind != JsonValueKind.Array)
            return []; // a stopped container answers {"data":null}
        var wire = ProxmoxApiClient.Deserialize<List<WireInterface>>(data, "lxc.interfaces");
        return wire.Where(i => i.Name is not null).Select(WireMapping.ToModel).ToList();
    }
}
