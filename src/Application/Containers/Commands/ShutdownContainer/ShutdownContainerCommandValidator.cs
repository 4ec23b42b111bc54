using FluentValidation;

namespace ProxmoxLxc.Application.Containers.Commands.ShutdownContainer;

internal sealed class ShutdownContainerCommandValidator : AbstractValidator<ShutdownContainerCommand>
{
    public ShutdownContainerCommandValidator() => RuleFor(c => c.TimeoutSeconds).InclusiveBetween(0, 3600);
}
