using System.Globalization;
using FluentValidation;

namespace ProxmoxLxc.Application.Containers.Queries.GetContainerStatusBatch;

/// <summary>Errors are keyed <c>vmid</c>, the name of the repeated query parameter.</summary>
internal sealed class GetContainerStatusBatchQueryValidator : AbstractValidator<GetContainerStatusBatchQuery>
{
    public GetContainerStatusBatchQueryValidator()
    {
        RuleFor(q => q.VmIds)
            .Cascade(CascadeMode.Stop)
            .Must(ids => ids is { Count: > 0 })
            .WithMessage("Give at least one 'vmid'.")
            .Must(ids => ids.Count <= GetContainerStatusBatchQuery.MaxIds)
            .WithMessage($"At most {GetContainerStatusBatchQuery.MaxIds} 'vmid' values may be given.")
            .Must(ids => ids.All(ContainerQueryRules.IsValidVmId))
            .WithMessage(q => string.Create(CultureInfo.InvariantCulture,
                $"Every 'vmid' must be between {ContainerQueryRules.MinVmId} and {ContainerQueryRules.MaxVmId}; invalid: {string.Join(", ", q.VmIds.Where(id => !ContainerQueryRules.IsValidVmId(id)).Distinct().Take(10))}."))
            .OverridePropertyName("vmid");
    }
}
