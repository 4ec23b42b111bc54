using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ProxmoxLxc.Client;

/// <summary>
/// Creates the generated clients (<c>KeysClient</c>, <c>OperationsClient</c>, …) on an <see cref="HttpClient"/>
/// that carries the base address and the <c>X-API-Key</c> header. Without DI:
/// <c>using var factory = new ProxmoxLxcClientFactory(options); var keys = factory.Create&lt;KeysClient&gt;();</c>
/// </summary>
public sealed class ProxmoxLxcClientFactory : IDisposable
{
    public const string ApiKeyHeader = "X-API-Key";
    public const string HttpClientName = "ProxmoxLxc";

    private readonly HttpClient _httpClient;
    private readonly bool _ownsHttpClient;

    public ProxmoxLxcClientFactory(ProxmoxLxcClientOptions options)
        : this(options, new HttpClient(), ownsHttpClient: true)
    {
    }

    public ProxmoxLxcClientFactory(ProxmoxLxcClientOptions options, HttpClient httpClient)
        : this(options, httpClient, ownsHttpClient: false)
    {
    }

    private ProxmoxLxcClientFactory(ProxmoxLxcClientOptions options, HttpClient httpClient, bool ownsHttpClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClient);
        options.Apply(httpClient);
        _httpClient = httpClient;
        _ownsHttpClient = ownsHttpClient;
    }

    /// <summary>A generated client (any type with a constructor taking an <see cref="HttpClient"/>).</summary>
    public TClient Create<TClient>()
        where TClient : class =>
        (TClient)Prepare(Activator.CreateInstance(typeof(TClient), _httpClient)!);

    /// <summary>
    /// Generated clients read error bodies as text only with <c>ReadResponseAsString</c>; the typed exceptions need the
    /// text to expose <c>code</c>, <c>errors</c> and <c>traceId</c> for any problem (also codes newer than this client).
    /// </summary>
    internal static object Prepare(object client)
    {
        client.GetType().GetProperty("ReadResponseAsString")?.SetValue(client, true);
        return client;
    }

    /// <summary>Every generated client and its interface (e.g. <c>IKeysClient</c> → <c>KeysClient</c>).</summary>
    internal static IEnumerable<(Type Interface, Type Implementation)> GeneratedClients() =>
        typeof(ProxmoxLxcClientFactory).Assembly.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.Name.EndsWith("Client", StringComparison.Ordinal) &&
                        t.GetConstructor([typeof(HttpClient)]) is not null)
            .Select(t => (t.GetInterface("I" + t.Name), t))
            .Where(pair => pair.Item1 is not null)
            .Select(pair => (pair.Item1!, pair.t));

    public void Dispose()
    {
        if (_ownsHttpClient)
        {
            _httpClient.Dispose();
        }
    }
}

/// <summary>Registers every generated client interface (<c>IKeysClient</c>, <c>IOperationsClient</c>, …) with <c>IHttpClientFactory</c>.</summary>
public static class ProxmoxLxcServiceCollectionExtensions
{
    public static IHttpClientBuilder AddProxmoxLxcClient(this IServiceCollection services, Action<ProxmoxLxcClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.Configure(configure);
        var builder = services.AddHttpClient(ProxmoxLxcClientFactory.HttpClientName)
            .ConfigureHttpClient((provider, client) => provider.GetRequiredService<IOptions<ProxmoxLxcClientOptions>>().Value.Apply(client));
        foreach (var (contract, implementation) in ProxmoxLxcClientFactory.GeneratedClients())
        {
            services.AddTransient(contract, provider => ProxmoxLxcClientFactory.Prepare(ActivatorUtilities.CreateInstance(provider, implementation,
                provider.GetRequiredService<IHttpClientFactory>().CreateClient(ProxmoxLxcClientFactory.HttpClientName))));
        }

        return builder;
    }
}
