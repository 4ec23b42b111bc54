using FluentValidation;
using Mediator;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Common.Behaviors;

/// <summary>
/// Runs every FluentValidation validator of the message (async rules included) and answers 400
/// <c>validation_failed</c> with errors keyed by the JSON field path (<c>networks[0].ipv4</c>).
/// </summary>
public sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IRequireScope, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(new ValidationContext<TMessage>(message), cancellationToken);
            failures.AddRange(result.Errors);
        }

        if (failures.Count > 0)
        {
            var errors = failures
                .GroupBy(f => FieldPath.ToJsonPath(f.PropertyName), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
            throw new RequestValidationException(errors);
        }

        return await next(message, cancellationToken);
    }
}
