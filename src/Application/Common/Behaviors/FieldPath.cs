using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProxmoxLxc.Application.Common.Behaviors;

/// <summary>Turns a .NET member path into the JSON field path callers sent.</summary>
public static class FieldPath
{
    /// <summary>The JSON name of a member: its <see cref="JsonPropertyNameAttribute"/> when it has one, else camelCase.</summary>
    public static string JsonNameOf(MemberInfo member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return member.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(member.Name);
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
