namespace ProxmoxLxc.WebApi.Cli;

/// <summary><c>--health-check</c>: asks the running service's <c>/health/live</c> (for container health checks without curl).</summary>
internal static class HealthProbe
{
    public static bool Handles(string[] args) => args.Contains("--health-check");

    public static async Task<int> RunAsync()
    {
        var url = Environment.GetEnvironmentVariable("HEALTHCHECK_URL") ?? "http://127.0.0.1:8080/health/live";
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await client.GetAsync(new Uri(url));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return 1;
        }
    }
}
