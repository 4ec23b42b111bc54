using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

/// <summary>One request a <see cref="WebhookReceiver"/> got.</summary>
public sealed record ReceivedWebhook(string Path, string? ContentType, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// What the receiver does with its n-th request: answer <see cref="Status"/> after <see cref="Delay"/> (or, with
/// <see cref="Gate"/>, once the test completes it), with an optional Location.
/// </summary>
public sealed record ReceiverStep(int Status, TimeSpan Delay = default, string? Location = null, Task? Gate = null);

/// <summary>
/// A real HTTP endpoint (Kestrel on 127.0.0.1, a free port) that records every request and answers by a script:
/// the n-th request gets the n-th step, later ones the <see cref="Default"/> answer.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentQueue<ReceiverStep> _script = new();
    private int _inFlight;
    private int _maxInFlight;

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public ReceiverStep Default { get; set; } = new(200);

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    /// <summary>The most requests that were ever being answered at the same time.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return receiver;
    }

    /// <summary>Answers for the next requests, in order.</summary>
    public void Script(params ReceiverStep[] steps)
    {
        foreach (var step in steps)
        {
            _script.Enqueue(step);
        }
    }

    public Uri UrlFor(string path) => new(BaseUrl, path);

    /// <summary>Waits (up to 20 s of real time) until <paramref name="count"/> requests arrived and returns them.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (_received.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25);
        }

        Assert.That(_received, Has.Count.GreaterThanOrEqualTo(count), $"The receiver got {_received.Count} of {count} expected requests.");
        return Received;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        for (var max = Volatile.Read(ref _maxInFlight); inFlight > max; max = Volatile.Read(ref _maxInFlight))
        {
            Interlocked.CompareExchange(ref _maxInFlight, inFlight, max);
        }

        try
        {
            await AnswerAsync(context);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task AnswerAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _received.Enqueue(new ReceivedWebhook(context.Request.Path, context.Request.ContentType, headers, body));
        var step = _script.TryDequeue(out var next) ? next : Default;
        if (step.Delay > TimeSpan.Zero || step.Gate is not null)
        {
            try
            {
                await (step.Gate ?? Task.Delay(step.Delay, context.RequestAborted)).WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = step.Status;
        if (step.Location is not null)
        {
            context.Response.Headers.Location = step.Location;
        }
    }
}
