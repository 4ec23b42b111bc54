using Mediator;
using ProxmoxLxc.Application.Common.Interfaces;

namespace ProxmoxLxc.Application.Containers.Queries.GetContainer;

internal sealed class GetContainerQueryHandler(ContainerLocator locator, ContainerDetailsReader reader, IOperationRecorder recorder)
    : IQueryHandler<GetContainerQuery, ContainerDetailDto>
{
    public async ValueTask<ContainerDetailDto> Handle(GetContainerQuery query, CancellationToken cancellationToken)
    {
        var located = await locator.LocateAsync(query.VmId, cancellationToken);
        recorder.Target(located.VmId, located.Node);
        return await reader.ReadAsync(located, cancellationToken);
    }
}
