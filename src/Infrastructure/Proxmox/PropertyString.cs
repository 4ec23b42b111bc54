using System.Globalization;
using System.Text;
using ProxmoxLxc.Application.Common.Exceptions;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>
/// Proxmox property strings (<c>key=value,key=value</c>, optionally with an unnamed default key first).
/// Building rejects any value that could smuggle in another option; parsing returns key/value pairs so
/// values can be compared independently of Proxmox's key order.
/// </summary>
internal static class PropertyString
{
    /// <summary>Keys whose values are <c>;</c>-separated lists in Proxmox's schema.</summary>
    private static readonly HashSet<string> SemicolonListKeys = new(StringComparer.Ordinal) { "mount", "trunks", "mountoptions" };

    public static IReadOnlyDictionary<string, string> Parse(string value, string? defaultKey = null)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(value))
            return result;

        var first = true;
        foreach (var rawPart in value.Split(','))
        {
            var part = rawPart.Trim();
            if (part.Length == 0)
                continue;
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                if (first && defaultKey is not null)
                    result[defaultKey] = part;
                else
                    throw new FormatException($"Property string part '{part}' has no key.");
            }
            else
            {
                result[part[..eq].Trim()] = part[(eq + 1)..].Trim();
            }

            first = false;
        }

        return result;
    }

    /// <summary>Builds a property string; <paramref name="defaultValue"/> (if any) goes first without a key.</summary>
    public static string Build(string field, string? defaultValue, IEnumerable<KeyValuePair<string, string?>> parts)
    {
        var sb = new StringBuilder();
        if (defaultValue is not null)
        {
            EnsureSafeValue(field, field, defaultValue, allowSemicolon: false);
            sb.Append(defaultValue);
        }

        foreach (var (key, value) in parts)
        {
            if (value is null)
                continue;
            EnsureSafeKey(field, key);
            EnsureSafeValue(field, key, value, SemicolonListKeys.Contains(key));
            if (sb.Length > 0)
                sb.Append(',');
            sb.Append(key).Append('=').Append(value);
        }

        return sb.ToString();
    }

    public static string Bool(bool value) => value ? "1" : "0";

    public static string? Bool(bool? value) => value is null ? null : Bool(value.Value);

    public static bool ParseBool(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "1" or "ON" or "YES" or "TRUE" => true,
        _ => false,
    };

    public static bool? ParseOptionalBool(string? value) => value is null ? null : ParseBool(value);

    public static string Number(double value) => value.ToString("0.##########", CultureInfo.InvariantCulture);

    public static string Number(decimal value) => value.ToString("0.##########", CultureInfo.InvariantCulture);

    private static void EnsureSafeKey(string field, string key)
    {
        if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            throw Invalid(field, $"'{key}' is not a valid option name.");
    }

    /// <summary>Rejects separators, whitespace and control characters that would change the meaning of the string.</summary>
    public static void EnsureSafeValue(string field, string key, string value, bool allowSemicolon)
    {
        if (value.Length == 0)
            throw Invalid(field, $"'{key}' must not be empty.");
        foreach (var c in value)
        {
            if (c is ',' or '=' or '"' or '\'' || (c == ';' && !allowSemicolon) || char.IsWhiteSpace(c) || char.IsControl(c))
                throw Invalid(field, $"'{key}' contains a character that is not allowed here (separators, quotes, whitespace or control characters).");
        }
    }

    private static RequestValidationException Invalid(string field, string message) => new(field, message);
}
