using System.Globalization;
using FluentValidation;
using ProxmoxLxc.Application.Common.Proxmox;

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
            .Must(ids => ids.All(ProxmoxSyntax.IsVmId))
            .WithMessage(q => string.Create(CultureInfo.InvariantCulture,
                $"Every 'vmid' must be between {ProxmoxSyntax.MinVmId} and {ProxmoxSyntax.MaxVmId}; invalid: {string.Join(", ", q.VmIds.Where(id => !ProxmoxSyntax.IsVmId(id)).Distinct().Take(10))}."))
            .OverridePropertyName("vmid");
    }
}
