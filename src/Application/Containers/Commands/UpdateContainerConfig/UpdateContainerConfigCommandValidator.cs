using FluentValidation;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.Containers.Commands.UpdateContainerConfig;

internal sealed class UpdateContainerConfigCommandValidator : AbstractValidator<UpdateContainerConfigCommand>
{
    public UpdateContainerConfigCommandValidator()
    {
        RuleFor(c => c)
            .Must(c => c.Cores is not null || c.CpuLimit is not null || c.CpuUnits is not null || c.MemoryMiB is not null
                || c.SwapMiB is not null || c.Networks is { Count: > 0 } || c.OnBoot is not null || c.Tags is not null
                || c.Description is not null || c.Nameserver is not null || c.SearchDomain is not null || c.Delete is { Count: > 0 })
            .WithMessage("Give at least one field to change or delete.")
            .OverridePropertyName("$");
        RuleFor(c => c.Cores).InclusiveBetween(1, 8192);
        RuleFor(c => c.CpuLimit).InclusiveBetween(0, 8192);
        RuleFor(c => c.CpuUnits).InclusiveBetween(0, 500_000);
        RuleFor(c => c.MemoryMiB).GreaterThanOrEqualTo(16);
        RuleFor(c => c.SwapMiB).GreaterThanOrEqualTo(0);
        NetworkListRules.Apply(this, c => c.Networks, "Networks");
        RuleFor(c => c.Tags).Must(t => t is null || t.Count <= 32).WithMessage("At most 32 tags.");
        RuleForEach(c => c.Tags).Must(ProxmoxSyntax.IsTag)
            .WithMessage("'{PropertyName}' must be a tag of letters, digits, '_', '-', '+' and '.' (at most 64 characters).");
        RuleFor(c => c.Description).Description();
        RuleFor(c => c.Nameserver).Nameserver();
        RuleFor(c => c.SearchDomain).SearchDomain();
        RuleFor(c => c.Delete).Must(d => d is null || d.Count <= 64).WithMessage("At most 64 fields to delete.");
        RuleForEach(c => c.Delete)
            .Must(f => ConfigFieldNames.ToProxmoxKey(f) is not null)
            .WithMessage($"'{{PropertyValue}}' cannot be deleted; deletable fields: {string.Join(", ", ConfigFieldNames.Known)}.")
            .Must((c, f) => !IsAlsoSet(c, f))
            .WithMessage("'{PropertyValue}' cannot be set and deleted in one request.");
    }

    private static bool IsAlsoSet(UpdateContainerConfigCommand c, string? field) => field switch
    {
        "cores" => c.Cores is not null,
        "cpuLimit" => c.CpuLimit is not null,
        "cpuUnits" => c.CpuUnits is not null,
        "swapMiB" => c.SwapMiB is not null,
        "onBoot" => c.OnBoot is not null,
        "tags" => c.Tags is not null,
        "description" => c.Description is not null,
        "nameserver" => c.Nameserver is not null,
        "searchDomain" => c.SearchDomain is not null,
        _ => c.Networks is not null && ConfigFieldNames.ToProxmoxKey(field) is { } key
            && c.Networks.Select((n, i) => "net" + n?.IndexAt(i)).Contains(key, StringComparer.Ordinal),
    };
}
