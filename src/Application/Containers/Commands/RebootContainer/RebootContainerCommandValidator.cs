using FluentValidation;

namespace ProxmoxLxc.Application.Containers.Commands.RebootContainer;

internal sealed class RebootContainerCommandValidator : AbstractValidator<RebootContainerCommand>
{
    public RebootContainerCommandValidator() => RuleFor(c => c.TimeoutSeconds).InclusiveBetween(0, 3600);
}
