using Mediator;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Common.Behaviors;

/// <summary>Refuses a message whose <see cref="IRequireScope.RequiredScope"/> the caller's key does not hold (403).</summary>
public sealed class AuthorizationBehavior<TMessage, TResponse>(ICurrentCaller currentCaller)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IRequireScope, IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        var required = TMessage.RequiredScope;
        var caller = currentCaller.Caller;
        if (caller is null || !caller.Has(required))
        {
            throw new ForbiddenException(required);
        }

        return next(message, cancellationToken);
    }
}
