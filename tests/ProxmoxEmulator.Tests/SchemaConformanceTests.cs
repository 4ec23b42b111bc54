using System.Text.Json;
using ProxmoxEmulator;

namespace ProxmoxLxc.ProxmoxEmulator.Tests;

/// <summary>The emulator may only serve what the PVE schema defines, and must read parameters the schema defines.</summary>
public class SchemaConformanceTests
{
    private static readonly EmulatorEngine Engine = new();

    private static IEnumerable<EmulatorRoute> Routes() => Engine.Routes;

    [Test]
    public void Routes_Every_ExistsInSchema()
    {
        var missing = Engine.Routes.Where(r => Engine.Schema.Find(r.Method, r.PathTemplate) is null)
            .Select(r => r.Method + " " + r.PathTemplate).ToList();
        Assert.That(missing, Is.Empty);
        Assert.That(Engine.Routes, Has.Count.GreaterThan(30));
    }

    [TestCaseSource(nameof(Routes))]
    public void Route_DeclaredParameters_ExistInSchemaWithCompatibleTypeFormatAndEnum(EmulatorRoute route)
    {
        var method = Engine.Schema.Find(route.Method, route.PathTemplate)!;
        foreach (var p in route.Parameters)
        {
            Assert.That(method.Properties.TryGetValue(p.Name, out var schema), Is.True, $"{route.Method} {route.PathTemplate}: '{p.Name}' not in schema");
            var type = schema.TryGetProperty("type", out var t) ? t.GetString() : "string";
            Assert.That(p.Type, Is.EqualTo(type), $"{p.Name} type");
            if (p.Format is not null)
            {
                var format = schema.GetProperty("format");
                if (p.Format == "property-string")
                    Assert.That(format.ValueKind, Is.EqualTo(JsonValueKind.Object), $"{p.Name} format");
                else
                    Assert.That(format.GetString(), Is.EqualTo(p.Format), $"{p.Name} format");
            }
            if (p.EnumValues is not null)
            {
                var values = schema.GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ToList();
                Assert.That(values, Is.SupersetOf(p.EnumValues), $"{p.Name} enum");
            }
        }
    }

    [TestCaseSource(nameof(Routes))]
    public void Route_PathParameters_AreDeclared(EmulatorRoute route)
    {
        var names = route.PathTemplate.Split('/').Where(s => s.StartsWith('{')).Select(s => s[1..^1]);
        Assert.That(route.Parameters.Select(p => p.Name), Is.SupersetOf(names));
    }

    [Test]
    public void EmbeddedSchema_IsTheOfficialTrimmedSchema()
    {
        // SHA-256 of ../shared/pve-api/lxc-api-schema.json (pve-docs e5010dce, PVE 9.1) when it was copied in:
        // the emulator validates against exactly the official schema, not an edited copy.
        const string OfficialSha256 = "ff31042c966ca82a6f2ff3895a7c2e4801a395bb69dd56181a3640b3ba448fae";
        using var stream = typeof(ApiSchema).Assembly.GetManifestResourceStream("ProxmoxEmulator.lxc-api-schema.json")!;
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
        Assert.That(hash, Is.EqualTo(OfficialSha256));
    }
}
