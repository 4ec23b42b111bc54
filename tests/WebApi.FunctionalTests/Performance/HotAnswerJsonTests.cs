using System.Reflection;
using System.Text.Json;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Containers;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;
using ProxmoxLxc.WebApi.Hosting;

namespace ProxmoxLxc.WebApi.FunctionalTests.Performance;

/// <summary>
/// The hot formatter's answers are byte for byte what MVC's serializer (the application's own options) writes. Batch
/// entries are filled by reflection over every member the DTO has, so a member added to the DTO but not to
/// <see cref="ContainerStatusBatchJsonWriter"/> fails here.
/// </summary>
[TestFixture]
public sealed class HotAnswerJsonTests
{
    // Valid UTF-16 only (both writers refuse a lone surrogate alike): control characters, HTML-sensitive and non-ASCII
    // characters, which the default encoder escapes.
    private static readonly Gen<string?> Text = Gen.OneOf(
        Gen.Const((string?)null),
        Gen.Const<string?>("running"),
        Gen.Const<string?>("<&>'\"\u2028é"),
        Gen.Char['\0', '\u07FF'].Array[0, 20].Select(chars => (string?)new string(chars)));

    private static readonly Gen<long?> Long = Gen.OneOf(Gen.Const((long?)null), Gen.Long.Select(l => (long?)l), Gen.Long[0, 1L << 40].Select(l => (long?)l));

    private static readonly Gen<double?> Double = Gen.OneOf(
        Gen.Const((double?)null),
        Gen.Double.Where(double.IsFinite).Select(d => (double?)d),
        Gen.Int[0, 100_000].Select(i => (double?)(i / 10_000.0)),
        Gen.Const<double?>(-0.0));

    private static readonly Gen<HaStatusDto?> Ha = Gen.OneOf(
        Gen.Const((HaStatusDto?)null),
        Gen.Select(Gen.Bool, Text, (managed, state) => (HaStatusDto?)new HaStatusDto { Managed = managed, State = state }));

    private static readonly Gen<ContainerStatusEntryDto> Entry =
        Gen.Select(Gen.Int, Text.Array[4], Long.Array[16], Double.Array[4], Ha, Build);

    private ApiFactory _factory = null!;
    private JsonSerializerOptions _mvc = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _factory = new ApiFactory();
        _mvc = _factory.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Mvc.JsonOptions>>().Value.JsonSerializerOptions;
    }

    [OneTimeTearDown]
    public async Task Stop() => await _factory.DisposeAsync();

    [Test]
    public void BatchAnswer_AnyEntries_SameJsonAsMvcSerializer() =>
        Entry.List[0, 20].Sample(entries =>
        {
            var batch = new ContainerStatusBatchDto(entries);
            Assert.That(Hot(batch), Is.EqualTo(JsonSerializer.Serialize(batch, _mvc)));
        }, iter: 2_000);

    [Test]
    public void BatchAnswer_EntriesWrittenAgain_SameJsonFromTheirEncodedCopies() =>
        // A found container's entry is kept per inventory snapshot and its JSON encoded once: the second answer, and an
        // entry that appears twice in one answer, are copies of the first encoding, with the separators between them.
        Entry.List[1, 10].Sample(entries =>
        {
            var batch = new ContainerStatusBatchDto([.. entries, .. entries]);
            var expected = JsonSerializer.Serialize(batch, _mvc);

            // Plain assertions: CsCheck samples on several threads, where NUnit's Assert.Multiple scopes collide.
            Assert.That(Hot(batch), Is.EqualTo(expected), "first answer");
            Assert.That(Hot(batch), Is.EqualTo(expected), "second answer");
        }, iter: 500);

    [Test]
    public void BatchEntry_EveryMember_IsFilledByTheGenerator()
    {
        // Guards the generator above: every member gets a value in some case, so none escapes the comparison.
        var seen = new HashSet<string>();
        Entry.Sample(entry =>
        {
            foreach (var property in typeof(ContainerStatusEntryDto).GetProperties())
            {
                if (property.GetValue(entry) is not null)
                {
                    seen.Add(property.Name);
                }
            }
        }, iter: 500);

        Assert.That(seen, Is.EquivalentTo(typeof(ContainerStatusEntryDto).GetProperties().Select(p => p.Name)));
    }

    /// <summary>The batch answer as the hot formatter writes it.</summary>
    private static string Hot(ContainerStatusBatchDto batch)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ContainerStatusBatchJsonWriter.Write(writer, batch);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>An entry whose members of each type take the generated values in declaration order.</summary>
    private static ContainerStatusEntryDto Build(int vmId, string?[] texts, long?[] longs, double?[] doubles, HaStatusDto? ha)
    {
        var entry = new ContainerStatusEntryDto { VmId = vmId };
        var (t, l, d) = (0, 0, 0);
        foreach (var property in typeof(ContainerStatusEntryDto).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            object? value = property.PropertyType switch
            {
                var type when type == typeof(int) => vmId,
                var type when type == typeof(string) => texts[t++ % texts.Length],
                var type when type == typeof(long?) => longs[l++ % longs.Length],
                var type when type == typeof(double?) => doubles[d++ % doubles.Length],
                var type when type == typeof(HaStatusDto) => ha,
                var type => throw new InvalidOperationException($"No generator for {property.Name} ({type}): add one."),
            };
            property.SetValue(entry, value);
        }

        return entry;
    }
}
