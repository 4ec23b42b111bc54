using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProxmoxLxc.Application.Common.Behaviors;

/// <summary>Turns a .NET member path into the JSON field path callers sent.</summary>
public static class FieldPath
{
    // FluentValidation asks for a member's name on every validation of every rule: the attribute lookup (reflection) is
    // done once per member.
    private static readonly ConcurrentDictionary<MemberInfo, string> JsonNames = new();

    /// <summary>The JSON name of a member: its <see cref="JsonPropertyNameAttribute"/> when it has one, else camelCase.</summary>
    public static string JsonNameOf(MemberInfo member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return JsonNames.GetOrAdd(member, static m => m.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(m.Name));
    }

    /// <summary><c>Networks[0].Ipv4</c> → <c>networks[0].ipv4</c>.</summary>
    public static string ToJsonPath(string propertyName)
    {
        if (string.IsNullOrEmpty(propertyName))
        {
            return "$";
        }

        var builder = new StringBuilder(propertyName.Length);
        var startOfSegment = true;
        foreach (var c in propertyName)
        {
            builder.Append(startOfSegment && char.IsUpper(c) ? char.ToLowerInvariant(c) : c);
            startOfSegment = c == '.';
        }

        return builder.ToString();
    }
}
