using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ProxmoxLxc.Application.Containers;

namespace ProxmoxLxc.WebApi.Hosting;

/// <summary>
/// Writes a batch status answer for the hot formatter. The generated serializer writes each entry's thirteen nullable
/// numbers through the converter of <c>long?</c> or <c>double?</c>: 6,500 nested serializer calls for a batch of 500,
/// half the request's CPU. The shape is the DTOs' as MVC's serializer writes them (camelCase names, null members left
/// out, <c>ha.state</c> written even when null); a property test compares the two on every member the entry has.
/// A container's entry is one object per inventory snapshot (the query handler keeps it until the next refresh), so its
/// JSON is encoded once per snapshot too and copied into every answer after that: formatting the numbers (the
/// fractions above all) was half the remaining cost of a 500-entry answer. Entries of unknown ids are made per request
/// and written directly.
/// </summary>
internal static class ContainerStatusBatchJsonWriter
{
    private static readonly ConditionalWeakTable<ContainerStatusEntryDto, byte[]> Encoded = new();

    private static readonly JsonEncodedText Items = JsonEncodedText.Encode("items");
    private static readonly JsonEncodedText VmId = JsonEncodedText.Encode("vmid");
    private static readonly JsonEncodedText Error = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText UptimeSeconds = JsonEncodedText.Encode("uptimeSeconds");
    private static readonly JsonEncodedText Cpu = JsonEncodedText.Encode("cpu");
    private static readonly JsonEncodedText Cpus = JsonEncodedText.Encode("cpus");
    private static readonly JsonEncodedText MemoryBytes = JsonEncodedText.Encode("memoryBytes");
    private static readonly JsonEncodedText MaxMemoryBytes = JsonEncodedText.Encode("maxMemoryBytes");
    private static readonly JsonEncodedText SwapBytes = JsonEncodedText.Encode("swapBytes");
    private static readonly JsonEncodedText MaxSwapBytes = JsonEncodedText.Encode("maxSwapBytes");
    private static readonly JsonEncodedText DiskBytes = JsonEncodedText.Encode("diskBytes");
    private static readonly JsonEncodedText MaxDiskBytes = JsonEncodedText.Encode("maxDiskBytes");
    private static readonly JsonEncodedText NetInBytes = JsonEncodedText.Encode("netInBytes");
    private static readonly JsonEncodedText NetOutBytes = JsonEncodedText.Encode("netOutBytes");
    private static readonly JsonEncodedText DiskReadBytes = JsonEncodedText.Encode("diskReadBytes");
    private static readonly JsonEncodedText DiskWriteBytes = JsonEncodedText.Encode("diskWriteBytes");
    private static readonly JsonEncodedText Lock = JsonEncodedText.Encode("lock");
    private static readonly JsonEncodedText Ha = JsonEncodedText.Encode("ha");
    private static readonly JsonEncodedText HaManaged = JsonEncodedText.Encode("managed");
    private static readonly JsonEncodedText HaState = JsonEncodedText.Encode("state");

    public static void Write(Utf8JsonWriter writer, ContainerStatusBatchDto batch)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(batch);
        writer.WriteStartObject();
        writer.WriteStartArray(Items);
        var raw = !writer.Options.Indented;
        foreach (var entry in batch.Items)
        {
            if (raw && entry.Error is null)
            {
                writer.WriteRawValue(EncodedOnce(entry, writer.Options), skipInputValidation: true);
            }
            else
            {
                WriteEntry(writer, entry);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>
    /// The entry's JSON as <see cref="WriteEntry"/> writes it with <paramref name="options"/> (the answer's writer's own:
    /// the same encoder, so the same escaping). Two requests that race on a new entry both encode it, to the same bytes.
    /// </summary>
    private static byte[] EncodedOnce(ContainerStatusEntryDto entry, JsonWriterOptions options)
    {
        if (!Encoded.TryGetValue(entry, out var bytes))
        {
            var buffer = new ArrayBufferWriter<byte>(512);
            using (var writer = new Utf8JsonWriter(buffer, options))
            {
                WriteEntry(writer, entry);
            }

            bytes = buffer.WrittenSpan.ToArray();
            Encoded.AddOrUpdate(entry, bytes);
        }

        return bytes;
    }

    private static void WriteEntry(Utf8JsonWriter writer, ContainerStatusEntryDto value)
    {
        writer.WriteStartObject();
        writer.WriteNumber(VmId, value.VmId);
        WriteIfSet(writer, Error, value.Error);
        WriteIfSet(writer, Status, value.Status);
        WriteIfSet(writer, UptimeSeconds, value.UptimeSeconds);
        WriteIfSet(writer, Cpu, value.Cpu);
        WriteIfSet(writer, Cpus, value.Cpus);
        WriteIfSet(writer, MemoryBytes, value.MemoryBytes);
        WriteIfSet(writer, MaxMemoryBytes, value.MaxMemoryBytes);
        WriteIfSet(writer, SwapBytes, value.SwapBytes);
        WriteIfSet(writer, MaxSwapBytes, value.MaxSwapBytes);
        WriteIfSet(writer, DiskBytes, value.DiskBytes);
        WriteIfSet(writer, MaxDiskBytes, value.MaxDiskBytes);
        WriteIfSet(writer, NetInBytes, value.NetInBytes);
        WriteIfSet(writer, NetOutBytes, value.NetOutBytes);
        WriteIfSet(writer, DiskReadBytes, value.DiskReadBytes);
        WriteIfSet(writer, DiskWriteBytes, value.DiskWriteBytes);
        WriteIfSet(writer, Lock, value.Lock);
        if (value.Ha is { } ha)
        {
            writer.WriteStartObject(Ha);
            writer.WriteBoolean(HaManaged, ha.Managed);
            if (ha.State is null)
            {
                writer.WriteNull(HaState);
            }
            else
            {
                writer.WriteString(HaState, ha.State);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteIfSet(Utf8JsonWriter writer, JsonEncodedText name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }

    private static void WriteIfSet(Utf8JsonWriter writer, JsonEncodedText name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }
}
