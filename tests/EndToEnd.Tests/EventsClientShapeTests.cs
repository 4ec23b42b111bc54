using Microsoft.Extensions.DependencyInjection;
using ProxmoxLxc.Client;

namespace ProxmoxLxc.EndToEnd.Tests;

/// <summary>
/// The events operation (<c>x-proxmoxlxc-client: hand-written</c>) is left out of client generation: the only way to
/// read the stream is <see cref="EventsClient.ListenAsync"/>, and the client is created like the generated ones.
/// </summary>
public sealed class EventsClientShapeTests
{
    [Test]
    public void EventsClient_Generated_HasOnlyTheHandWrittenListenAsync()
    {
        var methods = typeof(IEventsClient).GetMethods().Select(m => m.Name);
        var publicMethods = typeof(EventsClient).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly)
            .Select(m => m.Name);

        Assert.Multiple(() =>
        {
            Assert.That(methods, Is.EqualTo(new[] { nameof(EventsClient.ListenAsync) }));
            Assert.That(publicMethods, Is.EqualTo(new[] { nameof(EventsClient.ListenAsync) }), "no generated StreamAsync reading the stream as one JSON value");
        });
    }

    [Test]
    public void AddProxmoxLxcClient_EventsClient_ResolvedLikeTheGeneratedClients()
    {
        var services = new ServiceCollection();
        services.AddProxmoxLxcClient(o =>
        {
            o.BaseAddress = new Uri("http://127.0.0.1:1/");
            o.ApiKey = "pxl_E2eAdmin0001_Zq8Wm3Kt6Yb1Nc4Vx7Rp0Ls5Hd2Gf9Ja6Ue3Io8Ty1Q";
        });
        using var provider = services.BuildServiceProvider();
        using var factory = new ProxmoxLxcClientFactory(new ProxmoxLxcClientOptions { BaseAddress = new Uri("http://127.0.0.1:1/"), ApiKey = "x" });

        Assert.Multiple(() =>
        {
            Assert.That(provider.GetRequiredService<IEventsClient>(), Is.InstanceOf<EventsClient>());
            Assert.That(provider.GetRequiredService<IOperationsClient>(), Is.InstanceOf<OperationsClient>());
            Assert.That(factory.Create<EventsClient>(), Is.Not.Null);
        });
    }
}
