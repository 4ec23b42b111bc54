using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProxmoxLxc.WebApi.Hosting;

/// <summary>
/// Request bodies carry only finite numbers: <c>1e400</c>, <c>-1e400</c>, <c>"NaN"</c> and <c>"Infinity"</c> fail to
/// bind (400 at the field's path) instead of flowing on as ±∞/NaN into validation, the audit row and Proxmox.
/// Numeric strings stay accepted as the web defaults allow (<see cref="JsonNumberHandling.AllowReadingFromString"/>).
/// </summary>
internal sealed class FiniteDoubleConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        FiniteNumbers.Read(ref reader, options);

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value);
    }
}

/// <inheritdoc cref="FiniteDoubleConverter"/>
internal sealed class FiniteSingleConverter : JsonConverter<float>
{
    public override float Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = FiniteNumbers.Read(ref reader, options);
        return value is > float.MaxValue or < float.MinValue ? throw FiniteNumbers.NotFinite() : (float)value;
    }

    public override void Write(Utf8JsonWriter writer, float value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value);
    }
}

internal static class FiniteNumbers
{
    private const NumberStyles Styles = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    public static double Read(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        double value;
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetDouble(out value):
                break;
            case JsonTokenType.String when (options.NumberHandling & JsonNumberHandling.AllowReadingFromString) != 0
                && double.TryParse(reader.GetString(), Styles, CultureInfo.InvariantCulture, out value):
                break;
            default:
                throw new JsonException("The value must be a number.");
        }

        return double.IsFinite(value) ? value : throw NotFinite();
    }

    public static JsonException NotFinite() => new("The number must be finite and within range.");
}
