using System.Net;
using System.Text.Json;

namespace ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

internal static class Problem
{
    /// <summary>The one problem assertion: the status, the problem+json shape and its stable code; returns the body.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), text);
        using var document = JsonDocument.Parse(text);
        var body = document.RootElement.Clone();
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("status").GetInt32(), Is.EqualTo((int)status), text);
            Assert.That(body.GetProperty("code").GetString(), Is.EqualTo(code), text);
            Assert.That(body.GetProperty("type").GetString(), Is.Not.Empty, text);
            Assert.That(body.GetProperty("title").GetString(), Is.Not.Empty, text);
            Assert.That(text, Does.Not.Contain("   at "), "no stack trace in a body");
        });
        return body;
    }
}
