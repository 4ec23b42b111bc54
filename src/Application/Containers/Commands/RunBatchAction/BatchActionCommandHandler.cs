using Mediator;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Application.Containers.Queries.ListContainers;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Containers.Commands.RunBatchAction;

/// <summary>
/// Resolves the containers (a selector on the inventory view, within the key's restriction; an empty selection is a
/// batch with no items, which succeeds at once), writes the batch row with every item <c>pending</c> and hands it to
/// <see cref="BatchRunner"/>. Ids are taken as asked: an unknown or invisible one becomes a <c>container_not_found</c>
/// item through the single action's own check.
/// </summary>
internal sealed class BatchActionCommandHandler(
    IClusterInventory inventory, ContainerLocator locator, ICurrentCaller currentCaller, IOperationRecorder recorder, BatchRunner runner)
    : ICommandHandler<BatchStartCommand, OperationDto>,
      ICommandHandler<BatchStopCommand, OperationDto>,
      ICommandHandler<BatchShutdownCommand, OperationDto>,
      ICommandHandler<BatchRebootCommand, OperationDto>,
      ICommandHandler<BatchSuspendCommand, OperationDto>,
      ICommandHandler<BatchResumeCommand, OperationDto>
{
    public ValueTask<OperationDto> Handle(BatchStartCommand command, CancellationToken cancellationToken) => RunAsync(command, cancellationToken);

    public ValueTask<OperationDto> Handle(BatchStopCommand command, CancellationToken cancellationToken) => RunAsync(command, cancellationToken);

    public ValueTask<OperationDto> Handle(BatchShutdownCommand command, CancellationToken cancellationToken) => RunAsync(command, cancellationToken);

    public ValueTask<OperationDto> Handle(BatchRebootCommand command, CancellationToken cancellationToken) => RunAsync(command, cancellationToken);

    public ValueTask<OperationDto> Handle(BatchSuspendCommand command, CancellationToken cancellationToken) => RunAsync(command, cancellationToken);

    public ValueTask<OperationDto> Handle(BatchResumeCommand command, CancellationToken cancellationToken) => RunAsync(command, cancellationToken);

    private async ValueTask<OperationDto> RunAsync(BatchActionCommand command, CancellationToken cancellationToken)
    {
        var caller = currentCaller.Caller ?? throw new InvalidOperationException("A batch needs an authenticated caller.");
        var vmIds = command.VmIds ?? await SelectAsync(command.Selector!, cancellationToken);
        var progress = new BatchProgress(
            command.MaxParallel ?? BatchActionCommand.DefaultMaxParallel,
            [.. vmIds.Select(id => new BatchItemDto(id, null, BatchItemDto.Pending, null))]);
        var batch = await recorder.HandOffAsync(progress.ToJson());
        runner.Start(batch, command, caller);
        return batch;
    }

    private async Task<IReadOnlyList<int>> SelectAsync(BatchSelector selector, CancellationToken cancellationToken)
    {
        var view = await inventory.GetAsync(cancellationToken);
        var filter = new ListContainersQuery(Node: selector.Node, Pool: selector.Pool, Tag: selector.Tag);
        return [.. view.Containers.Where(c => locator.IsVisible(c) && ContainerListing.Matches(c, filter)).Select(c => c.VmId)];
    }
}
