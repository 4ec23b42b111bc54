using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ProxmoxLxc.Fuzz.Tests;

/// <summary>
/// A JSON value written token by token, so a generated body can hold what a serializer refuses to produce:
/// numbers such as <c>1e400</c>, duplicate or case-variant property names, wrong types.
/// </summary>
internal abstract record JsonText
{
    private static readonly JsonSerializerOptions StringOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonText Null { get; } = new JsonRaw("null");

    public static JsonText Raw(string token) => new JsonRaw(token);

    public static JsonText String(string value) => new JsonRaw(JsonSerializer.Serialize(value, StringOptions));

    public static JsonText From(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new JsonObject([.. element.EnumerateObject().Select(p => new JsonMember(p.Name, From(p.Value)))]),
        JsonValueKind.Array => new JsonArray([.. element.EnumerateArray().Select(From)]),
        _ => new JsonRaw(element.GetRawText()),
    };

    public abstract void Write(StringBuilder builder);

    public sealed override string ToString()
    {
        var builder = new StringBuilder();
        Write(builder);
        return builder.ToString();
    }
}

internal sealed record JsonRaw(string Token) : JsonText
{
    public override void Write(StringBuilder builder) => builder.Append(Token);
}

internal sealed record JsonMember(string Name, JsonText Value);

internal sealed record JsonObject(IReadOnlyList<JsonMember> Members) : JsonText
{
    public override void Write(StringBuilder builder)
    {
        builder.Append('{');
        for (var i = 0; i < Members.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            String(Members[i].Name).Write(builder);
            builder.Append(':');
            Members[i].Value.Write(builder);
        }

        builder.Append('}');
    }
}

internal sealed record JsonArray(IReadOnlyList<JsonText> Items) : JsonText
{
    public override void Write(StringBuilder builder)
    {
        builder.Append('[');
        for (var i = 0; i < Items.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            Items[i].Write(builder);
        }

        builder.Append(']');
    }
}
