using FluentValidation;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.Containers;

/// <summary>Validation rules shared by the container read queries; errors are keyed by the query/route parameter name.</summary>
internal static class ContainerQueryRules
{
    /// <summary>The container id of a route or query, keyed <c>vmid</c>.</summary>
    public static IRuleBuilderOptions<T, int> ValidVmId<T>(this IRuleBuilder<T, int> rule) =>
        rule.Must(ProxmoxSyntax.IsVmId)
            .WithMessage($"'vmid' must be between {ProxmoxSyntax.MinVmId} and {ProxmoxSyntax.MaxVmId}.")
            .OverridePropertyName("vmid");
}
