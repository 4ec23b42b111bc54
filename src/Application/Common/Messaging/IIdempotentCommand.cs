using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Common.Messaging;

/// <summary>
/// A command that starts an operation and honours the <c>Idempotency-Key</c> request header
/// (see <see cref="Behaviors.IdempotencyBehavior{TMessage, TResponse}"/>). The key is not part of the request body.
/// </summary>
public interface IIdempotentCommand : IAppCommand<OperationDto>
{
    /// <summary>The <c>Idempotency-Key</c> header, or null when the caller sent none.</summary>
    string? IdempotencyKey { get; }
}
