using System.Collections.Concurrent;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>
/// Concurrent identical calls share one: the first caller for a key starts it, later callers wait for the same task
/// until it completes; then the key is free again (nothing is kept beyond the call). The shared call does not take a
/// caller's cancellation, so one cancelled caller does not fail the others; each caller stops waiting on its own token.
/// </summary>
internal sealed class SingleFlight<T>
{
    private readonly ConcurrentDictionary<string, Task<T>> _calls = new(StringComparer.Ordinal);

    public Task<T> RunAsync(string key, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_calls.TryGetValue(key, out var running))
            {
                return Wait(running, cancellationToken);
            }

            var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_calls.TryAdd(key, completion.Task))
            {
                _ = CompleteAsync(key, completion, call);
                return Wait(completion.Task, cancellationToken);
            }
        }
    }

    private static Task<T> Wait(Task<T> task, CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled ? task.WaitAsync(cancellationToken) : task;

    private async Task CompleteAsync(string key, TaskCompletionSource<T> completion, Func<Task<T>> call)
    {
        try
        {
            var result = await call();
            _calls.TryRemove(new KeyValuePair<string, Task<T>>(key, completion.Task));
            completion.SetResult(result);
        }
        catch (Exception ex)
        {
            _calls.TryRemove(new KeyValuePair<string, Task<T>>(key, completion.Task));
            completion.SetException(ex);
        }
    }
}
