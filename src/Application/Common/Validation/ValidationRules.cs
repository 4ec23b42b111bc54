using System.Text.RegularExpressions;
using FluentValidation;

namespace ProxmoxLxc.Application.Common.Validation;

/// <summary>Reusable rules. Every string that may reach Proxmox is single-line and option-free.</summary>
public static partial class ValidationRules
{
    /// <summary>Proxmox node names (hostname label). Anchored with <c>\z</c>: <c>$</c> would accept a trailing newline.</summary>
    [GeneratedRegex("^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\z", RegexOptions.CultureInvariant)]
    public static partial Regex NodeName();

    /// <summary>Proxmox pool ids (pve-poolid).</summary>
    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\\z", RegexOptions.CultureInvariant)]
    public static partial Regex PoolId();

    public static IRuleBuilderOptions<T, string?> SingleLinePlainText<T>(this IRuleBuilder<T, string?> rule, int maxLength) =>
        rule.MaximumLength(maxLength)
            .Must(v => v is null || !v.Any(char.IsControl))
            .WithMessage("'{PropertyName}' must be a single line without control characters.");

    public static IRuleBuilderOptions<T, string> MatchesPattern<T>(this IRuleBuilder<T, string> rule, Regex regex, string what) =>
        rule.Must(v => v is not null && regex.IsMatch(v)).WithMessage($"'{{PropertyValue}}' is not a valid {what}.");
}
