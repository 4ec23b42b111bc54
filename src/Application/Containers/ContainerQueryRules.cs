using System.Text.RegularExpressions;
using FluentValidation;

namespace ProxmoxLxc.Application.Containers;

/// <summary>Validation rules shared by the container read queries; errors are keyed by the query/route parameter name.</summary>
internal static partial class ContainerQueryRules
{
    public const int MinVmId = 100;
    public const int MaxVmId = 999_999_999;

    /// <summary>Proxmox tag syntax (pve-tag): letters, digits, <c>_ - + .</c>, not starting with <c>-+.</c>.</summary>
    [GeneratedRegex(@"^[a-zA-Z0-9_][a-zA-Z0-9_\-+.]{0,63}\z", RegexOptions.CultureInvariant)]
    public static partial Regex Tag();

    /// <summary>Proxmox storage ids (pve-storage-id).</summary>
    [GeneratedRegex(@"^[a-z][a-z0-9\-_.]*[a-z0-9]\z", RegexOptions.CultureInvariant)]
    public static partial Regex StorageId();

    public static bool IsValidVmId(int vmId) => vmId is >= MinVmId and <= MaxVmId;

    /// <summary>The container id of a route or query, keyed <c>vmid</c>.</summary>
    public static IRuleBuilderOptions<T, int> ValidVmId<T>(this IRuleBuilder<T, int> rule) =>
        rule.Must(IsValidVmId)
            .WithMessage($"'vmid' must be between {MinVmId} and {MaxVmId}.")
            .OverridePropertyName("vmid");
}
