using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProxmoxLxc.Application.Common.Auditing;

/// <summary>Serialises a message for the operation log with every secret replaced by <see cref="Redacted"/>.</summary>
public static class AuditParameters
{
    public const string Redacted = "***";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    private static readonly HashSet<string> SensitiveNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "secret", "tokenSecret", "sshPublicKeys", "sshPublicKey", "ssh-public-keys",
        "apiKey", "key", "plaintext", "ticket", "cookie", "authorization",
    };

    public static bool IsSensitive(string name) => SensitiveNames.Contains(name);

    public static string Serialize<T>(T message)
    {
        var node = JsonSerializer.SerializeToNode(message, message?.GetType() ?? typeof(T), Options);
        Redact(node);
        return node?.ToJsonString(Options) ?? "null";
    }

    /// <summary>Replaces sensitive members anywhere in the tree (objects inside arrays too).</summary>
    public static void Redact(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (IsSensitive(name))
                    {
                        if (obj[name] is not null)
                        {
                            obj[name] = Redacted;
                        }
                    }
                    else
                    {
                        Redact(obj[name]);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Redact(item);
                }

                break;
        }
    }

    /// <summary>The action name recorded for a message type: <c>StartContainerCommand</c> → <c>StartContainer</c>.</summary>
    public static string ActionOf(Type messageType)
    {
        ArgumentNullException.ThrowIfNull(messageType);
        var name = messageType.Name;
        foreach (var suffix in (string[])["Command", "Query"])
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && name.Length > suffix.Length)
            {
                return name[..^suffix.Length];
            }
        }

        return name;
    }
}
