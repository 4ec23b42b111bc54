using Mediator;
using ProxmoxLxc.Application.Common.Auditing;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Common.Behaviors;

/// <summary>
/// Outermost behavior: describes the call to the request's operation recorder and tells it the outcome, so denied,
/// invalid and failed calls are logged too. For commands the recorder writes the row durably before the handler runs
/// (the second write comes when the call has been answered).
/// </summary>
public sealed class AuditBehavior<TMessage, TResponse>(IOperationRecorder recorder)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IRequireScope, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        var mutating = message is ICommand<TResponse>;
        recorder.Describe(AuditParameters.ActionOf(typeof(TMessage)), mutating, AuditParameters.Serialize(message),
            (message as ITargetsContainer)?.VmId);
        if (mutating)
        {
            await recorder.BeginAsync();
        }

        try
        {
            var response = await next(message, cancellationToken);
            recorder.Completed();
            return response;
        }
        catch (AppException ex) when (ex.StatusCode < 500)
        {
            recorder.Rejected(ex.Code, ex.Message);
            throw;
        }
        catch (AppException ex)
        {
            recorder.Failed(ex.Code, ex.Message);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            recorder.Failed(ErrorCodes.OperationOnly.Cancelled, "The caller cancelled the request.");
            throw;
        }
        catch (Exception)
        {
            recorder.Failed(ErrorCodes.InternalError, "An unexpected error occurred.");
            throw;
        }
    }
}
