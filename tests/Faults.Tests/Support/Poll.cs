namespace ProxmoxLxc.Faults.Tests.Support;

/// <summary>Bounded polling for a condition (never a bare sleep that races).</summary>
public static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, Func<string>? diagnostics = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new AssertionException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}.{(diagnostics is null ? string.Empty : "\n" + diagnostics())}");
            }

            await Task.Delay(100);
        }
    }

    public static async Task UntilAsync(Func<Task<bool>> probe, TimeSpan timeout, string what, Func<string>? diagnostics = null) =>
        await UntilAsync<object>(async () => await probe() ? new object() : null, timeout, what, diagnostics);
}
