using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
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

/// <summary>Turns a .NET member path into the JSON field path callers sent.</summary>
public static class FieldPath
{
    /// <summary>The JSON name of a member: its <see cref="JsonPropertyNameAttribute"/> when it has one, else camelCase.</summary>
    public static string JsonNameOf(MemberInfo member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return member.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(member.Name);
    }

    /// <summary><c>Networks[0].Ipv4</c> → <c>networks[0].ipv4</c>.</summary>
    public static string ToJsonPath(string propertyName)
    {
        if (string.IsNullOrEmpty(propertyName))
        {
            return "$";
        }

        var builder = new StringBuilder(propertyName.Length);
        var startOfSegment = true;
        foreach (var c in propertyName)
        {
            builder.Append(startOfSegment && char.IsUpper(c) ? char.ToLowerInvariant(c) : c);
            startOfSegment = c == '.';
        }

        return builder.ToString();
    }
}
