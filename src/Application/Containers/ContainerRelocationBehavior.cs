using Mediator;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Messaging;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.Containers;

/// <summary>
/// A container found in the inventory view may have moved or vanished since. When Proxmox then answers "does not exist"
/// on that node, this refreshes the inventory once (a Proxmox answer requested after the failure) and runs the handler
/// once more: it finds the container on its new node, or answers 404 because it is gone — never a wrong answer. Retrying
/// is safe: Proxmox acted on nothing it could not find.
/// </summary>
internal sealed class ContainerRelocationBehavior<TMessage, TResponse>(ContainerLocator locator, IClusterInventory inventory, TimeProvider time)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : ITargetsContainer, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(message, cancellationToken);
        }
        catch (NotFoundException ex) when (ex.Code == ErrorCodes.ContainerNotFound && locator.LocatedIn is not null)
        {
            await inventory.RefreshAsync(time.GetUtcNow(), cancellationToken);
            return await next(message, cancellationToken);
        }
    }
}
