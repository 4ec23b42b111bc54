namespace ProxmoxLxc.Client;

/// <summary>Where the API is and which key to use.</summary>
public sealed class ProxmoxLxcClientOptions
{
    /// <summary>The service's base address, e.g. <c>https://proxmoxlxc.example</c> (paths start at <c>/api/v1</c>).</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The API key (<c>pxl_&lt;keyId&gt;_&lt;secret&gt;</c>), sent as <c>X-API-Key</c>.</summary>
    public string ApiKey { get; set; } = string.Empty;

    /// <summary>The HTTP timeout (default 100 s; raise it when using <c>Prefer: wait=N</c> with a large N).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

    internal void Apply(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        if (BaseAddress is null)
        {
            throw new InvalidOperationException("ProxmoxLxcClientOptions.BaseAddress is required.");
        }

        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            throw new InvalidOperationException("ProxmoxLxcClientOptions.ApiKey is required.");
        }

        httpClient.BaseAddress = BaseAddress;
        httpClient.Timeout = Timeout;
        httpClient.DefaultRequestHeaders.Remove(ProxmoxLxcClientFactory.ApiKeyHeader);
        httpClient.DefaultRequestHeaders.Add(ProxmoxLxcClientFactory.ApiKeyHeader, ApiKey);
    }
}
