using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc.Formatters;
using ProxmoxLxc.Application.Containers;

namespace ProxmoxLxc.WebApi.Hosting;

/// <summary>
/// The single status answer, serialised by compile-time generated code: no reflection-built contract. Member names, the
/// left-out nulls and the number format are those of MVC's JSON options (camelCase, <c>[JsonPropertyName]</c>,
/// <c>[JsonIgnore(WhenWritingNull)]</c>); the answer holds no enums and no input, so MVC's converters have nothing to
/// do for it.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(ContainerStatusDto))]
internal sealed partial class HotAnswerJsonContext : JsonSerializerContext;

/// <summary>
/// Writes the hot read answers in one synchronous pass into a pooled buffer: the types of
/// <see cref="HotAnswerJsonContext"/> through its generated fast path, a batch status answer through
/// <see cref="ContainerStatusBatchJsonWriter"/> (the generated code would dispatch every nullable number of its 500
/// entries to a converter). It then hands the whole answer (a 500-entry batch is about 140 KB) to the server in one
/// write with its <c>Content-Length</c>. Placed before MVC's System.Text.Json formatter, which still writes everything
/// else.
/// </summary>
internal sealed class GeneratedJsonOutputFormatter : TextOutputFormatter
{
    /// <summary>The largest answer so far of each type: its next buffer starts there rather than growing and copying up
    /// to it. Kept per type, so a single status answer (a few hundred bytes) does not rent a buffer the size of a
    /// 500-entry batch: under load those come from the large-object heap whenever the pool runs dry.</summary>
    private readonly ConcurrentDictionary<Type, int> _largest = new();

    public GeneratedJsonOutputFormatter()
    {
        SupportedEncodings.Add(Encoding.UTF8);
        SupportedMediaTypes.Add("application/json");
        SupportedMediaTypes.Add("text/json");
        SupportedMediaTypes.Add("application/*+json");
    }

    protected override bool CanWriteType(Type? type) =>
        type == typeof(ContainerStatusBatchDto) || (type is not null && HotAnswerJsonContext.Default.GetTypeInfo(type) is not null);

    public override async Task WriteResponseBodyAsync(OutputFormatterWriteContext context, Encoding selectedEncoding)
    {
        ArgumentNullException.ThrowIfNull(context);
        var type = context.Object?.GetType() ?? context.ObjectType!;
        var largest = _largest.GetValueOrDefault(type);
        using var buffer = new PooledBufferWriter(largest);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            switch (context.Object)
            {
                case ContainerStatusBatchDto batch:
                    ContainerStatusBatchJsonWriter.Write(writer, batch);
                    break;
                case null:
                    writer.WriteNullValue();
                    break;
                default:
                    JsonSerializer.Serialize(writer, context.Object, HotAnswerJsonContext.Default.GetTypeInfo(type)!);
                    break;
            }
        }

        if (buffer.WrittenCount > largest)
        {
            _largest[type] = buffer.WrittenCount;
        }

        var response = context.HttpContext.Response;
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.HttpContext.RequestAborted);
    }

    /// <summary>A growable byte buffer rented from <see cref="ArrayPool{T}.Shared"/> and returned on dispose.</summary>
    private sealed class PooledBufferWriter(int expectedSize) : IBufferWriter<byte>, IDisposable
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Math.Clamp(expectedSize + 1024, 4 * 1024, 1024 * 1024));

        public int WrittenCount { get; private set; }

        public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, WrittenCount);

        public void Advance(int count) => WrittenCount += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Reserve(sizeHint);
            return _buffer.AsMemory(WrittenCount);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Reserve(sizeHint);
            return _buffer.AsSpan(WrittenCount);
        }

        public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

        private void Reserve(int sizeHint)
        {
            if (_buffer.Length - WrittenCount < Math.Max(sizeHint, 1))
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, WrittenCount + sizeHint));
                _buffer.AsSpan(0, WrittenCount).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }
        }
    }
}
