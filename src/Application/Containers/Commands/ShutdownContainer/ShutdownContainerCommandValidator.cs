using FluentValidation;

namespace ProxmoxLxc.Application.Containers.Commands.ShutdownContainer;

internal sealed class ShutdownContainerCommandValidator : AbstractValidator<ShutdownContainerCommand>
{
    public const int MaxTimeoutSeconds = 3600;

    public ShutdownContainerCommandValidator() => RuleFor(c => c.TimeoutSeconds).InclusiveBetween(0, MaxTimeoutSeconds);
}
