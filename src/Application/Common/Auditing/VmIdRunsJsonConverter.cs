using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProxmoxLxc.Application.Common.Auditing;

/// <summary>
/// Writes a list of vmids for the operation log as one string of ascending runs in the order given:
/// <c>[100, 101, 102, 999, 100]</c> → <c>"100-102,999,100"</c>. A batch read of 500 consecutive ids records
/// <c>"1000-1499"</c> instead of a 3.5 KB array. Only written (messages are never read back from the log).
/// </summary>
public sealed class VmIdRunsJsonConverter : JsonConverter<IReadOnlyList<int>>
{
    public override IReadOnlyList<int> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("vmid runs are written for the operation log only.");

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<int> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStringValue(Format(value));
    }

    public static string Format(IReadOnlyList<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new StringBuilder();
        for (var i = 0; i < ids.Count;)
        {
            var end = i;
            while (end + 1 < ids.Count && ids[end + 1] == ids[end] + 1)
            {
                end++;
            }

            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(CultureInfo.InvariantCulture, $"{ids[i]}");
            if (end > i)
            {
                text.Append(CultureInfo.InvariantCulture, $"-{ids[end]}");
            }

            i = end + 1;
        }

        return text.ToString();
    }
}
