using FluentValidation;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Application.Common.Validation;
using ProxmoxLxc.Application.Containers.Commands.ShutdownContainer;

namespace ProxmoxLxc.Application.Containers.Commands.RunBatchAction;

/// <summary>The rules every batch shares: exactly one of <c>vmids</c> / <c>selector</c>, their syntax, <c>maxParallel</c>.</summary>
internal abstract class BatchActionCommandValidator<T> : AbstractValidator<T>
    where T : BatchActionCommand
{
    protected BatchActionCommandValidator()
    {
        RuleFor(c => c.VmIds).NotNull().When(c => c.Selector is null)
            .WithMessage("Give the containers as 'vmids' or as a 'selector'.");
        RuleFor(c => c.Selector).Null().When(c => c.VmIds is not null)
            .WithMessage("Give 'vmids' or 'selector', not both.");
        RuleFor(c => c.VmIds!)
            .Must(ids => ids.Count is >= 1 and <= BatchActionCommand.MaxVmIds)
            .WithMessage($"'vmids' must list 1 to {BatchActionCommand.MaxVmIds} containers.")
            .Must(ids => ids.Distinct().Count() == ids.Count)
            .WithMessage("'vmids' must not list a container twice.")
            .Must(ids => ids.All(ProxmoxSyntax.IsVmId))
            .WithMessage($"Each vmid must be between {ProxmoxSyntax.MinVmId} and {ProxmoxSyntax.MaxVmId}.")
            .When(c => c.VmIds is not null);
        RuleFor(c => c.Selector!)
            .Must(s => s.Pool is not null || s.Tag is not null || s.Node is not null)
            .WithMessage("'selector' needs at least one of pool, tag, node.")
            .When(c => c.Selector is not null);
        RuleFor(c => c.Selector!.Pool!).Satisfies(ProxmoxSyntax.IsPoolId, "pool id")
            .OverridePropertyName("selector.pool").When(c => c.Selector?.Pool is not null);
        RuleFor(c => c.Selector!.Tag!).Satisfies(ProxmoxSyntax.IsTag, "tag")
            .OverridePropertyName("selector.tag").When(c => c.Selector?.Tag is not null);
        RuleFor(c => c.Selector!.Node!).Satisfies(ProxmoxSyntax.IsNodeName, "node name")
            .OverridePropertyName("selector.node").When(c => c.Selector?.Node is not null);
        RuleFor(c => c.MaxParallel).InclusiveBetween(1, BatchActionCommand.MaxMaxParallel);
    }
}

internal sealed class BatchStartCommandValidator : BatchActionCommandValidator<BatchStartCommand>;

internal sealed class BatchStopCommandValidator : BatchActionCommandValidator<BatchStopCommand>;

internal sealed class BatchRebootCommandValidator : BatchActionCommandValidator<BatchRebootCommand>;

internal sealed class BatchSuspendCommandValidator : BatchActionCommandValidator<BatchSuspendCommand>;

internal sealed class BatchResumeCommandValidator : BatchActionCommandValidator<BatchResumeCommand>;

internal sealed class BatchShutdownCommandValidator : BatchActionCommandValidator<BatchShutdownCommand>
{
    public BatchShutdownCommandValidator() =>
        RuleFor(c => c.TimeoutSeconds).InclusiveBetween(0, ShutdownContainerCommandValidator.MaxTimeoutSeconds);
}
