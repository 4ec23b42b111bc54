using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace ProxmoxLxc.Application.Common.Auditing;

/// <summary>Serialises a message for the operation log with every secret replaced by <see cref="Redacted"/>.</summary>
public static class AuditParameters
{
    public const string Redacted = "***";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    private static readonly HashSet<string> SensitiveNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "secret", "tokenSecret", "sshPublicKeys", "sshPublicKey", "ssh-public-keys",
        "apiKey", "key", "plaintext", "ticket", "cookie", "authorization",
    };

    /// <summary>Per message type: whether its JSON can hold a sensitive member (then it goes through the tree).</summary>
    private static readonly ConcurrentDictionary<Type, bool> MayHoldSecrets = new();

    public static bool IsSensitive(string name) => SensitiveNames.Contains(name);

    /// <summary>
    /// The message as JSON. A type whose contract has no sensitive member at any depth (most reads: a vmid, a page)
    /// is written directly; the others are built as a tree, redacted, then written — the same text either way.
    /// </summary>
    public static string Serialize<T>(T message)
    {
        var type = message?.GetType() ?? typeof(T);
        if (!MayHoldSecrets.GetOrAdd(type, static t => MayHold(Options.GetTypeInfo(t), [])))
        {
            return JsonSerializer.Serialize(message, type, Options);
        }

        var node = JsonSerializer.SerializeToNode(message, type, Options);
        Redact(node);
        return node?.ToJsonString(Options) ?? "null";
    }

    /// <summary>
    /// True when a sensitive name appears in the contract, or when the shape is only known at run time (an
    /// <c>object</c>, a dictionary, JSON values, a polymorphic or custom-converted type): then redact.
    /// </summary>
    private static bool MayHold(JsonTypeInfo info, HashSet<Type> seen)
    {
        if (!seen.Add(info.Type))
        {
            return false;
        }

        return info.PolymorphismOptions is not null || info.Kind switch
        {
            JsonTypeInfoKind.None => !IsScalar(Nullable.GetUnderlyingType(info.Type) ?? info.Type),
            JsonTypeInfoKind.Enumerable => MayHold(Options.GetTypeInfo(info.ElementType!), seen),
            JsonTypeInfoKind.Object => info.Properties.Any(p => IsSensitive(p.Name) || MayHold(Options.GetTypeInfo(p.PropertyType), seen)),
            _ => true,
        };
    }

    /// <summary>Values written the same directly and through the tree. Not dates: the tree escapes the '+' of an
    /// offset (<c>\u002B</c>), the direct writer does not, and the idempotency hash is taken over this text.</summary>
    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Guid) || type == typeof(TimeSpan);

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
