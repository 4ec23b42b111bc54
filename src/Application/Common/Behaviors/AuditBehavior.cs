using Mediator;
using ProxmoxLxc.Application.Common.Auditing;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Common.Behaviors;

/// <summary>
/// Outermost behavior: describes the call on the request's operation-log row and records its outcome,
/// so denied, invalid and failed calls are logged too. For commands the row is written durably before
/// the handler runs and again when it ends, with <see cref="CancellationToken.None"/>.
/// </summary>
public sealed class AuditBehavior<TMessage, TResponse>(IOperationRecorder recorder, ICurrentCaller currentCaller, TimeProvider time)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IRequireScope, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        var entry = recorder.Entry;
        var mutating = message is ICommand<TResponse>;
        var caller = currentCaller.Caller;
        entry.SetCaller(caller?.KeyId, caller?.Name);
        entry.Describe(AuditParameters.ActionOf(typeof(TMessage)), mutating, AuditParameters.Serialize(message),
            (message as ITargetsContainer)?.VmId, node: null);

        if (mutating)
        {
            entry.MarkStarted(time.GetUtcNow());
            await recorder.SaveAsync();
        }

        try
        {
            var response = await next(message, cancellationToken);
            if (entry.TaskId is null && !entry.IsCompleted)
            {
                entry.Succeed(time.GetUtcNow());
            }

            return response;
        }
        catch (AppException ex) when (ex.StatusCode < 500)
        {
            entry.Reject(time.GetUtcNow(), ex.Code, ex.Message);
            throw;
        }
        catch (AppException ex)
        {
            entry.Fail(time.GetUtcNow(), ex.Code, ex.Message);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            entry.Fail(time.GetUtcNow(), ErrorCodes.OperationOnly.Cancelled, "The caller cancelled the request.");
            throw;
        }
        catch (Exception)
        {
            entry.Fail(time.GetUtcNow(), ErrorCodes.InternalError, "An unexpected error occurred.");
            throw;
        }
        finally
        {
            if (mutating)
            {
                await recorder.SaveAsync();
            }
        }
    }
}
