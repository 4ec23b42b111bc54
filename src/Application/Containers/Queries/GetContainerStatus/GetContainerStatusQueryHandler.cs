using Mediator;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.Containers.Queries.GetContainerStatus;

internal sealed class GetContainerStatusQueryHandler(ContainerLocator locator, IProxmoxGateway gateway, IOperationRecorder recorder)
    : IQueryHandler<GetContainerStatusQuery, ContainerStatusDto>
{
    public async ValueTask<ContainerStatusDto> Handle(GetContainerStatusQuery query, CancellationToken cancellationToken)
    {
        var located = await locator.LocateAsync(query.VmId, cancellationToken);
        recorder.Target(located.VmId, located.Node);
        var status = await gateway.GetStatusAsync(located.Node, located.VmId, cancellationToken);
        var dto = status.ToDto();
        return dto with
        {
            VmId = located.VmId,
            Ha = new HaStatusDto { Managed = dto.Ha.Managed || located.HaState is not null, State = located.HaState },
        };
    }
}
